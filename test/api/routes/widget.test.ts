import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { testApi } from '../helpers.js';

const SCRIPT = 'console.log("csat-badge drop-in");';

describe('the drop-in script routes', () => {
  it('serve the script at an evergreen URL and a versioned, immutable URL named in the manifest', async () => {
    const t = await testApi({ config: { widgetScript: SCRIPT } });
    const evergreen = await t.app.request('/widget/csat-badge.js');
    expect(evergreen.status).toBe(200);
    expect(evergreen.headers.get('Content-Type')).toBe('text/javascript; charset=utf-8');
    expect(evergreen.headers.get('Cache-Control')).toMatch(/^public, max-age=3600/);
    expect(evergreen.headers.get('Access-Control-Allow-Origin')).toBe('*');
    expect(evergreen.headers.get('Cross-Origin-Resource-Policy')).toBe('cross-origin');
    expect(await evergreen.text()).toBe(SCRIPT);
    expect((await t.app.request('/widget/csat-badge.js', { headers: { 'If-None-Match': evergreen.headers.get('ETag')! } })).status).toBe(304);

    const manifest = (await (await t.app.request('/widget/manifest.json')).json()) as { script: string; integrity: string; bytes: number };
    expect(manifest.integrity).toBe(`sha384-${createHash('sha384').update(SCRIPT).digest('base64')}`);
    expect(manifest.bytes).toBe(SCRIPT.length);
    const versioned = await t.app.request(manifest.script);
    expect(versioned.status).toBe(200);
    expect(versioned.headers.get('Cache-Control')).toBe('public, max-age=31536000, immutable');
    expect(await versioned.text()).toBe(SCRIPT);
    expect((await t.app.request('/widget/csat-badge-000000000000.js')).status).toBe(404);
  });

  it('say clearly when the widget has not been built', async () => {
    const t = await testApi();
    const res = await t.app.request('/widget/csat-badge.js');
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe('widget_not_built');
  });
});

describe('GET /v1/sites/:site/score?window=N', () => {
  it('narrows the window from 7 days up to the site\'s own, and refuses anything else', async () => {
    const t = await testApi({ site: { windowDays: 90 } });
    const { token } = await t.createSurvey('T-1');
    await t.react(token, 'positive');
    t.clock.advanceDays(10);
    const week = await (await t.app.request('/v1/sites/acme/score?window=7')).json();
    expect(week.window.days).toBe(7);
    expect(week.score).toBeNull();
    const month = await (await t.app.request('/v1/sites/acme/score?window=30')).json();
    expect(month.counts.total).toBe(1);
    for (const bad of ['6', '91', '1e1', '-7', 'abc', '']) {
      const res = await t.app.request(`/v1/sites/acme/score?window=${bad}`);
      expect(res.status, bad).toBe(400);
      expect((await res.json()).error.code).toBe('invalid_window');
    }
    expect((await t.app.request('/v1/sites/acme/badge.svg?window=30')).status).toBe(200);
  });
});

describe('GET /about/score', () => {
  it('explains the formula with the worked example', async () => {
    const t = await testApi();
    const page = await (await t.app.request('/about/score')).text();
    expect(page).toContain('% good − % bad');
    expect(page).toContain('97.8');
  });
});
