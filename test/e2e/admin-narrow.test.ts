// The admin page (/admin) on a phone, 320 to 390 px wide, in real headless Chromium: the page never
// scrolls sideways, the inbox becomes one card per response, and no ordinary word is split across
// lines (only long tokens such as addresses and links may break). Needs the build (`npm run build`).
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
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
const SITE = 'acme';

let browser: Browser;
let store: Store;
let server: Awaited<ReturnType<typeof listen>>;
let key: string;

beforeAll(async () => {
  if (!existsSync(SCRIPT_FILE)) throw new Error(`${SCRIPT_FILE} is missing: run npm run build (or npm run build:widget) first.`);
  const script = readFileSync(SCRIPT_FILE, 'utf8');
  let app: ReturnType<typeof createApp> | undefined;
  server = await listen({ fetch: (r) => app!.fetch(r) });
  store = openSqliteStore(tempDbFile());
  const clock = new TestClock();
  app = createApp({ store, clock, config: testConfig({ publicUrl: server.url, operatorScripts: { 'csat-admin': script } }) });
  ({ key } = await siteWithKey(store, { slug: SITE, name: 'Acme IT' }));
  const auth = { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' };

  const seed = [
    { ticketRef: 'INC-2026-000417', reaction: 'negative', comment: 'Unfortunately the replacement keyboard arrived without instructions, and nobody answered afterwards.', team: 'Field support', technician: 'Marguerite Okonkwo', contact: { email: 'accounts.payable.department@very-long-customer-domain.example.com', name: 'Bartholomew Quist' } },
    { ticketRef: 'INC-2026-000418', reaction: 'neutral', comment: 'See https://intranet.example.com/knowledge-base/articles/printer-configuration-troubleshooting-guide', team: 'Infrastructure & Networking' },
    { ticketRef: 'INC-2026-000419', reaction: 'positive', comment: 'Excellent, professional and understanding support.' },
  ];
  for (const { ticketRef, reaction, comment, ...extra } of seed) {
    clock.advance(60_000);
    const created = await fetch(`${server.url}/v1/sites/${SITE}/surveys`, { method: 'POST', headers: auth, body: JSON.stringify({ ticketRef, ...extra }) });
    expect(created.status).toBe(201);
    const { token } = (await created.json()) as { token: string };
    const answered = await fetch(`${server.url}/v1/responses`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ token, reaction, comment }) });
    expect(answered.status).toBe(201);
  }
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await store?.close();
});

/** The admin page at `width` x 800, already signed in for this tab. */
async function openNarrow(width: number, options: { bypassCSP?: boolean } = {}) {
  const context = await browser.newContext({ viewport: { width, height: 800 }, ...options });
  const page = await context.newPage();
  await page.addInitScript((session) => sessionStorage.setItem('csat-admin:session', session), JSON.stringify({ site: SITE, key }));
  await page.goto(`${server.url}/admin?site=${SITE}`);
  await expect.poll(() => page.locator('csat-admin .layout tbody tr').count()).toBe(3);
  await page.locator('csat-admin').getByText('No webhooks.').waitFor();
  return { context, page };
}

/** How far the page scrolls sideways (0 when it does not). */
const sideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

/**
 * Words of the admin page's text that are drawn on more than one line. Ordinary words only: addresses,
 * links and other long tokens (over 24 characters without a space, or in a <code> or an email link) may
 * break.
 */
const splitWords = (page: Page) =>
  page.evaluate(() => {
    const root = document.querySelector('csat-admin')!.shadowRoot!;
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    const split: string[] = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement; // null for text right under the shadow root
      if (!parent || parent.closest('code, a.email, thead') || !parent.checkVisibility()) continue;
      for (const token of node.textContent!.matchAll(/\S+/g)) {
        if (token[0].length > 24 || token[0].includes('@')) continue;
        // "Follow-up" may wrap after its hyphen; each part must stay on one line.
        for (const part of token[0].matchAll(/[^\-–—/]+/g)) {
          const range = document.createRange();
          range.setStart(node, token.index + part.index);
          range.setEnd(node, token.index + part.index + part[0].length);
          const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
          if (lines.size > 1) split.push(part[0]);
        }
      }
    }
    return split;
  });

describe('the admin page on a phone', () => {
  for (const width of [390, 320]) {
    it(`at ${width} px: no sideways scrolling and no word split, with and without the details open`, SLOW, async () => {
      const { context, page } = await openNarrow(width);
      try {
        expect(await sideways(page)).toBeLessThanOrEqual(0);
        expect(await splitWords(page)).toEqual([]);
        // One card per response: the rows fit the screen and the column headings are not shown.
        const rows = await page.locator('csat-admin .layout tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getBoundingClientRect().right));
        expect(rows.every((right) => right <= width)).toBe(true);
        expect(await page.locator('csat-admin .layout thead').evaluate((thead) => thead.getBoundingClientRect().height)).toBeLessThanOrEqual(1);

        await page.locator('csat-admin .layout tbody button.link').filter({ hasText: 'INC-2026-000417' }).click();
        await page.locator('csat-admin .details a.email').waitFor();
        expect(await sideways(page)).toBeLessThanOrEqual(0);
        expect(await splitWords(page)).toEqual([]);
        await page.screenshot({ path: join(tmpdir(), `csat-admin-${width}.png`), fullPage: true }); // for a person to look at
      } finally {
        await context.close();
      }
    });
  }

  it('passes axe at 390 px with the details open', SLOW, async () => {
    const { context, page } = await openNarrow(390, { bypassCSP: true });
    try {
      await page.locator('csat-admin .layout tbody button.link').filter({ hasText: 'INC-2026-000418' }).click();
      await page.locator('csat-admin .details').waitFor();
      expect(await axeViolations(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
