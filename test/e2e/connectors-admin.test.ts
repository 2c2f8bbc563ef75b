// The help-desk connectors panel of /admin in real headless Chromium, under the page's strict CSP,
// against the real app: a connector that took a close and delivered a write-back, and one whose calls
// were refused, each with its last event, last error and write-back counts, and no credential on the
// page. Needs the build: `npm run build` (dist/widget/csat-admin.js).
import { createHmac } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.js';
import { startWriteBackWorker, type WriteBackWorker } from '../../api/connectors/write-back-worker.js';
import { openSqliteStore } from '../../api/store/sqlite.js';
import type { Store } from '../../api/store/types.js';
import { fixture } from '../api/connectors/fixtures.js';
import { CREDENTIALS, standIn } from '../api/connectors/stand-in.js';
import { siteWithKey, tempDbFile, testConfig, TestClock } from '../api/helpers.js';
import { listen } from '../api/http-server.js';
import { axeViolations } from './axe.js';
import { openAdmin } from './admin-session.js';
import { launchChromium } from './chromium.js';

const SCRIPT_FILE = resolve(import.meta.dirname, '../../dist/widget/csat-admin.js');
const SIGNING_SECRET = 'c2lnbmluZy1zZWNyZXQtZm9yLXRoZS1wYW5lbA==';

let browser: Browser;
let store: Store;
let worker: WriteBackWorker;
let server: Awaited<ReturnType<typeof listen>>;
let zendesk: Awaited<ReturnType<typeof standIn>>;
let page: Page;
let pageText = '';
const seen = { violations: [] as string[], errors: [] as string[] };
const ids: Record<string, string> = {};

beforeAll(async () => {
  if (!existsSync(SCRIPT_FILE)) throw new Error(`${SCRIPT_FILE} is missing: run npm run build (or npm run build:widget) first.`);
  let app: ReturnType<typeof createApp> | undefined;
  server = await listen({ fetch: (r) => app!.fetch(r) });
  store = openSqliteStore(tempDbFile());
  const clock = new TestClock(Date.now());
  const config = testConfig({ publicUrl: server.url, operatorScripts: { 'csat-admin': readFileSync(SCRIPT_FILE, 'utf8') } });
  app = createApp({ store, clock, config });
  const { key } = await siteWithKey(store, { slug: 'acme', name: 'Acme IT' });
  worker = startWriteBackWorker({ store, clock, serverSecret: config.tokenSecret, publicUrl: server.url, intervalMs: 3_600_000 });
  zendesk = await standIn('zendesk');
  const api = (method: string, path: string, body?: unknown) =>
    fetch(`${server.url}/v1/sites/acme${path}`, {
      method,
      headers: { Authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  const zd = (await (await api('POST', '/connectors', { provider: 'zendesk', label: 'Support', settings: { signingSecret: SIGNING_SECRET, apiUrl: zendesk.url, ...CREDENTIALS.zendesk } })).json()) as { id: string; inboundUrl: string; secret: string };
  const fd = (await (await api('POST', '/connectors', { provider: 'freshdesk' })).json()) as { id: string; inboundUrl: string; secret: string };
  ids.key = key;
  ids.zendesk = zd.id;
  ids.freshdesk = fd.id;
  ids.zdSecret = zd.secret;
  ids.fdSecret = fd.secret;

  const body = JSON.stringify(fixture('zendesk.solved').body);
  const stamp = new Date(clock.now()).toISOString();
  const solved = await fetch(zd.inboundUrl, {
    method: 'POST',
    headers: { 'X-Zendesk-Webhook-Signature-Timestamp': stamp, 'X-Zendesk-Webhook-Signature': createHmac('sha256', SIGNING_SECRET).update(stamp + body).digest('base64') },
    body,
  });
  const { surveyId } = (await solved.json()) as { surveyId: string };
  const email = await (await api('GET', `/surveys/${surveyId}/email.txt`)).text();
  const token = /\/s\/([\w-]{43})/.exec(email)![1]!;
  await fetch(`${server.url}/v1/responses`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ token, reaction: 'negative' }) });
  expect(await worker.runOnce()).toBe(1);
  // A Freshdesk call with the wrong secret: refused, and shown as the connector's last error.
  expect((await fetch(fd.inboundUrl, { method: 'POST', headers: { 'X-Csat-Connector-Secret': 'wrong' }, body: '{}' })).status).toBe(401);

  browser = await launchChromium();
  page = await openAdmin(browser, server.url, 'acme', key, seen);
  await page.locator('csat-admin-connectors table.connectors').waitFor();
  pageText = await page.locator('csat-admin-connectors').innerText();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await worker?.stop();
  await zendesk?.close();
  await server?.close();
  await store?.close();
});

const row = (id: string) => page.locator('csat-admin-connectors table.connectors > tbody > tr', { hasText: id });

describe('/admin help-desk connectors', () => {
  it('shows each connector with its last event, last error and write-back status', { timeout: 30_000 }, async () => {
    const zd = await row(ids.zendesk!).innerText();
    expect(zd).toContain('Zendesk (Support)');
    expect(zd).toContain('close of ticket 48213: survey_created');
    expect(zd).toMatch(/1 delivered, 0 pending, 0 failed/);
    expect(zd).toMatch(/Last: note on ticket 48213, delivered \(HTTP 201\), 1 attempt/);

    const fd = await row(ids.freshdesk!).innerText();
    expect(fd).toContain('Freshdesk');
    expect(fd).toContain('None yet');
    expect(fd).toContain('refused a call');
    expect(fd).toContain('Off (no API credentials)');
  });

  it('puts no secret on the page', () => {
    for (const secret of [ids.zdSecret!, ids.fdSecret!, SIGNING_SECRET, CREDENTIALS.zendesk.apiToken]) expect(pageText).not.toContain(secret);
  });

  it('raised no CSP violation or page error', () => {
    expect(seen).toEqual({ violations: [], errors: [] });
  });

  it('has no axe violation in the panel', { timeout: 30_000 }, async () => {
    // axe is injected as a script, which the page's CSP refuses: this context bypasses CSP.
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
    const open = await context.newPage();
    await open.goto(`${server.url}/admin?site=acme`);
    await open.locator('csat-admin #login-key').fill(ids.key!);
    await open.locator('csat-admin').getByRole('button', { name: 'Open the inbox' }).click();
    await open.locator('csat-admin-connectors table.connectors').waitFor();
    const violations = (await axeViolations(open)).filter((v) => v.targets.some((t) => t.includes('csat-admin-connectors')));
    expect(violations).toEqual([]);
    await context.close();
  });
});
