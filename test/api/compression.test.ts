// The fixed text the server sends on page views (the drop-in script, the pages' CSS and JS, the widget's
// language packs) goes out brotli- or gzip-encoded as the client asks, over real HTTP. Node's http
// client is used, not fetch: fetch decodes by itself, and these tests must see the bytes on the wire.
import { createHash } from 'node:crypto';
import http from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseCoding } from '../../api/middleware/compressed-asset.js';
import { SURVEY_CSS, SURVEY_JS } from '../../api/pages/assets.js';
import { RECEIPT_JS } from '../../api/pages/receipt-script.js';
import { WIDGET_STRINGS } from '../../api/services/widget-strings.js';
import { testApi } from './helpers.js';
import { listen } from './http-server.js';

// Script-like text big enough that both codings shrink it a lot, with a non-ASCII character so that
// a byte/character mix-up in Content-Length or the integrity value would show.
const SCRIPT = Array.from({ length: 400 }, (_, i) => `customElements.get("csat-${i}")??customElements.define("csat-${i}",class extends HTMLElement{});`).join('\n') + '\n// « fin »\n';
const WALL = `/* wall */${'x'.repeat(3000)}`;

interface Raw { status: number; headers: http.IncomingHttpHeaders; body: Buffer }

function get(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Raw> {
  return new Promise((resolve, reject) => {
    http.get(url, { headers, method }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    }).on('error', reject);
  });
}

function decode(res: Raw): Buffer {
  const coding = res.headers['content-encoding'];
  if (coding === 'br') return brotliDecompressSync(res.body);
  if (coding === 'gzip') return gunzipSync(res.body);
  if (coding !== undefined) throw new Error(`unexpected Content-Encoding ${coding}`);
  return res.body;
}

let server: Awaited<ReturnType<typeof listen>>;
beforeAll(async () => {
  const t = await testApi({ config: { widgetScript: SCRIPT, operatorScripts: { 'csat-wall': WALL } } });
  server = await listen(t.app);
});
afterAll(() => server.close());

const versionedPath = async () => (JSON.parse((await get(`${server.url}/widget/manifest.json`)).body.toString()) as { script: string }).script;

describe('compressed fixed assets', () => {
  const assets: Array<[string, () => Promise<string>, string | Buffer]> = [
    ['the drop-in script', async () => '/widget/csat-badge.js', SCRIPT],
    ['the versioned drop-in script', versionedPath, SCRIPT],
    ['a language pack', async () => '/widget/i18n/fr.json', JSON.stringify(WIDGET_STRINGS.fr)],
    ['the survey stylesheet', async () => `/assets/survey.css?v=${SURVEY_CSS.version}`, SURVEY_CSS.body],
    ['the survey script', async () => '/assets/survey.js', SURVEY_JS.body],
    ['the receipt script', async () => '/assets/receipt.js', RECEIPT_JS.body],
    ['the wall script', async () => '/widget/csat-wall.js', WALL],
  ];

  for (const [name, pathOf, expected] of assets) {
    it(`${name}: brotli, gzip or plain as asked, each decoding to the same bytes, with Vary, a right length and 304`, async () => {
      const url = `${server.url}${await pathOf()}`;
      const raw = Buffer.from(expected);
      const tags = new Set<string>();
      for (const [accept, coding] of [['br', 'br'], ['gzip, deflate, br', 'br'], ['gzip', 'gzip'], ['br;q=0.5, gzip', 'gzip'], [undefined, undefined], ['identity', undefined], ['br;q=0, gzip;q=0', undefined]] as const) {
        const res = await get(url, accept === undefined ? {} : { 'Accept-Encoding': accept });
        expect(res.status, String(accept)).toBe(200);
        expect(res.headers['content-encoding'], String(accept)).toBe(coding);
        expect(res.headers.vary?.toLowerCase()).toContain('accept-encoding');
        expect(Number(res.headers['content-length'])).toBe(res.body.length);
        if (coding) expect(res.body.length).toBeLessThan(raw.length);
        expect(decode(res).equals(raw), String(accept)).toBe(true);
        const etag = res.headers.etag!;
        expect(etag).toMatch(/^"[^"]+"$/);
        tags.add(etag);
        // The tag the client holds revalidates without a body, in the coding it asked for.
        const again = await get(url, { ...(accept === undefined ? {} : { 'Accept-Encoding': accept }), 'If-None-Match': etag });
        expect(again.status).toBe(304);
        expect(again.body.length).toBe(0);
        expect(again.headers.etag).toBe(etag);
        expect(again.headers.vary?.toLowerCase()).toContain('accept-encoding');
      }
      // Each representation has a tag of its own (identity, br, gzip): caches must not mix them up.
      expect(tags.size).toBe(3);
      expect((await get(url, { 'Accept-Encoding': 'br', 'If-None-Match': '"something-else"' })).status).toBe(200);
    });
  }

  it('compresses once: a second request gets the very same bytes', async () => {
    const first = await get(`${server.url}/widget/csat-badge.js`, { 'Accept-Encoding': 'br' });
    const second = await get(`${server.url}/widget/csat-badge.js`, { 'Accept-Encoding': 'br' });
    expect(second.body.equals(first.body)).toBe(true);
  });

  it('keeps the Subresource Integrity of the decoded script, and the script embeddable from other sites', async () => {
    const manifest = JSON.parse((await get(`${server.url}/widget/manifest.json`)).body.toString()) as { integrity: string; bytes: number };
    const res = await get(`${server.url}${await versionedPath()}`, { 'Accept-Encoding': 'br' });
    expect(res.headers['content-encoding']).toBe('br');
    expect(`sha384-${createHash('sha384').update(decode(res)).digest('base64')}`).toBe(manifest.integrity);
    expect(decode(res).length).toBe(manifest.bytes);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');
  });

  it('sends a tiny stylesheet as it is when compressing would not make it smaller, Vary still set', async () => {
    const res = await get(`${server.url}/assets/operators.css`, { 'Accept-Encoding': 'br, gzip' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(res.headers.vary?.toLowerCase()).toContain('accept-encoding');
    if (res.headers['content-encoding']) expect(res.body.length).toBeLessThan(decode(res).length);
    expect(decode(res).toString()).toContain('csat-wall');
  });

  it('answers HEAD with the headers of the GET and no body', async () => {
    const head = await get(`${server.url}/widget/csat-badge.js`, { 'Accept-Encoding': 'gzip' }, 'HEAD');
    const full = await get(`${server.url}/widget/csat-badge.js`, { 'Accept-Encoding': 'gzip' });
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    expect(head.headers['content-encoding']).toBe('gzip');
    expect(head.headers['content-length']).toBe(String(full.body.length));
  });

  it('leaves the score JSON alone', async () => {
    const res = await get(`${server.url}/v1/sites/acme/score`, { 'Accept-Encoding': 'br, gzip' });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBeUndefined();
  });
});

describe('choosing a coding from Accept-Encoding', () => {
  it('prefers brotli on a tie, follows weights, and honours q=0 and *', () => {
    expect(chooseCoding(undefined)).toBeNull();
    expect(chooseCoding('')).toBeNull();
    expect(chooseCoding('gzip, deflate, br, zstd')).toBe('br');
    expect(chooseCoding('GZIP')).toBe('gzip');
    expect(chooseCoding('br;q=0.2, gzip;q=0.8')).toBe('gzip');
    expect(chooseCoding('br; q=0, gzip')).toBe('gzip');
    expect(chooseCoding('*')).toBe('br');
    expect(chooseCoding('*;q=0.5, br;q=0')).toBe('gzip');
    expect(chooseCoding('deflate, identity')).toBeNull();
    expect(chooseCoding('br;q=0, gzip;q=0')).toBeNull();
    expect(chooseCoding('br;q=abc')).toBeNull();
  });
});
