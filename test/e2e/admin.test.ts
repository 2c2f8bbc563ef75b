// The operators' admin page (/admin, <csat-admin>) in real headless Chromium against the real app on a
// real loopback port, under the page's own strict Content Security Policy: the admin key pasted once
// per tab (a wall key refused with what to do instead), the inbox with filters (the details close when
// the filters leave their response out), markup in a comment shown as text, the contact's email as a
// mailto: link, follow-up moves and notes, a 409 shown as text, the CSV export through a Blob URL (its
// button names the filters, the file has the notes), the webhooks, and an accessibility audit.
// Needs the build: `npm run build` (dist/widget/csat-admin.js).
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { createApp } from '../../api/app.js';
import { newAdminKey } from '../../api/domain/tokens.js';
import { openSqliteStore } from '../../api/store/sqlite.js';
import type { Store } from '../../api/store/types.js';
import { siteWithKey, tempDbFile, testConfig, TestClock } from '../api/helpers.js';
import { listen } from '../api/http-server.js';
import { axeViolations } from './axe.js';
import { launchChromium } from './chromium.js';

const SCRIPT_FILE = resolve(import.meta.dirname, '../../dist/widget/csat-admin.js');
const SLOW = { timeout: 30_000 };
const SITE = 'acme';
const HOSTILE = '<img src=x onerror=alert(1)><script>alert(2)</script>';
const FORMULA = '=HYPERLINK("http://x")';
const CSV_HEADER = 'id,createdAt,updatedAt,ticketRef,reaction,comment,followUp,team,technician,contactEmail,contactName,source,notes,kind,scale,score,moment,dimensions';
const CONTACT_EMAIL = 'it+desk@example.com';
const HOOK_URL = 'https://hooks.example.com/csat';

interface Detail {
  id: string;
  ticketRef: string;
  followUp: string;
  noteList: Array<{ author: string; text: string; followUp: string | null; at: string }>;
}

let browser: Browser;
let store: Store;
let server: Awaited<ReturnType<typeof listen>>;
let key: string;
let wallKey: string;

const auth = () => ({ Authorization: `Bearer ${key}` });

async function api(method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${server.url}/v1/sites/${SITE}${path}`, {
    method,
    headers: body === undefined ? auth() : { ...auth(), 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function idOf(ticketRef: string): Promise<string> {
  const res = await api('GET', '/responses?limit=200');
  expect(res.status).toBe(200);
  const { items } = (await res.json()) as { items: Array<{ id: string; ticketRef: string }> };
  const found = items.find((i) => i.ticketRef === ticketRef);
  if (!found) throw new Error(`no response for ${ticketRef}`);
  return found.id;
}

async function detailOf(ticketRef: string): Promise<Detail> {
  const res = await api('GET', `/responses/${await idOf(ticketRef)}`);
  expect(res.status).toBe(200);
  return (await res.json()) as Detail;
}

beforeAll(async () => {
  if (!existsSync(SCRIPT_FILE)) throw new Error(`${SCRIPT_FILE} is missing: run npm run build (or npm run build:widget) first.`);
  const script = readFileSync(SCRIPT_FILE, 'utf8');

  let app: ReturnType<typeof createApp> | undefined;
  server = await listen({ fetch: (r) => app!.fetch(r) });
  store = openSqliteStore(tempDbFile());
  const clock = new TestClock();
  app = createApp({ store, clock, config: testConfig({ publicUrl: server.url, operatorScripts: { 'csat-admin': script } }) });
  const made = await siteWithKey(store, { slug: SITE, name: 'Acme IT' });
  key = made.key;
  const wall = newAdminKey();
  await store.addAdminKey({ id: wall.id, siteId: made.site.id, hash: wall.hash, scope: 'wall' }, clock.now());
  wallKey = wall.key;

  // No delivery worker runs in this app: deliveries stay pending, nothing calls out.
  expect((await api('POST', '/webhooks', { url: HOOK_URL, events: ['response.created'] })).status).toBe(201);

  // Oldest first, a minute apart, so "newest first" has one answer.
  const seed: Array<{ ticketRef: string; reaction: string; comment?: string; team?: string; technician?: string; contact?: { email: string; name: string } }> = [
    { ticketRef: 'T-100', reaction: 'positive', comment: FORMULA },
    { ticketRef: 'T-101', reaction: 'negative', comment: HOSTILE },
    { ticketRef: 'T-102', reaction: 'neutral', team: 'Hardware', technician: 'Sam', contact: { email: CONTACT_EMAIL, name: 'Dana <b>O</b>' } },
  ];
  for (const { ticketRef, reaction, comment, ...extra } of seed) {
    clock.advance(60_000);
    const created = await api('POST', '/surveys', { ticketRef, ...extra });
    expect(created.status).toBe(201);
    const { token } = (await created.json()) as { token: string };
    const answered = await fetch(`${server.url}/v1/responses`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ token, reaction, ...(comment ? { comment } : {}) }),
    });
    expect(answered.status).toBe(201);
  }

  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await store?.close();
});

/** A page of its own context at 1280x800 that records CSP violations, page errors and dialogs. */
async function openAdmin(options: { bypassCSP?: boolean } = {}) {
  const context: BrowserContext = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true, ...options });
  const page = await context.newPage();
  const seen = { violations: [] as string[], errors: [] as string[], dialogs: [] as string[] };
  // Reported over the DevTools protocol, so it survives reloads and the policy does not apply to it.
  await page.exposeFunction('__cspViolation', (v: string) => seen.violations.push(v));
  await page.addInitScript(() => {
    window.addEventListener(
      'securitypolicyviolation',
      (e) => (window as unknown as { __cspViolation: (v: string) => void }).__cspViolation(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber} ${e.sample}`),
      true,
    );
  });
  page.on('pageerror', (e) => seen.errors.push(`${e.name}: ${e.message}`));
  page.on('dialog', (dialog) => {
    seen.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  const response = await page.goto(`${server.url}/admin?site=${SITE}`);
  expect(response?.status()).toBe(200);
  expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
  return { context, page, seen };
}

const tickets = (page: Page) => page.locator('csat-admin .layout tbody button.link');
const moves = (page: Page) => page.locator('csat-admin .details button.move');
const storedSession = (page: Page) => page.evaluate(() => sessionStorage.getItem('csat-admin:session'));

async function signIn(page: Page, withKey = key) {
  await page.locator('csat-admin #login-key').fill(withKey);
  await page.locator('csat-admin form.login button[type="submit"]').click();
}

async function applyFilters(page: Page) {
  await page.locator('csat-admin form.filters button[type="submit"]').click();
}

/** Opens a response's details from the keyboard: its ticket is a real button. */
async function openTicket(page: Page, ticketRef: string) {
  await tickets(page).filter({ hasText: ticketRef }).focus();
  await page.keyboard.press('Enter');
  await expect.poll(() => page.locator('csat-admin #detail-title').textContent()).toBe(`Ticket ${ticketRef}`);
  // Focus follows to the details, so the follow-up buttons are the next Tab stops.
  await expect.poll(() => page.evaluate(() => document.querySelector('csat-admin')!.shadowRoot!.activeElement?.id)).toBe('detail-title');
}

describe('the admin page', () => {
  let context: BrowserContext;
  let page: Page;
  let seen: Awaited<ReturnType<typeof openAdmin>>['seen'];

  beforeAll(async () => {
    ({ context, page, seen } = await openAdmin());
  }, 30_000);

  afterAll(async () => {
    await context?.close();
  });

  it('asks for the site and the key; a wrong key is refused with the API’s message and not kept', SLOW, async () => {
    expect(await page.locator('csat-admin #login-site').inputValue()).toBe(SITE);
    expect(await page.locator('csat-admin #login-key').getAttribute('type')).toBe('password');

    await signIn(page, 'csat_000000000000_wrong');
    await expect.poll(() => page.locator('csat-admin form.login [role="alert"]').textContent()).toContain('admin key is not valid');
    expect(await storedSession(page)).toBeNull();

    // A wall key is a real key of this site, but read-only: the page says so and how to get an admin key.
    await signIn(page, wallKey);
    const alert = page.locator('csat-admin form.login [role="alert"]');
    await expect.poll(() => alert.textContent()).toContain('This is a read-only wall key');
    expect(await alert.textContent()).toContain('The admin page needs an admin key');
    expect(await alert.locator('code').textContent()).toBe(`npx csat key create ${SITE}`);
    expect(await storedSession(page)).toBeNull();

    await signIn(page);
    await expect.poll(() => tickets(page).allTextContents()).toEqual(['T-102', 'T-101', 'T-100']);
    expect(JSON.parse((await storedSession(page))!)).toEqual({ site: SITE, key });
    // Focus moved to the inbox, where keyboard users continue.
    await expect.poll(() => page.evaluate(() => document.querySelector('csat-admin')!.shadowRoot!.activeElement?.id)).toBe('inbox-title');
  });

  it('shows the rows’ fields, and markup in a comment as text', SLOW, async () => {
    const neutral = page.locator('csat-admin .layout tbody tr').filter({ hasText: 'T-102' });
    expect(await neutral.locator('td').allTextContents()).toEqual(expect.arrayContaining(['Okay', 'Hardware', 'Sam', 'Open']));

    const cell = page.locator('csat-admin .layout tbody tr').filter({ hasText: 'T-101' }).locator('td.comment');
    expect(await cell.textContent()).toBe(HOSTILE);
    const inShadow = await page.evaluate(() => {
      const root = document.querySelector('csat-admin')!.shadowRoot!;
      return { img: root.querySelectorAll('img').length, script: root.querySelectorAll('script').length };
    });
    expect(inShadow).toEqual({ img: 0, script: 0 });
    await page.waitForTimeout(200); // a dialog would have opened by now
    expect(seen.dialogs).toEqual([]);
  });

  it('filters by reaction', SLOW, async () => {
    await page.locator('csat-admin #f-reaction').selectOption('negative');
    await applyFilters(page);
    await expect.poll(() => tickets(page).allTextContents()).toEqual(['T-101']);

    await page.locator('csat-admin #f-reaction').selectOption('');
    await page.locator('csat-admin #f-team').fill('Hardware');
    await applyFilters(page);
    await expect.poll(() => tickets(page).allTextContents()).toEqual(['T-102']);

    await page.locator('csat-admin form.filters').getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(() => tickets(page).allTextContents()).toEqual(['T-102', 'T-101', 'T-100']);
    expect(await page.locator('csat-admin #f-team').inputValue()).toBe('');
  });

  it('closes the details when the applied filters leave their response out, and keeps them when not', SLOW, async () => {
    await openTicket(page, 'T-102');
    await page.locator('csat-admin #f-team').fill('Hardware');
    await applyFilters(page);
    await expect.poll(() => tickets(page).allTextContents()).toEqual(['T-102']);
    expect(await page.locator('csat-admin #detail-title').textContent()).toBe('Ticket T-102');

    await page.locator('csat-admin #f-team').fill('');
    await page.locator('csat-admin #f-reaction').selectOption('negative');
    await applyFilters(page);
    await expect.poll(() => tickets(page).allTextContents()).toEqual(['T-101']);
    expect(await page.locator('csat-admin .details').count()).toBe(0);
    expect(await page.locator('csat-admin .inbox-status[role="status"]').textContent()).toContain('T-102 is not in these results');

    await page.locator('csat-admin form.filters').getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(() => tickets(page).allTextContents()).toEqual(['T-102', 'T-101', 'T-100']);
  });

  it('shows the contact’s email as a mailto: link, its name as text', SLOW, async () => {
    await openTicket(page, 'T-102');
    const link = page.locator('csat-admin .details a.email');
    expect(await link.textContent()).toBe(CONTACT_EMAIL);
    expect(await link.getAttribute('href')).toBe('mailto:it%2Bdesk@example.com');
    expect(await page.locator('csat-admin .details dd').filter({ has: page.locator('a.email') }).textContent()).toBe(`Dana <b>O</b> · ${CONTACT_EMAIL}`);
    expect(await page.locator('csat-admin .details b').count()).toBe(0);
    await page.locator('csat-admin .details').getByRole('button', { name: 'Close' }).click();
  });

  it('"Load more" follows the cursor', SLOW, async () => {
    await page.evaluate(() => (document.querySelector('csat-admin')!.pageSize = 2));
    await applyFilters(page);
    await expect.poll(() => tickets(page).allTextContents()).toEqual(['T-102', 'T-101']);
    await page.locator('csat-admin').getByRole('button', { name: 'Load more' }).click();
    await expect.poll(() => tickets(page).allTextContents()).toEqual(['T-102', 'T-101', 'T-100']);
    expect(await page.locator('csat-admin').getByRole('button', { name: 'Load more' }).count()).toBe(0);
    await page.evaluate(() => (document.querySelector('csat-admin')!.pageSize = 50));
  });

  it('moves the follow-up with the legal buttons only, and stores a note', SLOW, async () => {
    await page.locator('csat-admin #f-reaction').selectOption('negative');
    await applyFilters(page);
    await expect.poll(() => tickets(page).allTextContents()).toEqual(['T-101']);
    await openTicket(page, 'T-101');
    expect(await page.locator('csat-admin .details .comment').textContent()).toBe(HOSTILE);
    expect(await moves(page).allTextContents()).toEqual(['Contacted', 'Resolved']);

    await moves(page).filter({ hasText: 'Contacted' }).click();
    await expect.poll(async () => (await detailOf('T-101')).followUp).toBe('contacted');
    await expect.poll(() => page.locator('csat-admin .details [role="status"]').textContent()).toContain('Saved');
    await expect.poll(() => moves(page).allTextContents()).toEqual(['Resolved']);

    await page.locator('csat-admin .details').getByRole('button', { name: 'Resolved', exact: true }).click();
    await expect.poll(async () => (await detailOf('T-101')).followUp).toBe('resolved');
    // From resolved only reopening is legal: no "Contacted" button is offered.
    await expect.poll(() => moves(page).allTextContents()).toEqual(['Reopen']);
    expect(await page.locator('csat-admin .details').getByRole('button', { name: 'Contacted', exact: true }).count()).toBe(0);
    expect(await page.locator('csat-admin .layout tbody tr').filter({ hasText: 'T-101' }).locator('td.follow-up').textContent()).toBe('Resolved');

    await page.locator('csat-admin #note-author').fill('Dana');
    await page.locator('csat-admin #note-text').fill('Called back; <b>all</b> good.');
    await page.locator('csat-admin .note-form button[type="submit"]').click();
    await expect.poll(async () => (await detailOf('T-101')).noteList.map((n) => [n.author, n.text])).toEqual([['Dana', 'Called back; <b>all</b> good.']]);
    await expect.poll(() => page.locator('csat-admin ul.notes .text').allTextContents()).toEqual(['Called back; <b>all</b> good.']);
    expect(await page.locator('csat-admin #note-text').inputValue()).toBe('');
    expect(await page.evaluate(() => sessionStorage.getItem('csat-admin:author'))).toBe('Dana');

    await page.screenshot({ path: '/tmp/admin.png', fullPage: true });
  });

  it('a move made elsewhere meanwhile: the 409 is shown as text and the buttons follow the real state', SLOW, async () => {
    await page.locator('csat-admin form.filters').getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(() => tickets(page).allTextContents()).toEqual(['T-102', 'T-101', 'T-100']);
    await openTicket(page, 'T-102');
    expect(await moves(page).allTextContents()).toEqual(['Contacted', 'Resolved']);

    const elsewhere = await api('PATCH', `/responses/${await idOf('T-102')}`, { followUp: 'resolved' });
    expect(elsewhere.status).toBe(200);

    await moves(page).filter({ hasText: 'Contacted' }).click();
    await expect.poll(() => page.locator('csat-admin .details [role="status"]').textContent()).toContain('cannot move from resolved to contacted');
    await expect.poll(() => moves(page).allTextContents()).toEqual(['Reopen']);
    expect((await detailOf('T-102')).followUp).toBe('resolved');
  });

  it('Export CSV downloads the current filters’ CSV with the notes, formula cells neutralized; the button names the filters', SLOW, async () => {
    const exportButton = page.locator('csat-admin form.filters button.export');
    const download = async () => {
      const downloaded = page.waitForEvent('download');
      await exportButton.click();
      const file = await downloaded;
      expect(file.suggestedFilename()).toBe(`${SITE}-responses.csv`);
      return readFile((await file.path())!, 'utf8');
    };
    expect(await exportButton.textContent()).toBe('Export all responses as CSV');
    const csv = await download();
    expect(csv.startsWith(`${CSV_HEADER}\r\n`)).toBe(true);
    expect(csv).toContain(`"'=HYPERLINK(""http://x"")"`);
    const rows = parse(csv, { columns: true }) as Array<Record<string, string>>;
    expect(rows.map((r) => r.ticketRef)).toEqual(['T-102', 'T-101', 'T-100']);
    // The note added through the page earlier, as "YYYY-MM-DD author: text".
    expect(rows[1]!.notes).toMatch(/^\d{4}-\d{2}-\d{2} Dana: Called back; <b>all<\/b> good\.$/);
    await expect.poll(() => page.locator('csat-admin .inbox-status[role="status"]').textContent()).toContain('Exported');

    // Typed but not applied filters are not what the export uses: the button follows the applied ones.
    await page.locator('csat-admin #f-reaction').selectOption('negative');
    expect(await exportButton.textContent()).toBe('Export all responses as CSV');
    await page.locator('csat-admin #f-followup').selectOption('resolved');
    await page.locator('csat-admin #f-team').fill('Net ops');
    await applyFilters(page);
    await expect.poll(() => exportButton.textContent()).toBe('Export bad · follow-up resolved · team Net ops as CSV');
    expect(parse(await download(), { columns: true })).toEqual([]);
    await page.locator('csat-admin #f-team').fill('');
    await applyFilters(page);
    await expect.poll(() => exportButton.textContent()).toBe('Export bad · follow-up resolved as CSV');
    expect((parse(await download(), { columns: true }) as Array<Record<string, string>>).map((r) => r.ticketRef)).toEqual(['T-101']);
    await page.locator('csat-admin form.filters').getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(() => exportButton.textContent()).toBe('Export all responses as CSV');
  });

  it('lists the webhooks with their events and delivery state', SLOW, async () => {
    const row = page.locator('csat-admin table.webhooks tbody tr');
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.locator('td').first().textContent()).toBe(HOOK_URL);
    expect(await row.textContent()).toContain('response.created');
    expect(await row.locator('td.last').textContent()).toMatch(/No delivery yet|pending/);
  });

  it('the key survives a reload of the tab; "Forget key" clears it', SLOW, async () => {
    await page.reload();
    await expect.poll(() => tickets(page).allTextContents()).toEqual(['T-102', 'T-101', 'T-100']);
    expect(await page.locator('csat-admin #login-key').count()).toBe(0);

    await page.locator('csat-admin').getByRole('button', { name: 'Forget key' }).click();
    await page.locator('csat-admin #login-key').waitFor();
    expect(await storedSession(page)).toBeNull();
    expect(await tickets(page).count()).toBe(0);

    await page.reload();
    await page.locator('csat-admin #login-key').waitFor();
    expect(await tickets(page).count()).toBe(0);
  });

  it('raised no CSP violation, no page error and no dialog along the way', async () => {
    expect(seen.violations).toEqual([]);
    expect(seen.errors).toEqual([]);
    expect(seen.dialogs).toEqual([]);
  });
});

describe('accessibility (axe-core)', () => {
  // axe is injected as a script tag, which the page's own policy refuses: this context bypasses the CSP
  // (the other describe checks the page under its policy).
  it('the sign-in form, the inbox and the details have no violations', SLOW, async () => {
    const { context, page } = await openAdmin({ bypassCSP: true });
    try {
      await page.locator('csat-admin #login-key').waitFor();
      expect(await axeViolations(page)).toEqual([]);

      await signIn(page);
      await expect.poll(() => tickets(page).count()).toBe(3);
      await openTicket(page, 'T-101');
      await page.locator('csat-admin table.webhooks').waitFor();
      expect(await axeViolations(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
