// Public reads of a site's score: JSON and an SVG badge (the live stream is in score-stream.ts). These
// are the full routes; a read they answered once is answered again by the score cache's fast path in
// front of the router (api/services/score-cache.ts) until the score changes.
import { Hono, type Context } from 'hono';
import { renderBadge } from '../domain/badge.js';
import { cachedBody } from '../middleware/cached.js';
import { publicAccess } from '../middleware/public.js';
import { loadSite, type SiteEnv } from '../middleware/site.js';
import { ApiError } from '../errors.js';
import { MIN_WINDOW_DAYS, shorterWindow } from '../services/public-score.js';
import type { ScoreCache } from '../services/score-cache.js';
import type { Store } from '../store/types.js';

const JSON_TYPE = 'application/json; charset=utf-8';
const SVG_TYPE = 'image/svg+xml; charset=utf-8';

export function scoreRoutes(deps: { store: Store; cache: ScoreCache }) {
  const { store, cache } = deps;
  const site = loadSite(store);
  /** The window a request asks for (`?window=`), else the site's. */
  const windowOf = (c: Context<SiteEnv>): number => {
    const days = shorterWindow(c.req.query('window'), c.get('site'));
    if (days === 'invalid') {
      throw new ApiError(400, 'invalid_window', `window must be a number of days from ${MIN_WINDOW_DAYS} to ${c.get('site').windowDays}`);
    }
    return days ?? c.get('site').windowDays;
  };

  // Public access is set per route: surveys share the /v1/sites prefix and must stay closed.
  return new Hono<SiteEnv>()
    .use('/:site/score', publicAccess)
    .use('/:site/badge.svg', publicAccess)
    .get('/:site/score', site, async (c) => {
      const entry = await cache.score(c.get('site'), windowOf(c));
      const json = cache.form(entry, 'json', (score) => JSON.stringify(score));
      cache.offer(c, 'score', entry, json, JSON_TYPE);
      return cachedBody(c, json.body, JSON_TYPE, json.etag);
    })
    .get('/:site/badge.svg', site, async (c) => {
      const entry = await cache.score(c.get('site'), windowOf(c));
      const svg = cache.form(entry, 'svg', ({ kind, score, window, counts }) => renderBadge({ kind, score, windowDays: window.days, total: counts.total }));
      // An SVG opened directly is a document: it gets no right to run anything.
      c.header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'");
      cache.offer(c, 'badge.svg', entry, svg, SVG_TYPE);
      return cachedBody(c, svg.body, SVG_TYPE, svg.etag);
    });
}
