// The office wall (/wall) as a monitor shows it: the built dist/widget/csat-wall.js served by the real
// app on a real loopback port, in headless Chromium at 1920x1080, under the page's strict CSP, with a
// read-only wall key in the URL fragment. Live reactions, a restart of the API on the same port with
// no reload of the page, the trend as the built script draws it, the wall key's limits, and the
// README's screenshot (docs/wall.png).
// Needs the build: `npm run build` (or `npm run build:widget`) first.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../api/app.js';
import { newAdminKey } from '../../api/domain/tokens.js';
import { openSqliteStore } from '../../api/store/sqlite.js';
import type { Store } from '../../api/store/types.js';
import { siteWithKey, tempDbFile, testConfig } from '../api/helpers.js';
import { axeViolations } from './axe.js';
import { launchChromium } from './chromium.js';

const SCRIPT_FILE = resolve(import.meta.dirname, '../../dist/widget/csat-wall.js');
/** For a person to look at after a run; the README's docs/wall.png is taken from the demo site instead. */
const SCREENSHOT = join(tmpdir(), 'csat-wall-test.png');
const SLOW = { timeout: 60_000 };
const LIVE_MS = 2_000;
const DAY_MS = 86_400_000;
const TECHNICIANS = ['Marguerite Okonkwo', 'Bartholomew Quist', 'Ingrid Vasquez-Lind'];
const TEAMS = ['Service desk', 'Field support', 'Network', 'Onboarding'];
const COMMENTS = [
  'Fixed my laptop in ten minutes, brilliant.',
  'Took two days to get a reply.',
  'Clear explanation, thank you!',
  null,
  'The VPN works again, finally.',
  null,
  'Friendly and quick.',
  'Printer still jams sometimes.',
  null,
];

/** listen() of test/api/http-server.ts, on a chosen port: a restart comes back where the wall expects it. */
async function listenOn(app: { fetch: (request: Request) => Response | Promise<Response> }, port = 0) {
  const server: ServerType = await new Promise((ok) => {
    const s = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => ok(s));
  });
  const bound = (server.address() as AddressInfo).port;
  return {
    port: bound,
    url: `http://127.0.0.1:${bound}`,
    close: () =>
      new Promise<void>((ok) => {
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close(() => ok());
      }),
  };
}

let script: string;
let browser: Browser;
let store: Store;
let server: Awaited<ReturnType<typeof listenOn>>;
let adminKey: string;
let wallKey: string;
/** The real time (the wall says "5 minutes ago" by the browser's clock), movable to seed past weeks. */
let offsetMs = 0;
const clock = { now: () => Date.now() + offsetMs };
let sequence = 0;

const makeApp = (publicUrl: string) =>
  createApp({ store, clock, config: testConfig({ publicUrl, heartbeatMs: 1000, operatorScripts: { 'csat-wall': script } }) });

async function http(method: string, path: string, body?: unknown, key?: string) {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (key) headers.Authorization = `Bearer ${key}`;
  return fetch(`${server.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}

/** A survey (with team and technician) answered over HTTP, as the survey page would; returns the comment. */
async function react(reaction: 'positive' | 'neutral' | 'negative', comment: string | null, team: string | null = TEAMS[sequence % TEAMS.length]!) {
  const i = ++sequence;
  const created = await http('POST', '/v1/sites/acme/surveys', { ticketRef: `WALL-${i}`, technician: TECHNICIANS[i % TECHNICIANS.length], ...(team && { team }) }, adminKey);
  expect(created.status).toBe(201);
  const { token } = (await created.json()) as { token: string };
  const answered = await http('POST', '/v1/responses', { token, reaction, ...(comment !== null && { comment }) });
  expect(answered.status).toBe(201);
  return comment;
}

/** The wall's rendered text (its shadow root), whitespace collapsed. */
const wallText = (page: Page) => page.locator('csat-wall').evaluate((el) => (el.shadowRoot?.textContent ?? '').replace(/\s+/g, ' ').trim());

/** A 1920x1080 page that records CSP violations from its first script on. */
async function openWall(hash: string, options: { bypassCSP?: boolean } = {}) {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, colorScheme: 'light', ...options });
  const page = await context.newPage();
  await page.addInitScript(() => {
    const w = window as unknown as { __violations: string[] };
    w.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`));
  });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${server.url}/wall?site=acme${hash}`);
  const violations = async () =>
    page.evaluate(() => (window as unknown as { __violations: string[] }).__violations);
  return { page, context, errors, violations };
}

beforeAll(async () => {
  if (!existsSync(SCRIPT_FILE)) throw new Error(`${SCRIPT_FILE} is missing: run npm run build (or npm run build:widget) first.`);
  script = readFileSync(SCRIPT_FILE, 'utf8');
  store = openSqliteStore(tempDbFile());
  let current: App | undefined;
  server = await listenOn({ fetch: (r) => current!.fetch(r) });
  current = makeApp(server.url);
  const { site, key } = await siteWithKey(store, { slug: 'acme', name: 'Acme IT' }, clock.now());
  adminKey = key;
  const wall = newAdminKey();
  await store.addAdminKey({ id: wall.id, siteId: site.id, hash: wall.hash, scope: 'wall' }, clock.now());
  wallKey = wall.key;

  // Twelve weeks of history for the trend, then today's reactions with comments and teams.
  const weekly: Array<Array<'positive' | 'neutral' | 'negative'>> = [
    ['positive', 'positive', 'neutral', 'negative'],
    ['positive', 'positive', 'positive', 'neutral'],
    ['positive', 'negative', 'neutral'],
    ['positive', 'positive', 'positive', 'positive', 'neutral'],
    ['positive', 'positive', 'negative'],
    ['positive', 'positive', 'positive', 'positive', 'positive', 'negative'],
    ['positive', 'neutral', 'positive', 'positive'],
    ['positive', 'positive', 'positive', 'positive', 'positive'],
    ['positive', 'positive', 'positive', 'neutral', 'positive', 'positive'],
    ['positive', 'positive', 'positive', 'positive', 'negative', 'positive', 'positive'],
    ['positive', 'positive', 'positive', 'positive', 'positive', 'positive', 'neutral'],
  ];
  for (const [w, reactions] of weekly.entries()) {
    offsetMs = -(weekly.length - w) * 7 * DAY_MS;
    for (const reaction of reactions) await react(reaction, null);
  }
  offsetMs = 0;
  const today: Array<'positive' | 'neutral' | 'negative'> = ['positive', 'negative', 'positive', 'positive', 'positive', 'neutral', 'positive', 'positive', 'positive'];
  for (const [i, reaction] of today.entries()) await react(reaction, COMMENTS[i]!);
  browser = await launchChromium();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await store?.close();
});

describe('the office wall', () => {
  it('shows the score, a new reaction within 2 s, and keeps going across an API restart without a reload', SLOW, async () => {
    const { page, context, errors, violations } = await openWall(`#key=${wallKey}`);
    try {
      const expected = (await (await http('GET', '/v1/sites/acme/score')).json()) as { score: number; counts: { total: number } };
      await page.locator('csat-wall [part="score"]').waitFor({ timeout: 10_000 });
      expect(await page.locator('csat-wall [part="score"]').textContent()).toBe(String(expected.score));
      expect(await page.locator('csat-wall [part="label"]').textContent()).toBe(`Customer satisfaction · last 90 days · ${expected.counts.total} ratings`);
      expect(await page.locator('csat-wall [part="status"]').textContent()).toBe('Live');
      expect(await page.locator('csat-wall [part="team"]').first().textContent()).toBeTruthy();
      for (const name of TECHNICIANS) {
        expect(await wallText(page)).not.toContain(name);
        expect(await page.content()).not.toContain(name);
      }
      await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));

      // Live: POST over HTTP, on the wall within 2 s, highlighted as new.
      const started = Date.now();
      await react('positive', 'Arrived live before the restart');
      const arrived = page.locator('csat-wall [part~="reaction"]', { hasText: 'Arrived live before the restart' });
      await arrived.waitFor({ timeout: LIVE_MS });
      expect(Date.now() - started).toBeLessThan(LIVE_MS);
      expect(await arrived.getAttribute('part')).toContain('fresh');

      // Restart: the listening server goes away (cutting the stream), a new app over the same store
      // comes back on the same port.
      const port = server.port;
      await server.close();
      await expect.poll(() => page.locator('csat-wall [part="status"]').textContent(), { timeout: 10_000 }).toBe('Reconnecting…');
      await new Promise((r) => setTimeout(r, 2_500)); // longer than the feed's retry: the browser's reconnects fail meanwhile
      let current: App | undefined;
      server = await listenOn({ fetch: (r) => current!.fetch(r) }, port);
      current = makeApp(server.url);
      expect(server.port).toBe(port);

      await expect.poll(() => page.locator('csat-wall [part="status"]').textContent(), { timeout: 40_000 }).toBe('Live');
      const after = Date.now();
      await react('negative', 'Made after the restart', 'Network');
      await page.locator('csat-wall [part="comment"]', { hasText: 'Made after the restart' }).waitFor({ timeout: LIVE_MS });
      expect(Date.now() - after).toBeLessThan(LIVE_MS);
      expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);

      // No CSP violation on the way, and the collector does see one (a control).
      expect(await violations()).toEqual([]);
      expect(errors).toEqual([]);
      await page.evaluate(() => document.body.setAttribute('style', 'color: red'));
      await expect.poll(violations).toHaveLength(1);
    } finally {
      await context.close();
    }
  });

  it('draws the built trend: labelled gridlines, a marker for the week at 0, the line through every rated week', SLOW, async () => {
    const { page, context } = await openWall(`#key=${wallKey}`);
    try {
      await page.locator('csat-wall [part="score"]').waitFor({ timeout: 10_000 });
      const drawn = await page.locator('csat-wall').evaluate((el) => {
        const svg = el.shadowRoot!.querySelector('[part="trend"] svg')!;
        return {
          ticks: [...svg.querySelectorAll('text.tick')].map((t) => t.textContent?.trim()),
          gridlines: svg.querySelectorAll(':scope > line').length,
          bars: svg.querySelectorAll(':scope > rect.bar').length,
          zero: [...svg.querySelectorAll<SVGRectElement>(':scope > rect.bar.zero')].map((r) => r.getBBox().height),
          points: svg.querySelector('polyline')?.getAttribute('points')?.trim().split(/\s+/).length,
          // Each face: its outline and two eyes side by side (not nested in one another).
          faces: [...el.shadowRoot!.querySelectorAll('svg.face')].every((f) => f.querySelectorAll(':scope > circle').length === 3),
        };
      });
      // The seeded history: eleven past weeks, one of them at 0 (one positive, one neutral, one negative).
      expect(drawn).toEqual({ ticks: ['100', '50', '0'], gridlines: 3, bars: 12, zero: [8], points: 12, faces: true });
    } finally {
      await context.close();
    }
  });

  it('a wall key reads the feed but not the admin routes', async () => {
    expect((await http('GET', '/v1/sites/acme/responses', undefined, wallKey)).status).toBe(403);
    expect((await http('GET', '/v1/sites/acme/responses', undefined, adminKey)).status).toBe(200);
    const feed = await fetch(`${server.url}/v1/sites/acme/feed`, { headers: { Authorization: `Bearer ${wallKey}` } });
    expect(feed.status).toBe(200);
    expect(feed.headers.get('Content-Type')).toContain('text/event-stream');
    await feed.body?.cancel();
    // The old way, the key in the URL, is refused (it would reach access logs).
    expect((await fetch(`${server.url}/v1/sites/acme/feed?key=${encodeURIComponent(wallKey)}`)).status).toBe(400);
  });

  it('without a key it says how to add one; with a wrong key it says the key cannot read the feed', SLOW, async () => {
    const none = await openWall('');
    try {
      await expect.poll(() => none.page.locator('csat-wall [part="message"]').textContent()).toContain('Add #key=<wall key> to the address');
      expect(await none.violations()).toEqual([]);
    } finally {
      await none.context.close();
    }
    const wrong = await openWall(`#key=${encodeURIComponent(newAdminKey().key)}`);
    try {
      await expect.poll(() => wrong.page.locator('csat-wall [part="message"]').textContent(), { timeout: 10_000 }).toContain('This key cannot read the feed');
    } finally {
      await wrong.context.close();
    }
  });

  it('shows a comment with markup as text, and the page passes axe', SLOW, async () => {
    const { page, context, errors } = await openWall(`#key=${wallKey}`, { bypassCSP: true });
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    try {
      await page.locator('csat-wall [part="score"]').waitFor({ timeout: 10_000 });
      const hostile = '<img src=x onerror=alert(1)><script>alert(2)</script>';
      await react('negative', hostile, 'Network');
      await expect.poll(() => page.locator('csat-wall').getByText(hostile, { exact: true }).count(), { timeout: LIVE_MS }).toBe(1);
      expect(await page.evaluate(() => document.querySelector('csat-wall')!.shadowRoot!.querySelectorAll('img, script').length)).toBe(0);
      await page.waitForTimeout(1_000); // the arrival animation ends before axe measures colours
      expect(await axeViolations(page)).toEqual([]);
      expect(dialogs).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('renders a fresh reaction at 1920x1080 with no CSP violation (screenshot in the temp folder)', SLOW, async () => {
    const { page, context, violations } = await openWall(`#key=${wallKey}`);
    try {
      await page.locator('csat-wall [part="score"]').waitFor({ timeout: 10_000 });
      await react('positive', 'New monitor set up before I even arrived. Great service!', 'Onboarding');
      await page.locator('csat-wall [part~="fresh"]').waitFor({ timeout: LIVE_MS });
      await page.waitForTimeout(1_000); // the arrival animation ends
      mkdirSync(dirname(SCREENSHOT), { recursive: true });
      await page.screenshot({ path: SCREENSHOT });
      expect(await violations()).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
