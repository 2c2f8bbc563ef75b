// The admin page (/admin) for CSAT and NPS sites (and a reaction site with CSAT and NPS campaigns), in real headless Chromium against the real app and a
// real SQLite file: the inbox shows each answer in its kind's terms with its class, moment and the
// dimensions named, filters by class and moment, the report groups by moment with each group's score in
// the site's kind, and "What mattered" gives each dimension's share per class. Axe-clean.
// Needs the build: `npm run build` (dist/widget/csat-admin.js).
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.js';
import { openSqliteStore } from '../../api/store/sqlite.js';
import type { Store } from '../../api/store/types.js';
import { siteWithKey, tempDbFile, testConfig, TestClock } from '../api/helpers.js';
import { listen } from '../api/http-server.js';
import { axeViolations } from './axe.js';
import { launchChromium } from './chromium.js';

const SCRIPT_FILE = resolve(import.meta.dirname, '../../dist/widget/csat-admin.js');
const SLOW = { timeout: 30_000 };

let browser: Browser;
let store: Store;
let server: Awaited<ReturnType<typeof listen>>;
const keys: Record<string, string> = {};

interface Seed {
  ticketRef: string;
  score: number;
  moment?: string;
  team?: string;
  dimensions?: string[];
  comment?: string;
}

// NPS: promoters T-4, T-5, T-6; passive T-3; detractors T-1, T-2 -> 50% - 33.3% = NPS 17.
// Closed tickets: 2 promoters, 2 detractors -> NPS 0. Onboarding: 1 promoter, 1 passive -> NPS 50.
const NPS: Seed[] = [
  { ticketRef: 'T-1', score: 3, dimensions: ['responsiveness', 'empathy'], comment: 'Slow answers.' },
  { ticketRef: 'T-2', score: 6, dimensions: ['responsiveness'] },
  { ticketRef: 'T-3', score: 8, moment: 'onboarding', dimensions: ['reliability'] },
  { ticketRef: 'T-4', score: 10, moment: 'onboarding', dimensions: ['assurance'] },
  { ticketRef: 'T-5', score: 9 },
  { ticketRef: 'T-6', score: 10 },
];
// CSAT 1-5: one satisfied (4), one dissatisfied (2) -> CSAT 50%.
const CSAT: Seed[] = [
  { ticketRef: 'C-1', score: 4, team: 'Network' },
  { ticketRef: 'C-2', score: 2, team: 'Network' },
];

async function http(method: string, path: string, body?: unknown, key?: string) {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (key) headers.Authorization = `Bearer ${key}`;
  return fetch(`${server.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}

async function answer(site: string, clock: TestClock, { ticketRef, score, moment, team, dimensions, comment }: Seed) {
  clock.advance(60_000);
  const created = await http('POST', `/v1/sites/${site}/surveys`, { ticketRef, ...(moment && { moment }), ...(team && { team }) }, keys[site]);
  expect(created.status).toBe(201);
  const { token } = (await created.json()) as { token: string };
  const answered = await http('POST', '/v1/responses', { token, score, ...(dimensions && { dimensions }), ...(comment && { comment }) });
  expect(answered.status).toBe(201);
}

beforeAll(async () => {
  if (!existsSync(SCRIPT_FILE)) throw new Error(`${SCRIPT_FILE} is missing: run npm run build (or npm run build:widget) first.`);
  const script = readFileSync(SCRIPT_FILE, 'utf8');
  let app: ReturnType<typeof createApp> | undefined;
  server = await listen({ fetch: (r) => app!.fetch(r) });
  store = openSqliteStore(tempDbFile());
  const clock = new TestClock();
  app = createApp({ store, clock, config: testConfig({ publicUrl: server.url, operatorScripts: { 'csat-admin': script } }) });
  keys.pulse = (await siteWithKey(store, { slug: 'pulse', name: 'Pulse IT', kind: 'nps' }, clock.now())).key;
  keys.care = (await siteWithKey(store, { slug: 'care', name: 'Care IT', kind: 'csat', scale: 5 }, clock.now())).key;
  for (const seed of NPS) await answer('pulse', clock, seed);
  for (const seed of CSAT) await answer('care', clock, seed);
  // A reaction site whose relationship campaigns ask CSAT and NPS: one inbox, three kinds.
  keys.mixed = (await siteWithKey(store, { slug: 'mixed', name: 'Mixed IT' }, clock.now())).key;
  clock.advance(60_000);
  const ticket = await http('POST', '/v1/sites/mixed/surveys', { ticketRef: 'R-1' }, keys.mixed);
  expect((await http('POST', '/v1/responses', { token: ((await ticket.json()) as { token: string }).token, reaction: 'neutral' })).status).toBe(201);
  for (const [name, kind, score] of [['Quarterly CSAT', { kind: 'csat', scale: 5 }, 4], ['Yearly NPS', { kind: 'nps' }, 6]] as const) {
    clock.advance(60_000);
    const campaign = await http('POST', '/v1/sites/mixed/campaigns', { name, ...kind, contacts: [{ email: 'it@client.example', name: 'Client IT' }], throttleDays: 0 }, keys.mixed);
    expect(campaign.status).toBe(201);
    const run = await http('POST', `/v1/sites/mixed/campaigns/${((await campaign.json()) as { id: string }).id}/run`, undefined, keys.mixed);
    expect(run.status).toBe(201);
    const { surveys } = (await run.json()) as { surveys: Array<{ link: string }> };
    const token = surveys[0]!.link.split('/s/')[1]!;
    expect((await http('POST', '/v1/responses', { token, score })).status).toBe(201);
  }
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await store?.close();
});

/** /admin for `site`, signed in for this tab, with page errors collected. */
async function openAdmin(site: string, options: { bypassCSP?: boolean } = {}) {
  const context: BrowserContext = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.addInitScript((session) => sessionStorage.setItem('csat-admin:session', session), JSON.stringify({ site, key: keys[site] }));
  await page.goto(`${server.url}/admin?site=${site}`);
  await page.locator('csat-admin .layout tbody tr').first().waitFor();
  return { context, page, errors };
}

const tickets = (page: Page) => page.locator('csat-admin .layout tbody button.link').allTextContents();
const row = (page: Page, ticketRef: string) => page.locator('csat-admin .layout tbody tr').filter({ hasText: ticketRef });

describe('an NPS site', () => {
  let context: BrowserContext;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    ({ context, page, errors } = await openAdmin('pulse'));
  }, 30_000);

  afterAll(async () => {
    await context?.close();
  });

  it('shows each answer as "NPS n" with its class, its moment and the dimensions named', SLOW, async () => {
    await expect.poll(() => tickets(page)).toEqual(['T-6', 'T-5', 'T-4', 'T-3', 'T-2', 'T-1']);
    const t1 = row(page, 'T-1');
    expect(await t1.locator('.answer .tag').textContent()).toBe('NPS 3');
    expect(await t1.locator('.answer .class').textContent()).toBe('detractor');
    expect(await t1.locator('.answer .named').textContent()).toBe('Mattered: Responsiveness, Empathy');
    expect(await t1.locator('td.moment').textContent()).toBe('Closed ticket');
    const t3 = row(page, 'T-3');
    expect(await t3.locator('.answer .tag').textContent()).toBe('NPS 8');
    expect(await t3.locator('.answer .class').textContent()).toBe('passive');
    expect(await t3.locator('td.moment').textContent()).toBe('Onboarding');
    expect(await row(page, 'T-6').locator('.answer .class').textContent()).toBe('promoter');
  });

  it('filters by class in the kind’s words and by moment', SLOW, async () => {
    const classFilter = page.locator('csat-admin #f-reaction');
    expect(await page.locator('csat-admin label[for="f-reaction"]').textContent()).toBe('Class');
    expect(await classFilter.locator('option').allTextContents()).toEqual(['Any', 'Promoters', 'Passives', 'Detractors']);
    await classFilter.selectOption('negative');
    await page.locator('csat-admin form.filters button[type="submit"]').click();
    await expect.poll(() => tickets(page)).toEqual(['T-2', 'T-1']);
    expect(await page.locator('csat-admin form.filters button.export').textContent()).toBe('Export detractors as CSV');

    await classFilter.selectOption('');
    await page.locator('csat-admin #f-moment').selectOption('onboarding');
    await page.locator('csat-admin form.filters button[type="submit"]').click();
    await expect.poll(() => tickets(page)).toEqual(['T-4', 'T-3']);
    expect(await page.locator('csat-admin form.filters button.export').textContent()).toBe('Export moment onboarding as CSV');

    await page.locator('csat-admin form.filters').getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(() => tickets(page)).toHaveLength(6);
  });

  it('the details show the answer, its class, moment and dimensions', SLOW, async () => {
    await page.locator('csat-admin .layout tbody button.link').filter({ hasText: 'T-1' }).click();
    const answerCell = page.locator('csat-admin .details dd.answer');
    await expect.poll(() => answerCell.locator('.tag').textContent()).toBe('NPS 3');
    expect(await answerCell.locator('.class').textContent()).toBe('detractor');
    expect(await answerCell.locator('.named').textContent()).toBe('Mattered: Responsiveness, Empathy');
    await page.locator('csat-admin .details').getByRole('button', { name: 'Close' }).click();
  });

  it('the report groups by moment, each group’s score as "NPS n", as the API computes it', SLOW, async () => {
    const rows = page.locator('csat-admin table.report tbody tr');
    await expect.poll(() => rows.count()).toBeGreaterThan(0);
    await page.locator('csat-admin #report-group').selectOption('moment');
    await expect.poll(() => page.locator('csat-admin table.report caption').textContent()).toContain('Score per moment');
    const shown = await rows.evaluateAll((trs) => trs.map((tr) => [tr.querySelector('th')!.textContent!.trim(), tr.querySelector('td.score')!.textContent!.trim()]));
    expect(Object.fromEntries(shown)).toEqual({ 'Closed ticket': 'NPS 0', Onboarding: 'NPS 50' });
    // The same figures as the API's report.
    const api = (await (await http('GET', '/v1/sites/pulse/report?groupBy=moment', undefined, keys.pulse)).json()) as { groups: Array<{ group: string; score: number }> };
    expect(Object.fromEntries(api.groups.map((g) => [g.group, g.score]))).toEqual({ 'ticket-closed': 0, onboarding: 50 });
  });

  it('"What mattered" names each dimension’s share of each class', SLOW, async () => {
    const items = page.locator('csat-admin ul.mattered li');
    await expect.poll(() => items.count()).toBe(5);
    const text = async (dimension: string) => (await page.locator(`csat-admin ul.mattered li[data-dimension="${dimension}"]`).textContent())!.replace(/\s+/g, ' ').trim();
    expect(await text('responsiveness')).toBe('Responsiveness: named by 100% of detractors, 0% of passives, 0% of promoters');
    expect(await text('empathy')).toBe('Empathy: named by 50% of detractors, 0% of passives, 0% of promoters');
    expect(await text('reliability')).toBe('Reliability: named by 0% of detractors, 100% of passives, 0% of promoters');
    expect(await text('assurance')).toBe('Assurance: named by 0% of detractors, 0% of passives, 33.3% of promoters');
  });

  it('raised no page error', () => {
    expect(errors).toEqual([]);
  });
});

describe('a CSAT site (1-5)', () => {
  it('shows "4 out of 5" with its class, and the report’s score as "CSAT n%"', SLOW, async () => {
    const { context, page, errors } = await openAdmin('care');
    try {
      await expect.poll(() => tickets(page)).toEqual(['C-2', 'C-1']);
      expect(await row(page, 'C-1').locator('.answer .tag').textContent()).toBe('4 out of 5');
      expect(await row(page, 'C-1').locator('.answer .class').textContent()).toBe('satisfied');
      expect(await row(page, 'C-2').locator('.answer .tag').textContent()).toBe('2 out of 5');
      expect(await row(page, 'C-2').locator('.answer .class').textContent()).toBe('dissatisfied');
      const network = page.locator('csat-admin table.report tbody tr').filter({ hasText: 'Network' });
      await expect.poll(() => network.locator('td.score').textContent()).toBe('CSAT 50%');
      expect(await page.locator('csat-admin table.report thead th').allTextContents()).toEqual(['Team', 'Score', 'Answers', 'Satisfied', 'Neutral', 'Dissatisfied']);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe('a reaction site with CSAT and NPS campaigns', () => {
  it('one inbox shows each answer in its own kind: Okay, 4 out of 5 (satisfied), NPS 6 (detractor)', SLOW, async () => {
    const { context, page, errors } = await openAdmin('mixed');
    try {
      await expect.poll(() => page.locator('csat-admin .layout tbody tr').count()).toBe(3);
      const answers = await page
        .locator('csat-admin .layout tbody td.answer')
        .evaluateAll((tds) => tds.map((td) => [td.querySelector('.tag')!.textContent, td.querySelector('.class')?.textContent ?? null]));
      expect(answers).toEqual([
        ['NPS 6', 'detractor'],
        ['4 out of 5', 'satisfied'],
        ['Okay', null],
      ]);
      expect(await page.locator('csat-admin .layout tbody td.moment').allTextContents()).toEqual(['Relationship', 'Relationship', 'Closed ticket']);
      // The site's kind names the classes of the filter.
      expect(await page.locator('csat-admin label[for="f-reaction"]').textContent()).toBe('Reaction');
      expect(await page.locator('csat-admin #f-reaction option').allTextContents()).toEqual(['Any', 'Good', 'Okay', 'Bad']);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe('accessibility (axe-core)', () => {
  it('the NPS inbox, details, report and What mattered have no violations', SLOW, async () => {
    const { context, page } = await openAdmin('pulse', { bypassCSP: true });
    try {
      await page.locator('csat-admin ul.mattered').waitFor();
      await page.locator('csat-admin table.report').waitFor();
      await page.locator('csat-admin .layout tbody button.link').filter({ hasText: 'T-1' }).click();
      await page.locator('csat-admin .details').waitFor();
      await page.screenshot({ path: join(tmpdir(), 'csat-admin-nps.png'), fullPage: true }); // for a person to look at
      expect(await axeViolations(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
