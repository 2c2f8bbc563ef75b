// Public reads of a site's score: JSON and an SVG badge (the live stream is in score-stream.ts).
import { Hono, type Context } from 'hono';
import type { Clock } from '../clock.js';
import { renderBadge } from '../domain/badge.js';
import { dayOf } from '../domain/window.js';
import { cachedBody, strongEtag } from '../middleware/cached.js';
import { publicAccess } from '../middleware/public.js';
import { loadSite, type SiteEnv } from '../middleware/site.js';
import { ApiError } from '../errors.js';
import { MIN_WINDOW_DAYS, publicScore, shorterWindow, type PublicScore } from '../public-score.js';
import type { ScoreHub } from '../score-hub.js';
import type { Site, Store } from '../store/types.js';

export function scoreRoutes(deps: { store: Store; clock: Clock; hub: ScoreHub }) {
  const { store, clock, hub } = deps;
  const site = loadSite(store);
  /** The window a request asks for (`?window=`), else the site's. */
  const windowOf = (c: Context<SiteEnv>): number => {
    const days = shorterWindow(c.req.query('window'), c.get('site'));
    if (days === 'invalid') {
      throw new ApiError(400, 'invalid_window', `window must be a number of days from ${MIN_WINDOW_DAYS} to ${c.get('site').windowDays}`);
    }
    return days ?? c.get('site').windowDays;
  };

  // The score is read on every page view of every embedding site (JSON and badge alike), so the score,
  // its serialised forms and their ETags are kept per site, window and day until a reaction changes the
  // site (hub version). A change made by another process (a CLI import) shows within CACHE_MS.
  const CACHE_MS = 5_000;
  interface Cached {
    version: string;
    until: number;
    score: PublicScore;
    json: { body: string; etag: string };
    svg?: { body: string; etag: string };
  }
  const cache = new Map<string, Cached>();
  const cachedScore = async (current: Site, days: number): Promise<Cached> => {
    const now = clock.now();
    const slot = `${current.id}:${days}`;
    const version = `${dayOf(now)}:${hub.version(current.slug)}`;
    const hit = cache.get(slot);
    if (hit && hit.version === version && hit.until > now) return hit;
    const score = await publicScore(store, current, now, days);
    const body = JSON.stringify(score);
    const entry: Cached = { version, until: now + CACHE_MS, score, json: { body, etag: strongEtag(body) } };
    cache.set(slot, entry);
    return entry;
  };

  // Public access is set per route: surveys share the /v1/sites prefix and must stay closed.
  return new Hono<SiteEnv>()
    .use('/:site/score', publicAccess)
    .use('/:site/badge.svg', publicAccess)
    .get('/:site/score', site, async (c) => {
      const { json } = await cachedScore(c.get('site'), windowOf(c));
      return cachedBody(c, json.body, 'application/json; charset=utf-8', json.etag);
    })
    .get('/:site/badge.svg', site, async (c) => {
      const entry = await cachedScore(c.get('site'), windowOf(c));
      if (!entry.svg) {
        const { kind, score, window, counts } = entry.score;
        const body = renderBadge({ kind, score, windowDays: window.days, total: counts.total });
        entry.svg = { body, etag: strongEtag(body) };
      }
      // An SVG opened directly is a document: it gets no right to run anything.
      c.header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'");
      return cachedBody(c, entry.svg.body, 'image/svg+xml; charset=utf-8', entry.svg.etag);
    });
}
