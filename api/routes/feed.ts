// The office wall's live feed: Server-Sent Events with a fresh snapshot on connect and after every
// reaction. A read-only `wall` key (or an admin key) is accepted in the Authorization header only: the
// wall reads the stream with fetch (widget/csat-wall-stream.ts), so no key ever sits in a URL.
// The snapshot is built once per change and shared by every wall of the site (api/live/wall-feeds.ts).
import { Hono } from 'hono';
import type { Clock } from '../clock.js';
import { DEFAULT_HEARTBEAT_MS, type AppConfig } from '../config.js';
import { WallFeeds } from '../live/wall-feeds.js';
import { streamCapFor } from '../live/stream-slot.js';
import { adminAuth } from '../middleware/admin-auth.js';
import { loadSite, type SiteEnv } from '../middleware/site.js';
import type { ScoreHub } from '../live/score-hub.js';
import { liveStream } from '../live/sse.js';
import type { Store } from '../store/types.js';

export function feedRoutes(deps: {
  store: Store;
  clock: Clock;
  hub: ScoreHub;
  heartbeatMs?: number;
  /** The per-address cap applies only when the app passes its config (it says whether to trust a proxy). */
  config?: Pick<AppConfig, 'streamsPerAddress' | 'trustProxy'>;
  /** Shared snapshots; made here unless given (tests look at its counters). */
  walls?: WallFeeds;
}) {
  const { store, clock, hub } = deps;
  const heartbeatMs = deps.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
  const walls = deps.walls ?? new WallFeeds(store, clock, hub);
  const slot = streamCapFor(deps.config, 'wall');
  const routes = new Hono<SiteEnv>().get('/:site/feed', loadSite(store), adminAuth(store, ['admin', 'wall']), (c) => {
    const site = c.get('site');
    const release = c.req.method === 'HEAD' ? undefined : slot(c);
    return liveStream(c, { heartbeatMs, onClose: release }, (wall) => walls.join(site, wall));
  });
  return Object.assign(routes, { walls });
}
