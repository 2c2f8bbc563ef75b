// The public score's answers, kept ready to send. Every page view of every embedding site reads the
// score (JSON or SVG badge), so once the full route has answered a read, the same read is answered by
// `answer()` in front of the router: one map lookup, two checks, and a Response made of bytes and
// header objects built once. Nothing is parsed, hashed, queried or copied per request.
//
// An entry is good while three things hold:
// - the site's hub version is the one it was computed at (every reaction this process records bumps it;
//   over a store with a change feed, PostgreSQL's, so does every change another instance commits);
// - the UTC day is the same (the window moves at midnight);
// - it is younger than CACHE_MS: changes other processes commit that no feed announces (any change over
//   SQLite, such as `csat import`; a site's settings) do not move the hub's version, so an entry is
//   recomputed at the latest then.
// A miss (or an expired entry) goes through the router and the full route, which recomputes the score
// and leaves a new entry for the reads after it.
import type { Context, MiddlewareHandler } from 'hono';
import type { Clock } from '../clock.js';
import { DAY_MS, dayOf } from '../domain/window.js';
import { etagMatches, strongEtag } from '../middleware/cached.js';
import { publicScore, type PublicScore } from './public-score.js';
import type { ScoreHub } from '../live/score-hub.js';
import type { Site, Store } from '../store/types.js';

/** The longest a read may show a score from before another process's change (README: public score). */
export const CACHE_MS = 5_000;

/** Enough for every window of a few hundred sites; past it the cache starts over rather than grow. */
const MAX_ENTRIES = 10_000;

/** A site's score for one window, as computed once, with its serialised forms made on demand. */
export interface ScoredEntry {
  readonly site: Site;
  readonly hubVersion: number;
  /** Epoch ms after which the entry is not used: CACHE_MS after computing it, or the next UTC midnight. */
  readonly until: number;
  readonly score: PublicScore;
  readonly forms: Map<string, { body: string; etag: string }>;
}

/** What the fast path sends: the finished bytes and the full route's own headers, 200 and 304. */
interface ReadyAnswer {
  readonly slug: string;
  readonly hubVersion: number;
  readonly until: number;
  readonly etag: string;
  readonly body: Uint8Array;
  readonly ok: ResponseInit & { headers: Record<string, string> };
  readonly notModified: ResponseInit & { headers: Record<string, string> };
}

/** What a full-route answer offers to the fast path; taken by `capture` once every middleware ran. */
interface Offer {
  key: string;
  entry: ScoredEntry;
  body: string;
  etag: string;
  contentType: string;
}

/** The part of the URL after this prefix keys the fast path: `acme/score`, `acme/score?window=30`. */
const PREFIX = '/v1/sites/';

/** `https://host/v1/sites/acme/score?window=30` -> `acme/score?window=30`; null for other paths. */
function keyOf(url: string): string | null {
  // The path starts at the first slash after the scheme's "//" and a non-empty host.
  const path = url.indexOf('/', url.indexOf('//') + 3);
  return path !== -1 && url.startsWith(PREFIX, path) ? url.slice(path + PREFIX.length) : null;
}

export class ScoreCache {
  private readonly scored = new Map<string, ScoredEntry>();
  /** One computation per site and window at a time: reads that miss together share it. */
  private readonly computing = new Map<string, Promise<ScoredEntry>>();
  private readonly ready = new Map<string, ReadyAnswer>();
  private readonly offers = new WeakMap<Request, Offer>();
  /** Reads answered by the fast path: lets tests see which path answered. */
  hits = 0;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly hub: ScoreHub,
  ) {}

  /**
   * The fast path, called for every GET before the router: a Response when a ready answer for this
   * exact URL is still good, else undefined (the router and the full route answer, and leave one).
   */
  answer(request: Request): Response | undefined {
    const key = keyOf(request.url);
    if (key === null) return undefined;
    const ready = this.ready.get(key);
    if (ready === undefined || ready.until <= this.clock.now() || ready.hubVersion !== this.hub.version(ready.slug)) return undefined;
    this.hits++;
    const ifNoneMatch = request.headers.get('if-none-match');
    // Browsers send back the one tag they were given: compare the string before parsing a list.
    if (ifNoneMatch !== null && (ifNoneMatch === ready.etag || etagMatches(ifNoneMatch, ready.etag))) {
      return new Response(null, ready.notModified);
    }
    return new Response(ready.body as Uint8Array<ArrayBuffer>, ready.ok);
  }

  /** The site's score for a window, computed at most once per version, day and CACHE_MS. */
  async score(site: Site, days: number): Promise<ScoredEntry> {
    const slot = `${site.id}:${days}`;
    const hit = this.scored.get(slot);
    if (hit && this.good(hit)) return hit;
    const pending = this.computing.get(slot);
    if (pending) {
      const shared = await pending;
      if (this.good(shared)) return shared;
    }
    const computation = this.compute(site, days);
    this.computing.set(slot, computation);
    try {
      const entry = await computation;
      if (this.scored.size >= MAX_ENTRIES) this.scored.clear();
      this.scored.set(slot, entry);
      return entry;
    } finally {
      if (this.computing.get(slot) === computation) this.computing.delete(slot);
    }
  }

  private good(entry: ScoredEntry): boolean {
    return entry.until > this.clock.now() && entry.hubVersion === this.hub.version(entry.site.slug);
  }

  private async compute(site: Site, days: number): Promise<ScoredEntry> {
    const now = this.clock.now();
    // Read before computing: a reaction recorded meanwhile makes the entry stale at once.
    const hubVersion = this.hub.version(site.slug);
    const score = await publicScore(this.store, site, now, days);
    const until = Math.min(now + CACHE_MS, (dayOf(now) + 1) * DAY_MS);
    return { site, hubVersion, until, score, forms: new Map() };
  }

  /** One serialised form of an entry (JSON, SVG) with its strong ETag, made once per entry. */
  form(entry: ScoredEntry, name: string, render: (score: PublicScore) => string): { body: string; etag: string } {
    let form = entry.forms.get(name);
    if (!form) {
      const body = render(entry.score);
      entry.forms.set(name, (form = { body, etag: strongEtag(body) }));
    }
    return form;
  }

  /**
   * Called by a full route that answers `leaf` (`score`, `badge.svg`) from `entry`: when the request's URL
   * is one the fast path can key (no query, or only a valid `window`), its answer is kept for the next
   * reads. The headers are taken by `capture` from the finished response, so they are exactly the full
   * chain's, whatever a middleware adds.
   */
  offer(c: Context, leaf: string, entry: ScoredEntry, form: { body: string; etag: string }, contentType: string): void {
    const key = keyOf(c.req.url);
    const base = `${entry.site.slug}/${leaf}`;
    const window = c.req.query('window');
    if (key !== base && !(window !== undefined && /^\d{1,3}$/.test(window) && key === `${base}?window=${window}`)) return;
    this.offers.set(c.req.raw, { key, entry, body: form.body, etag: form.etag, contentType });
  }

  /**
   * Middleware mounted before every other one on the public score routes, so that it sees the response
   * as the client gets it: keeps the offered answer with the response's own headers.
   */
  readonly capture: MiddlewareHandler = async (c, next) => {
    await next();
    const offer = this.offers.get(c.req.raw);
    if (!offer || c.req.method !== 'GET' || (c.res.status !== 200 && c.res.status !== 304)) return;
    // An answer that depends on the request's headers (Vary), that a middleware encoded, or whose tag
    // is not the offered body's cannot be replayed to everyone: it stays with the full route.
    if (c.res.headers.get('ETag') !== offer.etag || c.res.headers.has('Vary') || c.res.headers.has('Content-Encoding')) return;
    const headers: Record<string, string> = {};
    // The Content-Length is the server's to write, from the body it sends.
    for (const [name, value] of c.res.headers) if (name !== 'content-length') headers[name] = value;
    const notModified = { ...headers };
    delete notModified['content-type'];
    const ok = sortedNames({ ...notModified, 'content-type': offer.contentType });
    const { entry } = offer;
    if (this.ready.size >= MAX_ENTRIES) this.ready.clear();
    this.ready.set(offer.key, {
      slug: entry.site.slug,
      hubVersion: entry.hubVersion,
      until: entry.until,
      etag: offer.etag,
      body: Buffer.from(offer.body),
      ok: { status: 200, headers: ok },
      notModified: { status: 304, headers: notModified },
    });
  };
}

/** Headers in the order the full route sends them (a Headers object iterates sorted, lower-case). */
function sortedNames(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
