// The office wall's live feed: Server-Sent Events with a fresh snapshot on connect and after every
// reaction. A read-only `wall` key (or an admin key) is accepted, also as `?key=` because EventSource
// cannot send headers.
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { Clock } from '../clock.js';
import { DEFAULT_HEARTBEAT_MS } from '../config.js';
import { adminAuth } from '../middleware/admin-auth.js';
import { loadSite, type SiteEnv } from '../middleware/site.js';
import type { ScoreHub } from '../score-hub.js';
import type { Store } from '../store/types.js';
import { wallSnapshot } from '../wall-snapshot.js';

export function feedRoutes(deps: { store: Store; clock: Clock; hub: ScoreHub; heartbeatMs?: number }) {
  const { store, clock, hub } = deps;
  const heartbeatMs = deps.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
  return new Hono<SiteEnv>().get('/:site/feed', loadSite(store), adminAuth(store, ['admin', 'wall'], true), (c) => {
    const site = c.get('site');
    c.header('Cache-Control', 'no-store');
    c.header('X-Accel-Buffering', 'no');
    return streamSSE(c, async (stream) => {
      let writes: Promise<unknown> = Promise.resolve();
      const send = () => {
        writes = writes.then(async () => {
          if (stream.aborted || stream.closed) return;
          const snapshot = await wallSnapshot(store, site, clock.now());
          await stream.writeSSE({ event: 'snapshot', data: JSON.stringify(snapshot), retry: 2000 });
        });
      };
      const unwatch = hub.watch(site.slug, send);
      stream.onAbort(unwatch);
      try {
        send();
        while (!stream.aborted && !stream.closed) {
          await stream.sleep(heartbeatMs);
          if (stream.aborted || stream.closed) break;
          writes = writes.then(() => stream.write(': heartbeat\n\n'));
          await writes;
        }
      } finally {
        unwatch();
      }
    });
  });
}
