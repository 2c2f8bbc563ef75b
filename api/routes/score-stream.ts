// The live score of a site: Server-Sent Events, one event per change of its score. Every stream of a
// site and window gets the same frame bytes from the hub; a client address may hold a bounded number
// of streams at once.
import { Hono } from 'hono';
import type { Clock } from '../clock.js';
import { DEFAULT_HEARTBEAT_MS, type AppConfig } from '../config.js';
import { ApiError } from '../errors.js';
import { streamCapFor } from '../live/stream-slot.js';
import { publicAccess } from '../middleware/public.js';
import { loadSite, type SiteEnv } from '../middleware/site.js';
import { MIN_WINDOW_DAYS, shorterWindow } from '../services/public-score.js';
import type { ScoreHub } from '../live/score-hub.js';
import { liveStream } from '../live/sse.js';
import type { Store } from '../store/types.js';

export function scoreStreamRoutes(deps: {
  store: Store;
  clock: Clock;
  hub: ScoreHub;
  heartbeatMs?: number;
  /** The per-address cap applies only when the app passes its config (it says whether to trust a proxy). */
  config?: Pick<AppConfig, 'streamsPerAddress' | 'trustProxy'>;
}) {
  const { store, hub } = deps;
  const heartbeatMs = deps.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
  const slot = streamCapFor(deps.config, 'badge');
  return new Hono<SiteEnv>()
    .use('/:site/score/stream', publicAccess)
    .get('/:site/score/stream', loadSite(store), (c) => {
      const current = c.get('site');
      const days = shorterWindow(c.req.query('window'), current);
      if (days === 'invalid') {
        throw new ApiError(400, 'invalid_window', `window must be a number of days from ${MIN_WINDOW_DAYS} to ${current.windowDays}`);
      }
      const windowDays = days ?? current.windowDays;
      const release = c.req.method === 'HEAD' ? undefined : slot(c);
      return liveStream(c, { heartbeatMs, onClose: release }, (client) => {
        const unsubscribe = hub.subscribe(current.slug, windowDays, client);
        hub.currentFrame(current, windowDays).then((frame) => client.send(frame), () => {
          // A failed first read: the client keeps its stream and gets the next change.
        });
        return unsubscribe;
      });
    });
}
