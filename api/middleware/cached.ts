// Public, cacheable representations with a strong ETag. Hono's etag() rebuilds a 304 with only a few
// retained headers, which drops the CORS and CORP headers embeds need, so the 304 is answered here.
import { createHash } from 'node:crypto';
import type { Context } from 'hono';

// Browsers revalidate on every load (max-age=0 with must-revalidate: a 304 costs a few bytes), so a
// reaction shows on the next reload; shared caches and CDNs in front of the API may keep a copy for 30 s.
export const PUBLIC_CACHE = 'public, max-age=0, must-revalidate, s-maxage=30';

export function strongEtag(body: string): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
}

/** Whether an If-None-Match value names `etag` (or is `*`). */
export function etagMatches(ifNoneMatch: string | null | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === '*') return true;
  // A client may send weak forms of our tags; If-None-Match uses the weak comparison (RFC 9110 13.1.2).
  return ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

export function cachedBody(c: Context, body: string, contentType: string, etag = strongEtag(body)): Response {
  c.header('ETag', etag);
  c.header('Cache-Control', PUBLIC_CACHE);
  if (etagMatches(c.req.header('If-None-Match'), etag)) return c.body(null, 304);
  c.header('Content-Type', contentType);
  return c.body(body, 200);
}
