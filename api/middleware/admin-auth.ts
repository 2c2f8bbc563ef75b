// `Authorization: Bearer <admin key>` for the site in the path. Keys are looked up by their public id
// and compared by SHA-256 in constant time; a wrong, revoked or other site's key is the same 401.
import { createMiddleware } from 'hono/factory';
import { adminKeyId, adminKeyMatches, hashAdminKey } from '../domain/tokens.js';
import { ApiError } from '../errors.js';
import type { KeyScope, Store } from '../store/types.js';
import type { SiteEnv } from './site.js';

const CHALLENGE = { 'WWW-Authenticate': 'Bearer realm="csat-badge"' };
// Compared against when no key row exists, so an unknown id costs the same as a wrong secret.
const DUMMY_HASH = hashAdminKey('csat_000000000000_no-such-key');

/** Every route takes admin keys, so a refused key is a read-only wall key, most often pasted into
 * /admin: say what it is for and how to get the right one. */
const wallKeyMessage = (site: string) =>
  `this is a read-only wall key: it only shows the office wall (/wall). This route, like /admin, needs an admin key: create one on the server with "npx csat key create ${site}"`;

/** `scopes`: which kinds of key this route accepts (admin only by default). A key is only ever taken
 * from the header: a `?key=` in the URL is refused (400) whatever else the request carries, because
 * URLs end up in access logs, proxy logs and browser history. */
export function adminAuth(store: Store, scopes: readonly KeyScope[] = ['admin']) {
  return createMiddleware<SiteEnv>(async (c, next) => {
    if (c.req.query('key') !== undefined) {
      throw new ApiError(400, 'key_in_url', 'a key is never accepted in the URL (it would reach access logs): send it as "Authorization: Bearer <key>" and leave ?key= out');
    }
    const presented = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(c.req.header('Authorization') ?? '')?.[1];
    if (!presented) {
      throw new ApiError(401, 'unauthorized', 'this route needs the site\'s admin key: "Authorization: Bearer <key>"', CHALLENGE);
    }
    const id = adminKeyId(presented);
    const key = id ? await store.getAdminKey(id) : null;
    const hashMatches = adminKeyMatches(presented, key?.hash ?? DUMMY_HASH);
    if (!key || !hashMatches || key.siteId !== c.get('site').id || key.revokedAt !== null) {
      throw new ApiError(401, 'unauthorized', 'the admin key is not valid for this site', CHALLENGE);
    }
    if (!scopes.includes(key.scope)) throw new ApiError(403, 'read_only_key', wallKeyMessage(c.get('site').slug));
    await next();
  });
}
