// The score's fast path (api/services/score-cache.ts): a read the full route answered once is answered again in
// front of the router, byte for byte and header for header, until a reaction, the UTC day or another
// process's change (within CACHE_MS) makes it stale; bad reads keep their 4xx errors.
import http from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { Hono } from 'hono';
import { createApp } from '../../api/app.js';
import { scoreRoutes } from '../../api/routes/score.js';
import { DAY_MS } from '../../api/domain/window.js';
import { CACHE_MS, ScoreCache } from '../../api/services/score-cache.js';
import { openSqliteStore } from '../../api/store/sqlite.js';
import { listen } from './http-server.js';
import { T0, testApi } from './helpers.js';

type Api = Awaited<ReturnType<typeof testApi>>;

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function answer(t: Api, reactions: string[], prefix = 'T') {
  for (const [i, reaction] of reactions.entries()) {
    const { token } = await t.createSurvey(`${prefix}-${t.clock.ms}-${i}`);
    const res = await t.react(token, reaction);
    if (res.status !== 201) throw new Error(`reaction failed: ${res.status}`);
  }
}

interface Raw {
  status: number;
  /** Name/value pairs in the order sent, without the ones that differ per response (Date) or per connection. */
  headers: Array<[string, string]>;
  body: string;
}

/** A GET over a real socket, keeping the headers as sent (order and case included). */
function get(url: string, headers: Record<string, string> = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers, agent: false }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => {
          const pairs: Array<[string, string]> = [];
          for (let i = 0; i < res.rawHeaders.length; i += 2) {
            const name = res.rawHeaders[i]!;
            if (!['date', 'connection', 'keep-alive'].includes(name.toLowerCase())) pairs.push([name, res.rawHeaders[i + 1]!]);
          }
          resolve({ status: res.statusCode!, headers: pairs, body });
        });
      })
      .on('error', reject);
  });
}

/** The app of `t` served over HTTP, and a second app on the same store whose cache starts empty, so
 * its first answer to any read comes from the full middleware chain. */
async function servers(t: Api) {
  const warm = await listen(t.app);
  const coldApp = () => createApp({ store: t.store, clock: t.clock, config: t.config });
  cleanups.push(warm.close);
  const cold = async () => {
    const app = coldApp();
    const server = await listen(app);
    cleanups.push(server.close);
    return { app, url: server.url };
  };
  return { warm: warm.url, cold };
}

describe('the score fast path', () => {
  for (const path of ['/v1/sites/acme/score', '/v1/sites/acme/score?window=30', '/v1/sites/acme/badge.svg']) {
    it(`answers ${path} with the full chain's bytes and headers, 200 and 304`, async () => {
      const t = await testApi();
      await answer(t, ['positive', 'positive', 'neutral']);
      const { warm, cold } = await servers(t);

      const full = await get(warm + path); // a miss: the full route answers and leaves its answer
      expect(full.status).toBe(200);
      const before = t.app.scoreCache.hits;
      const fast = await get(warm + path);
      expect(t.app.scoreCache.hits).toBe(before + 1);
      expect(fast).toEqual(full);
      // The security headers and the route's own are all there (the list is the chain's, not a copy).
      const names = fast.headers.map(([name]) => name.toLowerCase());
      for (const name of ['x-content-type-options', 'strict-transport-security', 'access-control-allow-origin', 'cross-origin-resource-policy', 'etag', 'cache-control', 'content-type', 'content-length']) {
        expect(names, name).toContain(name);
      }

      const etag = fast.headers.find(([name]) => name.toLowerCase() === 'etag')![1];
      const coldServer = await cold();
      const full304 = await get(coldServer.url + path, { 'If-None-Match': etag });
      expect(coldServer.app.scoreCache.hits).toBe(0);
      expect(full304.status).toBe(304);
      const fast304 = await get(warm + path, { 'If-None-Match': etag });
      expect(t.app.scoreCache.hits).toBe(before + 2);
      expect(fast304).toEqual(full304);
      expect(fast304.body).toBe('');

      // A cache filled by a 304 answers 200 with the same headers as the full chain's 200.
      const fastAfter304 = await get(coldServer.url + path);
      expect(coldServer.app.scoreCache.hits).toBe(1);
      expect(fastAfter304).toEqual(full);
    });
  }

  it('answers 304 for any tag list naming the current tag, and 200 for other tags', async () => {
    const t = await testApi();
    await answer(t, ['positive']);
    const first = await t.app.request('/v1/sites/acme/score');
    const etag = first.headers.get('ETag')!;
    const body = await first.text();
    const before = t.app.scoreCache.hits;
    for (const tag of [etag, `W/${etag}`, `"other", ${etag}`, `"a",W/${etag} `, '*']) {
      const res = await t.app.request('/v1/sites/acme/score', { headers: { 'If-None-Match': tag } });
      expect(res.status, tag).toBe(304);
      expect(res.headers.get('ETag')).toBe(etag);
      expect(res.headers.get('Access-Control-Allow-Origin')).toBe('*');
    }
    for (const tag of ['"other"', etag.slice(0, -2) + '"', '']) {
      const res = await t.app.request('/v1/sites/acme/score', { headers: { 'If-None-Match': tag } });
      expect(res.status, tag).toBe(200);
      expect(await res.text()).toBe(body);
    }
    expect(t.app.scoreCache.hits).toBe(before + 8);
  });

  it('shows a reaction on the next read', async () => {
    const t = await testApi();
    await answer(t, ['positive']);
    const first = await t.app.request('/v1/sites/acme/score');
    const etag = first.headers.get('ETag')!;
    expect((await t.app.request('/v1/sites/acme/score', { headers: { 'If-None-Match': etag } })).status).toBe(304);
    await answer(t, ['negative'], 'U');
    const next = await t.app.request('/v1/sites/acme/score', { headers: { 'If-None-Match': etag } });
    expect(next.status).toBe(200);
    expect(next.headers.get('ETag')).not.toBe(etag);
    expect(((await next.json()) as { counts: { total: number } }).counts.total).toBe(2);
    const svg = await (await t.app.request('/v1/sites/acme/badge.svg')).text();
    expect(svg).toContain('>0/100<');
  });

  it('moves the window at UTC midnight without a reaction', async () => {
    const t = await testApi({ site: { windowDays: 30 } });
    await answer(t, ['positive']); // T0 = 2026-11-23 12:00 UTC
    t.clock.advanceDays(29); // 2026-12-22 12:00: the answer's day is the window's first
    t.clock.advance(12 * 3_600_000 - 1_000); // 23:59:59
    const late = await t.score();
    expect(late.counts.total).toBe(1);
    const before = t.app.scoreCache.hits;
    expect((await t.score()).counts.total).toBe(1);
    expect(t.app.scoreCache.hits).toBe(before + 1);
    t.clock.advance(2_000); // 00:00:01 the next day, well within CACHE_MS of the last computation
    const next = await t.score();
    expect(next.window).toMatchObject({ to: '2026-12-23' });
    expect(next.counts.total).toBe(0);
    expect(next.score).toBeNull();
  });

  it(`shows another connection's changes within ${CACHE_MS / 1000} s`, async () => {
    const t = await testApi();
    await answer(t, ['positive']);
    expect((await t.score()).counts.total).toBe(1);
    // Another process on the same file: a CLI import and a rename, which this process's hub never hears of.
    const other = openSqliteStore(t.file);
    cleanups.push(() => other.close());
    await other.importResponses(t.site.id, [{ line: 2, respondedAt: T0 - DAY_MS, ticketRef: 'OLD-1', reaction: 'negative', comment: null }], T0);
    await other.updateSite('acme', { name: 'Acme Services' });
    t.clock.advance(CACHE_MS);
    const score = await t.score();
    expect(score.counts).toMatchObject({ total: 2, negative: 1, imported: 1 });
    expect(score.name).toBe('Acme Services');
  });

  it('keeps the 4xx errors of bad reads, whatever is cached', async () => {
    const t = await testApi({ site: { windowDays: 90 } });
    await answer(t, ['positive']);
    for (const path of ['/v1/sites/acme/score', '/v1/sites/acme/score?window=30', '/v1/sites/acme/badge.svg']) {
      expect((await t.app.request(path)).status).toBe(200);
    }
    const cases: Array<[string, number, string]> = [
      ['/v1/sites/acme/score?window=5', 400, 'invalid_window'],
      ['/v1/sites/acme/score?window=91', 400, 'invalid_window'],
      ['/v1/sites/acme/score?window=abc', 400, 'invalid_window'],
      ['/v1/sites/acme/score?window=', 400, 'invalid_window'],
      ['/v1/sites/acme/badge.svg?window=1000', 400, 'invalid_window'],
      ['/v1/sites/nobody/score', 404, 'site_not_found'],
      ['/v1/sites/ACME/score', 404, 'site_not_found'],
      ['/v1/sites/nobody/badge.svg', 404, 'site_not_found'],
    ];
    const before = t.app.scoreCache.hits;
    for (const [path, status, code] of cases) {
      const res = await t.app.request(path);
      expect(res.status, path).toBe(status);
      expect(((await res.json()) as { error: { code: string } }).error.code, path).toBe(code);
    }
    expect(t.app.scoreCache.hits).toBe(before);
  });

  it('leaves other queries and HEAD to the full route, with the same answer', async () => {
    const t = await testApi();
    await answer(t, ['positive']);
    const plain = await t.app.request('/v1/sites/acme/score');
    const body = await plain.text();
    const before = t.app.scoreCache.hits;
    const tagged = await t.app.request('/v1/sites/acme/score?utm_source=mail');
    expect(await tagged.text()).toBe(body);
    const head = await t.app.request('/v1/sites/acme/score', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('ETag')).toBe(plain.headers.get('ETag'));
    expect(head.headers.get('Cross-Origin-Resource-Policy')).toBe('cross-origin');
    expect(await head.text()).toBe('');
    expect(t.app.scoreCache.hits).toBe(before);
    // ...and a query the fast path does not key leaves nothing behind for it.
    await t.app.request('/v1/sites/acme/score?utm_source=mail');
    expect(t.app.scoreCache.hits).toBe(before);
  });

  it('keeps no answer that depends on request headers (Vary) or that a middleware encoded', async () => {
    const t = await testApi();
    await answer(t, ['positive']);
    const cache = new ScoreCache(t.store, t.clock, t.app.hub);
    const app = new Hono()
      .use('/v1/sites/:site/score', cache.capture)
      .use('/v1/sites/:site/badge.svg', cache.capture)
      .use('/v1/sites/acme/score', async (c, next) => {
        await next();
        c.header('Vary', 'Accept-Language');
      })
      .use('/v1/sites/acme/badge.svg', async (c, next) => {
        await next();
        // As a compression middleware would: another body, another encoding.
        c.res = new Response(gzipSync(await c.res.arrayBuffer()), c.res);
        c.header('Content-Encoding', 'gzip');
      })
      .route('/v1/sites', scoreRoutes({ store: t.store, cache }));
    const serve = (path: string) => cache.answer(new Request(`http://localhost${path}`)) ?? app.request(path);
    for (const path of ['/v1/sites/acme/score', '/v1/sites/acme/badge.svg']) {
      for (let i = 0; i < 2; i++) expect((await serve(path)).status, path).toBe(200);
    }
    expect(cache.hits).toBe(0);
    // The same cache behind a chain that adds nothing per request answers the second read itself.
    const plain = new Hono().use('/v1/sites/:site/score', cache.capture).route('/v1/sites', scoreRoutes({ store: t.store, cache }));
    const again = (path: string) => cache.answer(new Request(`http://localhost${path}`)) ?? plain.request(path);
    await again('/v1/sites/acme/score');
    expect((await again('/v1/sites/acme/score')).headers.get('Vary')).toBeNull();
    expect(cache.hits).toBe(1);
  });
});
