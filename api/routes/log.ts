// The public per-site Merkle log: key, checkpoint, entries and proofs, for anyone to check the score
// against (csat verify <url>, or any RFC 9162 / C2SP tlog client). Entries and proofs of an existing
// size never change, so they are cached for good; the checkpoint moves with every reaction.
import { Hono, type Context } from 'hono';
import { ApiError } from '../errors.js';
import { publicAccess } from '../middleware/public.js';
import { loadSite, type SiteEnv } from '../middleware/site.js';
import type { Store } from '../store/types.js';

export const LOG_PAGE = 1000;
const IMMUTABLE = 'public, max-age=31536000, immutable';
const SHORT = 'public, max-age=5';

/** A whole number query parameter, or the fallback when absent; anything else is a 400. */
function whole(c: Context, name: string, fallback?: number): number {
  const value = c.req.query(name);
  if (value === undefined && fallback !== undefined) return fallback;
  if (value === undefined || !/^\d{1,15}$/.test(value)) throw new ApiError(400, 'invalid_parameter', `${name} must be a whole number`);
  return Number(value);
}

export function logRoutes(deps: { store: Store }) {
  const { store } = deps;
  const site = loadSite(store);
  return new Hono<SiteEnv>()
    .use('/:site/log/*', publicAccess)
    .get('/:site/log/key', site, async (c) => {
      c.header('Cache-Control', 'public, max-age=3600');
      return c.json(await store.logKey(c.get('site').id));
    })
    .get('/:site/log/checkpoint', site, async (c) => {
      const head = await store.logHead(c.get('site').id);
      c.header('Cache-Control', SHORT);
      return c.body(head.checkpoint, 200, { 'Content-Type': 'text/plain; charset=utf-8' });
    })
    .get('/:site/log/entries', site, async (c) => {
      const id = c.get('site').id;
      const start = whole(c, 'start', 0);
      const end = whole(c, 'end', start + LOG_PAGE);
      if (end < start || end - start > LOG_PAGE) throw new ApiError(400, 'invalid_range', `end must be from start to start + ${LOG_PAGE}`);
      const { size } = await store.logHead(id);
      const entries = await store.logEntries(id, start, end);
      c.header('Cache-Control', end <= size ? IMMUTABLE : SHORT);
      return c.json({ start, size, entries });
    })
    .get('/:site/log/proof/inclusion', site, async (c) => {
      const index = whole(c, 'index');
      const size = whole(c, 'size');
      const proof = await store.logInclusionProof(c.get('site').id, index, size);
      if (!proof) throw new ApiError(400, 'invalid_range', 'index must be below size, and size at most the log size');
      c.header('Cache-Control', IMMUTABLE);
      return c.json({ index, size, proof });
    })
    .get('/:site/log/proof/consistency', site, async (c) => {
      const from = whole(c, 'from');
      const to = whole(c, 'to');
      const proof = await store.logConsistencyProof(c.get('site').id, from, to);
      if (!proof) throw new ApiError(400, 'invalid_range', 'from must be at most to, and to at most the log size');
      c.header('Cache-Control', IMMUTABLE);
      return c.json({ from, to, proof });
    });
}
