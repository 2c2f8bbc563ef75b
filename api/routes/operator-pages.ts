// The operators' pages: /wall (the office monitor, full screen) and /admin (inbox, follow-up, export,
// webhooks). Each is an HTML shell around one Lit element whose script the API serves from this origin,
// under a CSP that allows nothing else. Keys never travel in the page URL's query: the wall reads its
// read-only key from the fragment (#key=...), the admin page asks for the admin key once.
import { Hono, type Context } from 'hono';
import { html } from 'hono/html';
import type { OperatorPage } from '../config.js';
import { ApiError } from '../errors.js';
import { compressedAsset, sendAsset } from '../middleware/compressed-asset.js';
import { SLUG_PATTERN } from '../middleware/site.js';

const CSP = "default-src 'none'; script-src 'self'; connect-src 'self'; img-src 'self'; style-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

function shell(title: string, element: OperatorPage, site: string) {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>${title}</title>
<link rel="stylesheet" href="/assets/operators.css">
<script src="/widget/${element}.js" defer></script>
</head>
<body class="${element}">
${element === 'csat-wall' ? html`<main><csat-wall site="${site}"></csat-wall></main>` : html`<csat-admin site="${site}"></csat-admin>`}
</body>
</html>
`.toString();
}

const PAGE_CSS = `html, body { margin: 0; height: 100%; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
body.csat-wall { background: #0d1117; color: #f0f3f6; }
main, csat-wall, csat-admin { display: block; min-height: 100%; }
`;

export function operatorPageRoutes(scripts: Partial<Record<OperatorPage, string>> = {}) {
  // Compressed once per process, on first request (brotli or gzip, as the browser accepts).
  const assets = Object.fromEntries(
    Object.entries(scripts).map(([name, body]) => [name, compressedAsset(body, 'text/javascript; charset=utf-8')]),
  ) as Partial<Record<OperatorPage, ReturnType<typeof compressedAsset>>>;
  const css = compressedAsset(PAGE_CSS, 'text/css; charset=utf-8');
  const page = (title: string, element: OperatorPage) => (c: Context) => {
    const site = c.req.query('site') ?? '';
    c.header('Content-Security-Policy', CSP);
    c.header('Cache-Control', 'no-store');
    c.header('X-Robots-Tag', 'noindex');
    return c.html(shell(title, element, SLUG_PATTERN.test(site) ? site : ''));
  };
  const script = (name: OperatorPage) => (c: Context) => {
    const asset = assets[name];
    if (asset === undefined) throw new ApiError(404, 'widget_not_built', 'the operator pages have not been built: run npm run build');
    c.header('Cache-Control', 'no-cache');
    return sendAsset(c, asset);
  };
  return new Hono()
    .get('/wall', page('Customer satisfaction · wall', 'csat-wall'))
    .get('/admin', page('Customer satisfaction · admin', 'csat-admin'))
    .get('/widget/csat-wall.js', script('csat-wall'))
    .get('/widget/csat-admin.js', script('csat-admin'))
    .get('/favicon.ico', (c) => c.body(null, 204)) // browsers ask for it on every page
    .get('/assets/operators.css', (c) => {
      c.header('Cache-Control', 'public, max-age=300');
      return sendAsset(c, css);
    });
}
