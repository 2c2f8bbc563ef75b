// The office wall (/wall) of NPS and CSAT sites, as the built dist/widget/csat-wall.js draws it in
// headless Chromium against the real app: the score in the site's kind ("NPS 29", "CSAT 67%"), the
// class words of that kind, and each feed item's answer in its own kind ("NPS 10", "4 out of 5"); a new
// answer moves the score live. Needs the build: `npm run build` (or `npm run build:widget`) first.
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.js';
import { newAdminKey } from '../../api/domain/tokens.js';
import { openSqliteStore } from '../../api/store/sqlite.js';
import type { Store } from '../../api/store/types.js';
import { siteWithKey, tempDbFile, testConfig } from '../api/helpers.js';
import { listen } from '../api/http-server.js';
import { launchChromium } from './chromium.js';

const SCRIPT_FILE = resolve(import.meta.dirname, '../../dist/widget/csat-wall.js');
const SLOW = { timeout: 60_000 };

let browser: Browser;
let store: Store;
let server: Awaited<ReturnType<typeof listen>>;
const adminKeys: Record<string, string> = {};
const wallKeys: Record<string, string> = {};
let sequence = 0;

async function http(method: string, path: string, body?: unknown, key?: string) {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (key) headers.Authorization = `Bearer ${key}`;
  return fetch(`${server.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}

async function answer(site: string, score: number, comment?: string) {
  const created = await http('POST', `/v1/sites/${site}/surveys`, { ticketRef: `W-${++sequence}`, team: 'Service desk' }, adminKeys[site]);
  expect(created.status).toBe(201);
  const { token } = (await created.json()) as { token: string };
  expect((await http('POST', '/v1/responses', { token, score, ...(comment && { comment }) })).status).toBe(201);
}

beforeAll(async () => {
  if (!existsSync(SCRIPT_FILE)) throw new Error(`${SCRIPT_FILE} is missing: run npm run build (or npm run build:widget) first.`);
  const script = readFileSync(SCRIPT_FILE, 'utf8');
  let app: ReturnType<typeof createApp> | undefined;
  server = await listen({ fetch: (r) => app!.fetch(r) });
  store = openSqliteStore(tempDbFile());
  const clock = { now: () => Date.now() };
  app = createApp({ store, clock, config: testConfig({ publicUrl: server.url, heartbeatMs: 1000, operatorScripts: { 'csat-wall': script } }) });
  for (const [slug, kind] of [
    ['pulse', { kind: 'nps' as const }],
    ['care', { kind: 'csat' as const, scale: 5 }],
  ] as const) {
    const made = await siteWithKey(store, { slug, name: `${slug} IT`, ...kind }, clock.now());
    adminKeys[slug] = made.key;
    const wall = newAdminKey();
    await store.addAdminKey({ id: wall.id, siteId: made.site.id, hash: wall.hash, scope: 'wall' }, clock.now());
    wallKeys[slug] = wall.key;
  }
  // NPS: 4 promoters, 1 passive, 2 detractors of 7 -> 57.1% - 28.6% = 29.
  for (const score of [10, 9, 10, 8, 3, 6]) await answer('pulse', score);
  await answer('pulse', 10, 'Sorted before lunch.');
  // CSAT 1-5: 4 and 5 satisfied, 2 not -> 67%.
  for (const score of [2, 5]) await answer('care', score);
  await answer('care', 4, 'Good enough.');
  browser = await launchChromium();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await store?.close();
});

async function openWall(site: string): Promise<{ page: Page; close: () => Promise<void>; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${server.url}/wall?site=${site}#key=${wallKeys[site]}`);
  await page.locator('csat-wall [part="score"]').waitFor({ timeout: 10_000 });
  return { page, errors, close: () => context.close() };
}

const publicScore = async (site: string) => (await (await http('GET', `/v1/sites/${site}/score`)).json()) as { kind: string; score: number };

describe('the wall of an NPS site', () => {
  it('shows "NPS n" as the API scores it, the NPS classes, and each answer as "NPS n"; a new answer moves it live', SLOW, async () => {
    const { page, close, errors } = await openWall('pulse');
    try {
      const score = await publicScore('pulse');
      expect(score).toMatchObject({ kind: 'nps', score: 29 });
      expect(await page.locator('csat-wall [part="score"]').textContent()).toBe('NPS 29');
      expect(await page.locator('csat-wall .outof').textContent()).toBe('promoters minus detractors');
      expect(await page.locator('csat-wall [part="today"] li .muted').allTextContents()).toEqual(['Promoters', 'Passives', 'Detractors']);
      expect(await page.locator('csat-wall .legend').textContent()).toContain('Promoters 57.1%');
      const newest = page.locator('csat-wall [part~="reaction"]').first();
      expect(await newest.locator('.reaction-label').textContent()).toBe('NPS 10');
      expect(await newest.locator('[part="comment"]').textContent()).toBe('Sorted before lunch.');
      expect(await page.locator('csat-wall h2#h-feed').textContent()).toBe('Latest answers');

      await answer('pulse', 0, 'Nobody called back.');
      await page.locator('csat-wall [part~="reaction"]', { hasText: 'Nobody called back.' }).waitFor({ timeout: 2_000 });
      expect(await page.locator('csat-wall [part~="reaction"]').first().locator('.reaction-label').textContent()).toBe('NPS 0');
      const moved = await publicScore('pulse');
      expect(moved.score).toBe(13); // 4 promoters, 3 detractors of 8: 50% - 37.5% = 12.5, half away from zero
      await expect.poll(() => page.locator('csat-wall [part="score"]').textContent()).toBe('NPS 13');
      await page.screenshot({ path: join(tmpdir(), 'csat-wall-nps.png') }); // for a person to look at
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });
});

describe('the wall of a CSAT site', () => {
  it('shows "CSAT n%" and each answer as "n out of 5"', SLOW, async () => {
    const { page, close, errors } = await openWall('care');
    try {
      expect(await publicScore('care')).toMatchObject({ kind: 'csat', score: 67 });
      expect(await page.locator('csat-wall [part="score"]').textContent()).toBe('CSAT 67%');
      expect(await page.locator('csat-wall [part="week"] li .muted').allTextContents()).toEqual(['Satisfied', 'Neutral', 'Dissatisfied']);
      expect(await page.locator('csat-wall [part~="reaction"] .reaction-label').allTextContents()).toEqual(['4 out of 5', '5 out of 5', '2 out of 5']);
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });
});
