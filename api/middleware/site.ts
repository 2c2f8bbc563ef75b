// Resolves `:site` to a site record, or 404. Slugs are checked for shape first so hostile path segments
// never reach the store.
import { createMiddleware } from 'hono/factory';
import { ApiError } from '../errors.js';
import type { Site, Store } from '../store/types.js';

export type SiteEnv = { Variables: { site: Site } };

export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,62})$/;

export function loadSite(store: Store) {
  return createMiddleware<SiteEnv>(async (c, next) => {
    const slug = c.req.param('site') ?? '';
    const site = SLUG_PATTERN.test(slug) ? await store.getSite(slug) : null;
    if (!site) throw new ApiError(404, 'site_not_found', `there is no site named "${slug.slice(0, 64)}"`);
    c.set('site', site);
    await next();
  });
}
