// `GET /log/:site/:index`: the public receipt page of one log entry, linked from the survey page once a
// reaction is recorded. No token, no personal data: anyone may open it. `?lang=` picks the language (the
// survey page passes its own); otherwise the browser's, then the site's.
import { Hono, type Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { parseEntry } from '../domain/log-entry.js';
import { isLocale, negotiateLocale, type Locale } from '../domain/locale.js';
import { compressedAsset, sendAsset } from '../middleware/compressed-asset.js';
import { SLUG_PATTERN } from '../middleware/site.js';
import { renderReceiptPage, renderReceiptProblem } from '../pages/receipt-page.js';
import { RECEIPT_JS } from '../pages/receipt-script.js';
import type { Site, Store } from '../store/types.js';

// connect-src 'self': the page script fetches the log's key, checkpoint, entry and proof from this origin.
const RECEIPT_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'";

export function receiptRoutes({ store }: { store: Store }) {
  const script = compressedAsset(RECEIPT_JS.body, 'text/javascript; charset=utf-8');
  const localeFor = (c: Context, site: Site | null): Locale => {
    const lang = c.req.query('lang');
    return isLocale(lang) ? lang : negotiateLocale(c.req.header('Accept-Language'), site?.locale ?? 'en');
  };
  const page = (c: Context, status: ContentfulStatusCode, body: string, locale: Locale) => {
    c.header('Content-Security-Policy', RECEIPT_CSP);
    c.header('Referrer-Policy', 'no-referrer');
    c.header('Cache-Control', status === 200 ? 'public, max-age=300' : 'no-store');
    c.header('Content-Language', locale);
    return c.html(body, status);
  };

  return new Hono()
    .get('/assets/receipt.js', (c) => {
      c.header('Cache-Control', c.req.query('v') ? 'public, max-age=31536000, immutable' : 'public, max-age=300');
      return sendAsset(c, script);
    })
    .get('/log/:site/:index', async (c) => {
      const slug = c.req.param('site');
      const site = SLUG_PATTERN.test(slug) ? await store.getSite(slug) : null;
      const locale = localeFor(c, site);
      if (!site) return page(c, 404, renderReceiptProblem(locale, 'not_found'), locale);
      const raw = c.req.param('index');
      if (!/^\d{1,15}$/.test(raw)) return page(c, 400, renderReceiptProblem(locale, 'bad_index', site.name), locale);
      const index = Number(raw);
      const [found] = await store.logEntries(site.id, index, index + 1);
      const entry = found && parseEntry(found.data);
      if (!found || !entry) return page(c, 404, renderReceiptProblem(locale, 'not_found', site.name), locale);
      const { size } = await store.logHead(site.id);
      return page(c, 200, renderReceiptPage({ locale, site: site.slug, company: site.name, index, data: found.data, entry, size }), locale);
    });
}
