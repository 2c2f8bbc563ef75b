// The survey-email panel of /admin in real headless Chromium, under the page's strict CSP, against the
// real app with the real email worker and a real SMTP server: each ticket's email status (queued, sent,
// failed with the last error, throttled, opted out) and the sender settings without the SMTP password.
// Needs the build: `npm run build` (dist/widget/csat-admin.js).
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.js';
import { secretBox } from '../../api/domain/secret-box.js';
import { startEmailWorker, type EmailWorker } from '../../api/email/outbox-worker.js';
import { smtpUrlContext } from '../../api/email/smtp-settings.js';
import { openSqliteStore } from '../../api/store/sqlite.js';
import type { Store } from '../../api/store/types.js';
import { siteWithKey, tempDbFile, testConfig, TestClock } from '../api/helpers.js';
import { listen } from '../api/http-server.js';
import { startReceiver, type Receiver } from '../api/email/smtp-receiver.js';
import { axeViolations } from './axe.js';
import { openAdmin } from './admin-session.js';
import { launchChromium } from './chromium.js';

const SCRIPT_FILE = resolve(import.meta.dirname, '../../dist/widget/csat-admin.js');
const SLOW = { timeout: 30_000 };
const PASSWORD = 'Smtp-Pa55-not-on-the-page';

let browser: Browser;
let store: Store;
let worker: EmailWorker;
let smtp: Receiver;
let server: Awaited<ReturnType<typeof listen>>;
let key: string;
let page: Page;
const seen = { violations: [] as string[], errors: [] as string[] };

const api = (method: string, path: string, body?: unknown) =>
  fetch(`${server.url}/v1/sites/acme${path}`, {
    method,
    headers: { Authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
const row = (ticket: string) => page.locator('csat-admin-email table.emails > tbody > tr', { hasText: ticket });

beforeAll(async () => {
  if (!existsSync(SCRIPT_FILE)) throw new Error(`${SCRIPT_FILE} is missing: run npm run build (or npm run build:widget) first.`);
  smtp = await startReceiver({ rejectRecipient: /^nobody@/ });
  let app: ReturnType<typeof createApp> | undefined;
  server = await listen({ fetch: (r) => app!.fetch(r) });
  store = openSqliteStore(tempDbFile());
  const clock = new TestClock(Date.now());
  const config = testConfig({ publicUrl: server.url, operatorScripts: { 'csat-admin': readFileSync(SCRIPT_FILE, 'utf8') } });
  app = createApp({ store, clock, config });
  const made = await siteWithKey(store, { slug: 'acme', name: 'Acme IT', throttleDays: 30 });
  key = made.key;
  const box = secretBox(config.tokenSecret);
  // The SMTP URL with a password goes in through the route.
  expect((await api('PATCH', '/email-settings', { senderEmail: 'desk@acme.example', senderName: 'Acme Desk', smtpUrl: `smtp://mailer:${PASSWORD}@127.0.0.1:${smtp.port}` })).status).toBe(200);
  expect(box.open((await store.getEmailSettings(made.site.id)).smtpUrlSealed!, smtpUrlContext(made.site.id))).toContain(PASSWORD);
  worker = startEmailWorker({ store, clock, publicUrl: server.url, tokenSecret: config.tokenSecret, box, intervalMs: 3_600_000, logError: () => {} });

  const survey = async (ticketRef: string, email: string) => (await (await api('POST', '/surveys', { ticketRef, contact: { email } })).json()) as { token?: string; sealed: boolean };
  const sent = await survey('SENT-1', 'ann@example.com');
  await survey('FAIL-1', 'nobody@example.com');
  await survey('THROTTLED-1', 'ann@example.com');
  await survey('OPTOUT-1', 'carl@example.com');
  await worker.runOnce();
  await smtp.waitFor(2);
  // The sealed URL was opened for sending: the server logged in with its password.
  expect(smtp.logins[0]).toEqual({ username: 'mailer', password: PASSWORD });
  // Carl unsubscribes from his email: the next survey for him is not made.
  const carl = smtp.messages.find((m) => m.subject?.includes('OPTOUT-1'))!;
  const link = /<([^>]+)>/.exec(carl.headerLines.find((h) => h.key === 'list-unsubscribe')!.line.replace(/\r\n\s+/g, ' '))![1]!;
  expect((await fetch(link, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' })).status).toBe(200);
  await survey('OPTOUT-2', 'carl@example.com');
  // And one waiting for its delay.
  await api('PATCH', '/email-settings', { delayMinutes: 60 });
  await survey('LATER-1', 'dora@example.com');
  // csat-badge emails it, so it is sealed: the operator never sees its token.
  expect(sent).toMatchObject({ sealed: true });
  expect(sent.token).toBeUndefined();

  browser = await launchChromium();
  page = await openAdmin(browser, server.url, 'acme', key, seen);
  await row('SENT-1').waitFor();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await worker?.stop();
  await server?.close();
  await store?.close();
  await smtp?.close();
});

describe('/admin survey emails', () => {
  it('shows each ticket\'s email status, with the last error of a failed one', SLOW, async () => {
    const status = async (ticket: string) => (await row(ticket).locator('td').nth(1).textContent())?.trim();
    expect(await status('SENT-1')).toBe('Sent');
    expect(await status('FAIL-1')).toBe('Failed');
    expect(await row('FAIL-1').locator('td.last-error').textContent()).toMatch(/550/);
    expect(await status('THROTTLED-1')).toBe('Not sent: throttled');
    expect(await status('OPTOUT-2')).toBe('Not sent: opted out');
    expect(await status('LATER-1')).toBe('Queued');
    expect(seen.errors).toEqual([]);
    expect(seen.violations).toEqual([]);
  });

  it('shows the sender settings and that an SMTP server is set, never its URL', SLOW, async () => {
    const text = await page.locator('csat-admin-email p.settings').textContent();
    expect(text).toContain('desk@acme.example');
    expect(text).toContain('SMTP server of its own: set');
    const html = await page.content();
    const shadow = await page.locator('csat-admin-email').evaluate((el) => el.shadowRoot!.innerHTML);
    for (const source of [html, shadow]) {
      expect(source).not.toContain(PASSWORD);
      expect(source).not.toContain('mailer:');
    }
  });

  it('has no axe violations', SLOW, async () => {
    const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
    const axePage = await context.newPage();
    await axePage.goto(`${server.url}/admin?site=acme`);
    await axePage.locator('csat-admin #login-key').fill(key);
    await axePage.locator('csat-admin').getByRole('button', { name: 'Open the inbox' }).click();
    await axePage.locator('csat-admin-email table.emails').waitFor();
    const violations = (await axeViolations(axePage)).filter((v) => v.targets.some((t) => t.includes('csat-admin-email')));
    expect(violations).toEqual([]);
    await context.close();
  });
});
