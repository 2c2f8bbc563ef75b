// The drop-in script for other websites: an evergreen URL that is cached briefly, a versioned URL
// (content hash) cached for a year, a manifest with the Subresource Integrity value, and the widget's
// texts in the languages it does not bundle.
import { createHash } from 'node:crypto';
import { Hono } from 'hono';
import { ApiError } from '../errors.js';
import { publicAccess } from '../middleware/public.js';
import { WIDGET_STRINGS } from '../widget-strings.js';

export function widgetRoutes(script: string | undefined) {
  const hash = script === undefined ? '' : createHash('sha256').update(script).digest('hex').slice(0, 12);
  const integrity = script === undefined ? '' : `sha384-${createHash('sha384').update(script).digest('base64')}`;
  const versioned = `/widget/csat-badge-${hash}.js`;
  const missing = () => new ApiError(404, 'widget_not_built', 'the widget has not been built: run npm run build');

  return new Hono()
    .use('/widget/*', publicAccess)
    .get('/widget/csat-badge.js', (c) => {
      if (script === undefined) throw missing();
      c.header('Content-Type', 'text/javascript; charset=utf-8');
      c.header('Cache-Control', 'public, max-age=3600, stale-while-revalidate=86400');
      c.header('ETag', `"${hash}"`);
      if (c.req.header('If-None-Match') === `"${hash}"`) return c.body(null, 304);
      return c.body(script);
    })
    .get('/widget/manifest.json', (c) => {
      if (script === undefined) throw missing();
      c.header('Cache-Control', 'no-cache');
      return c.json({ script: versioned, integrity, bytes: Buffer.byteLength(script) });
    })
    .get('/widget/i18n/:file{[a-z]{2}\\.json}', (c) => {
      const pack = WIDGET_STRINGS[c.req.param('file').slice(0, 2)];
      if (!pack) throw new ApiError(404, 'not_found', 'the widget has no texts in that language');
      c.header('Cache-Control', 'public, max-age=86400');
      return c.json(pack);
    })
    .get('/widget/:file{csat-badge-[0-9a-f]{12}\\.js}', (c) => {
      if (script === undefined || c.req.path !== versioned) throw new ApiError(404, 'not_found', 'no such widget version on this server');
      c.header('Content-Type', 'text/javascript; charset=utf-8');
      c.header('Cache-Control', 'public, max-age=31536000, immutable');
      return c.body(script);
    });
}
