// The live score of a site: Server-Sent Events, one event per change of its score.
import { Hono } from 'hono';
import type { Clock } from '../clock.js';
import { DEFAULT_HEARTBEAT_MS } from '../config.js';
import { ApiError } from '../errors.js';
import { publicAccess } from '../middleware/public.js';
import { loadSite, type SiteEnv } from '../middleware/site.js';
import { MIN_WINDOW_DAYS, publicScore, shorterWindow, type PublicScore } from '../public-score.js';
import type { ScoreHub } from '../score-hub.js';
import { liveStream } from '../sse.js';
import type { Store } from '../store/types.js';

export function scoreStreamRoutes(deps: { store: Store; clock: Clock; hub: ScoreHub; heartbeatMs?: number }) {
  const { store, clock, hub } = deps;
  const heartbeatMs = deps.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
  return new Hono<SiteEnv>()
    .use('/:site/score/stream', publicAccess)
    .get('/:site/score/stream', loadSite(store), (c) => {
      const current = c.get('site');
      const days = shorterWindow(c.req.query('window'), current);
      if (days === 'invalid') {
        throw new ApiError(400, 'invalid_window', `window must be a number of days from ${MIN_WINDOW_DAYS} to ${current.windowDays}`);
      }
      const windowDays = days ?? current.windowDays;
      return liveStream(c, heartbeatMs, (live) => {
        const send = (score: PublicScore) => live.enqueue((s) => s.writeSSE({ event: 'score', data: JSON.stringify(score), retry: 3000 }));
        const unsubscribe = hub.subscribe(current.slug, windowDays, send);
        live.enqueue(async (s) => s.writeSSE({ event: 'score', data: JSON.stringify(await publicScore(store, current, clock.now(), windowDays)), retry: 3000 }));
        return unsubscribe;
      });
    });
}
