import { describe, expect, it } from 'vitest';
import { DAY_MS } from '../../../api/domain/window.js';
import { testApi, T0 } from '../helpers.js';

type Api = Awaited<ReturnType<typeof testApi>>;

/** Creates and answers one survey per reaction given, at the current clock time. */
async function answer(t: Api, reactions: string[], prefix = 'T') {
  for (const [i, reaction] of reactions.entries()) {
    const { token } = await t.createSurvey(`${prefix}-${t.clock.ms}-${i}`);
    const res = await t.react(token, reaction);
    if (res.status !== 201) throw new Error(`reaction failed: ${res.status}`);
  }
}

describe('GET /v1/sites/:site/score', () => {
  it('is a state of its own with no ratings: score null, not 0', async () => {
    const t = await testApi({ site: { windowDays: 90 } });
    const res = await t.app.request('/v1/sites/acme/score');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      site: 'acme',
      name: 'Acme IT',
      kind: 'reaction',
      scale: null,
      moments: null,
      score: null,
      exact: null,
      window: { days: 90, from: '2026-08-26', to: '2026-11-23' },
      counts: { positive: 0, neutral: 0, negative: 0, total: 0, imported: 0 },
      percent: { positive: 0, neutral: 0, negative: 0 },
      distribution: null,
      benchmark: null,
      origin: { imported: 0, importedDays: null, seeded: 0, sealed: 0 },
      updatedAt: null,
      // The public log's head: empty, the empty tree's root, a signed checkpoint (test/api/log/).
      log: { size: 0, rootHash: '47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=', checkpoint: expect.stringMatching(/^csat-badge\/acme\/\w+\n0\n/) },
    });
  });

  it('reports score, exact, counts, percentages, benchmark and updatedAt', async () => {
    const t = await testApi({ site: { industry: 'it-services' } });
    await answer(t, ['positive', 'positive', 'positive', 'neutral', 'negative', 'positive', 'positive']);
    const body = (await (await t.app.request('/v1/sites/acme/score')).json()) as Record<string, unknown>;
    // (5 - 1) / 7 = 57.142857…
    expect(body.score).toBe(57);
    expect(body.exact).toBe(57.1);
    expect(body.counts).toEqual({ positive: 5, neutral: 1, negative: 1, total: 7, imported: 0 });
    expect(body.percent).toEqual({ positive: 71.4, neutral: 14.3, negative: 14.3 });
    expect(body.benchmark).toEqual({ industry: 'it-services', label: 'IT Service & Consultancy', positivePercent: 95, source: 'published industry averages of three-reaction surveys' });
    expect(body.updatedAt).toBe(new Date(T0).toISOString());
  });

  it('counts only the days of the site\'s own window, computed at request time', async () => {
    const t = await testApi({ site: { windowDays: 30 } });
    await answer(t, ['negative', 'negative']); // day 0
    t.clock.advanceDays(29);
    await answer(t, ['positive']); // day 29: window is days 0..29
    expect((await t.score()).counts.total).toBe(3);
    t.clock.advanceDays(1); // day 30: day 0 has left the window
    const score = await t.score();
    expect(score.counts).toMatchObject({ positive: 1, negative: 0, total: 1 });
    expect(score.score).toBe(100);
    expect(score.window).toEqual({ days: 30, from: new Date(T0 + DAY_MS).toISOString().slice(0, 10), to: new Date(T0 + 30 * DAY_MS).toISOString().slice(0, 10) });
  });

  it('reports imported ratings among the counted ones', async () => {
    const t = await testApi();
    await t.store.importResponses(
      t.site.id,
      [
        { line: 2, respondedAt: T0 - 3 * DAY_MS, ticketRef: 'OLD-1', reaction: 'positive', comment: null },
        { line: 3, respondedAt: T0 - 200 * DAY_MS, ticketRef: 'OLD-2', reaction: 'negative', comment: null },
      ],
      T0,
    );
    await answer(t, ['neutral']);
    expect((await t.score()).counts).toEqual({ positive: 1, neutral: 1, negative: 0, total: 2, imported: 1 });
  });

  it('sends a strong ETag and public caching, and 304 on If-None-Match with the CORS headers kept', async () => {
    const t = await testApi();
    await answer(t, ['positive']);
    const first = await t.app.request('/v1/sites/acme/score');
    const etag = first.headers.get('ETag')!;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{20,}"$/); // strong: no W/ prefix
    expect(first.headers.get('Cache-Control')).toBe('public, max-age=0, must-revalidate, s-maxage=30');
    expect(first.headers.get('Access-Control-Allow-Origin')).toBe('*');
    expect(first.headers.get('Cross-Origin-Resource-Policy')).toBe('cross-origin');

    const again = await t.app.request('/v1/sites/acme/score', { headers: { 'If-None-Match': etag, Origin: 'https://acme.example' } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    expect(again.headers.get('ETag')).toBe(etag);
    expect(again.headers.get('Cache-Control')).toBe('public, max-age=0, must-revalidate, s-maxage=30');
    expect(again.headers.get('Access-Control-Allow-Origin')).toBe('*');
    expect(again.headers.get('Cross-Origin-Resource-Policy')).toBe('cross-origin');
    expect((await t.app.request('/v1/sites/acme/score', { headers: { 'If-None-Match': `"other", W/${etag}` } })).status).toBe(304);

    await answer(t, ['negative'], 'U');
    const changed = await t.app.request('/v1/sites/acme/score', { headers: { 'If-None-Match': etag } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('ETag')).not.toBe(etag);
  });

  it('answers 404 site_not_found for unknown and hostile site names', async () => {
    const t = await testApi();
    for (const site of ['nobody', 'ACME', 'acme%00', 'a'.repeat(64), "acme'--", '%F0%9F%91%8D']) {
      const res = await t.app.request(`/v1/sites/${site}/score`);
      expect(res.status, site).toBe(404);
      expect((await res.json()).error.code).toBe('site_not_found');
    }
    // A dot-segment is resolved by URL parsing before routing: no route, still a JSON 404.
    const dots = await t.app.request('/v1/sites/%2e%2e/score');
    expect(dots.status).toBe(404);
    expect((await dots.json()).error.code).toBe('not_found');
  });

  it('never records anything on GET or HEAD', async () => {
    const t = await testApi();
    const { token } = await t.createSurvey('T-1');
    for (const method of ['GET', 'HEAD']) {
      await t.app.request('/v1/sites/acme/score', { method });
      await t.app.request(`/v1/responses/${token}`, { method });
      await t.app.request(`/v1/responses?token=${token}&reaction=positive`, { method });
    }
    expect(await t.store.listEvents(t.site.id)).toEqual([]);
    expect((await t.score()).counts.total).toBe(0);
  });

  it('answers unknown routes with the JSON error shape and security headers', async () => {
    const t = await testApi();
    const res = await t.app.request('/v2/whatever');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'not_found', message: 'no route for GET /v2/whatever' } });
    expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(res.headers.get('Cross-Origin-Resource-Policy')).toBe('same-origin');
  });
});

describe('GET /v1/sites/:site/badge.svg', () => {
  it('renders the score as an accessible SVG with the same caching', async () => {
    const t = await testApi();
    await answer(t, ['positive', 'positive', 'positive', 'negative']);
    const res = await t.app.request('/v1/sites/acme/badge.svg');
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('image/svg+xml; charset=utf-8');
    expect(res.headers.get('Cache-Control')).toBe('public, max-age=0, must-revalidate, s-maxage=30');
    expect(res.headers.get('Cross-Origin-Resource-Policy')).toBe('cross-origin');
    expect(res.headers.get('Content-Security-Policy')).toContain("default-src 'none'");
    const svg = await res.text();
    expect(svg).toContain('role="img"');
    expect(svg).toContain('>50/100<');
    expect(svg).toContain('<title>Customer satisfaction: 50 out of 100 (last 90 days, 4 ratings)</title>');
    const etag = res.headers.get('ETag')!;
    expect((await t.app.request('/v1/sites/acme/badge.svg', { headers: { 'If-None-Match': etag } })).status).toBe(304);
  });

  it('says "no ratings yet" when the window is empty', async () => {
    const t = await testApi();
    const svg = await (await t.app.request('/v1/sites/acme/badge.svg')).text();
    expect(svg).toContain('>no ratings yet<');
    expect(svg).not.toContain('/100');
  });
});
