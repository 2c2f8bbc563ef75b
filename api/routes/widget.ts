// The drop-in script for other websites: an evergreen URL that is cached briefly, a versioned URL
// (content hash) cached for a year, a manifest with the Subresource Integrity value, and the widget's
// texts in the languages it does not bundle. The script and the texts go out compressed (brotli or gzip,
// compressed once per process); the integrity value is of the decoded bytes, as browsers check it.
import { createHash } from 'node:crypto';
import { Hono } from 'hono';
import { ApiError } from '../errors.js';
import { compressedAsset, sendAsset, type CompressedAsset } from '../middleware/compressed-asset.js';
import { publicAccess } from '../middleware/public.js';
import { WIDGET_STRINGS } from '../services/widget-strings.js';

const JS = 'text/javascript; charset=utf-8';

export function widgetRoutes(script: string | undefined) {
  const hash = script === undefined ? '' : createHash('sha256').update(script).digest('hex').slice(0, 12);
  const integrity = script === undefined ? '' : `sha384-${createHash('sha384').update(script).digest('base64')}`;
  const versioned = `/widget/csat-badge-${hash}.js`;
  const asset = script === undefined ? undefined : compressedAsset(script, JS, `"${hash}"`);
  const missing = () => new ApiError(404, 'widget_not_built', 'the widget has not been built: run npm run build');
  // One asset per language, made on its first request: most servers are asked for one or two.
  const packs = new Map<string, CompressedAsset>();

  return new Hono()
    .use('/widget/*', publicAccess)
    .get('/widget/csat-badge.js', (c) => {
      if (asset === undefined) throw missing();
      c.header('Cache-Control', 'public, max-age=3600, stale-while-revalidate=86400');
      return sendAsset(c, asset);
    })
    .get('/widget/manifest.json', (c) => {
      if (script === undefined) throw missing();
      c.header('Cache-Control', 'no-cache');
      return c.json({ script: versioned, integrity, bytes: Buffer.byteLength(script) });
    })
    .get('/widget/i18n/:file{[a-z]{2}\\.json}', (c) => {
      const lang = c.req.param('file').slice(0, 2);
      const pack = WIDGET_STRINGS[lang];
      if (!pack) throw new ApiError(404, 'not_found', 'the widget has no texts in that language');
      let packAsset = packs.get(lang);
      if (!packAsset) packs.set(lang, (packAsset = compressedAsset(JSON.stringify(pack), 'application/json')));
      c.header('Cache-Control', 'public, max-age=86400');
      return sendAsset(c, packAsset);
    })
    .get('/widget/:file{csat-badge-[0-9a-f]{12}\\.js}', (c) => {
      if (asset === undefined || c.req.path !== versioned) throw new ApiError(404, 'not_found', 'no such widget version on this server');
      c.header('Cache-Control', 'public, max-age=31536000, immutable');
      return sendAsset(c, asset);
    });
}
