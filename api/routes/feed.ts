// The office wall's live feed: Server-Sent Events with a fresh snapshot on connect and after every
// reaction. A read-only `wall` key (or an admin key) is accepted in the Authorization header only: the
// wall reads the stream with fetch (widget/csat-wall-stream.ts), so no key ever sits in a URL.
import { Hono } from 'hono';
import type { Clock } from '../clock.js';
import { DEFAULT_HEARTBEAT_MS } from '../config.js';
import { adminAuth } from '../middleware/admin-auth.js';
import { loadSite, type SiteEnv } from '../middleware/site.js';
import type { ScoreHub } from '../score-hub.js';
import { liveStream } from '../sse.js';
import type { Store } from '../store/types.js';
import { wallSnapshot } from '../wall-snapshot.js';

export function feedRoutes(deps: { store: Store; clock: Clock; hub: ScoreHub; heartbeatMs?: number }) {
  const { store, clock, hub } = deps;
  const heartbeatMs = deps.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
  return new Hono<SiteEnv>().get('/:site/feed', loadSite(store), adminAuth(store, ['admin', 'wall']), (c) => {
    const site = c.get('site');
    return liveStream(c, heartbeatMs, (live) => {
      const send = () =>
        live.enqueue(async (s) => s.writeSSE({ event: 'snapshot', data: JSON.stringify(await wallSnapshot(store, site, clock.now())), retry: 2000 }));
      const unwatch = hub.watch(site.slug, send);
      send();
      return unwatch;
    });
  });
}
