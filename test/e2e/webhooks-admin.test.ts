// The webhooks panel of /admin in real headless Chromium, under the page's strict CSP, against the real
// app with a real delivery worker and receiver: each webhook's state, last delivery and last error, and
// the disable, confirm, rotate, redeliver and delete actions, each checked through the API afterwards.
// Needs the build: `npm run build` (dist/widget/csat-admin.js).
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.js';
import { adminKeyId, newAdminKey } from '../../api/domain/tokens.js';
import { openSqliteStore } from '../../api/store/sqlite.js';
import type { Store } from '../../api/store/types.js';
import { startWebhookWorker, type WebhookWorker } from '../../api/webhooks/worker.js';
import { siteWithKey, tempDbFile, testConfig, TestClock } from '../api/helpers.js';
import { listen } from '../api/http-server.js';
import { axeViolations } from './axe.js';
import { openAdmin } from './admin-session.js';
import { launchChromium } from './chromium.js';

const SCRIPT_FILE = resolve(import.meta.dirname, '../../dist/widget/csat-admin.js');
const SLOW = { timeout: 30_000 };

let browser: Browser;
let store: Store;
let worker: WebhookWorker;
let server: Awaited<ReturnType<typeof listen>>;
let key: string;
let page: Page;
const seen = { violations: [] as string[], errors: [] as string[], dialogs: [] as string[] };
let good: Awaited<ReturnType<typeof receiver>>;
let failing: Awaited<ReturnType<typeof receiver>>;
const receivers: http.Server[] = [];

/** A receiver for the whole file, answering `status` to every delivery. */
async function receiver(status: number) {
  const received: Array<{ headers: http.IncomingHttpHeaders }> = [];
  const server = http.createServer((req, res) => {
    req.resume().on('end', () => {
      received.push({ headers: req.headers });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  receivers.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/csat`, received };
}
let held: string;

const api = (method: string, path: string, body?: unknown) =>
  fetch(`${server.url}/v1/sites/acme${path}`, {
    method,
    headers: { Authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
const hooks = async () => ((await (await api('GET', '/webhooks')).json()) as { items: Array<{ id: string; url: string; state: string; pending: number }> }).items;
const row = (url: string) => page.locator('csat-admin-webhooks table.webhooks > tbody > tr', { hasText: url });

beforeAll(async () => {
  if (!existsSync(SCRIPT_FILE)) throw new Error(`${SCRIPT_FILE} is missing: run npm run build (or npm run build:widget) first.`);
  let app: ReturnType<typeof createApp> | undefined;
  server = await listen({ fetch: (r) => app!.fetch(r) });
  store = openSqliteStore(tempDbFile());
  const clock = new TestClock(Date.now());
  app = createApp({ store, clock, config: testConfig({ publicUrl: server.url, webhookAllowPrivate: true, operatorScripts: { 'csat-admin': readFileSync(SCRIPT_FILE, 'utf8') } }) });
  const made = await siteWithKey(store, { slug: 'acme', name: 'Acme IT' });
  key = made.key;
  worker = startWebhookWorker({ store, clock, intervalMs: 3_600_000, allowPrivate: true });

  good = await receiver(200);
  failing = await receiver(503);
  expect((await api('POST', '/webhooks', { url: good.url, events: ['response.created'] })).status).toBe(201);
  expect((await api('POST', '/webhooks', { url: failing.url, events: ['response.created'] })).status).toBe(201);
  // A third, registered by a key that is then revoked: held until confirmed.
  const other = newAdminKey();
  await store.addAdminKey({ id: other.id, siteId: made.site.id, hash: other.hash }, clock.now());
  const res = await fetch(`${server.url}/v1/sites/acme/webhooks`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${other.key}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ url: 'https://held.example.com/csat', events: ['response.created'] }),
  });
  held = ((await res.json()) as { id: string }).id;
  await store.revokeAdminKey(made.site.id, adminKeyId(other.key)!, clock.now());

  const survey = (await (await api('POST', '/surveys', { ticketRef: 'T-1' })).json()) as { token: string };
  await fetch(`${server.url}/v1/responses`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ token: survey.token, reaction: 'negative' }) });
  expect(await worker.runOnce()).toBe(2);

  browser = await launchChromium();
  page = await openAdmin(browser, server.url, 'acme', key, seen);
  page.on('dialog', (d) => {
    seen.dialogs.push(d.message());
    void d.dismiss();
  });
  await row(good.url).waitFor();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await worker?.stop();
  await server?.close();
  await store?.close();
  for (const r of receivers) r.closeAllConnections(), r.close();
});

describe('/admin webhooks', () => {
  it('shows each webhook with its state, last delivery and last error', SLOW, async () => {
    expect(await row(good.url).locator('td.state').textContent()).toBe('Enabled');
    expect(await row(good.url).locator('td.last').textContent()).toMatch(/delivered \(HTTP 200\), 1 attempt/);
    expect(await row(failing.url).locator('td.last-error').textContent()).toContain('HTTP 503');
    expect(await row('held.example.com').locator('td.state').textContent()).toBe('Needs confirmation');
  });

  it('disables and confirms', SLOW, async () => {
    await row(failing.url).getByRole('button', { name: 'Disable' }).click();
    await expect.poll(async () => row(failing.url).locator('td.state').textContent()).toBe('Disabled');
    expect((await hooks()).find((h) => h.url === failing.url)!.state).toBe('disabled');

    await row('held.example.com').getByRole('button', { name: 'Confirm' }).click();
    await expect.poll(async () => row('held.example.com').locator('td.state').textContent()).toBe('Enabled');
    expect((await hooks()).find((h) => h.id === held)!.state).toBe('enabled');
  });

  it('rotates the secret and shows the new one once', SLOW, async () => {
    await row(good.url).getByRole('button', { name: 'Rotate secret' }).click();
    const secret = page.locator('csat-admin-webhooks p.secret code');
    await secret.waitFor();
    expect(await secret.textContent()).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
  });

  it('lists the deliveries and redelivers one', SLOW, async () => {
    await row(good.url).getByRole('button', { name: 'Deliveries' }).click();
    const redeliver = page.locator('csat-admin-webhooks tr.deliveries').getByRole('button', { name: 'Redeliver' });
    await redeliver.click();
    await expect.poll(async () => (await hooks()).find((h) => h.url === good.url)!.pending).toBe(1);
    expect(await worker.runOnce()).toBe(1);
    expect(good.received).toHaveLength(2);
    expect(good.received[1]!.headers['webhook-id']).toBe(good.received[0]!.headers['webhook-id']);
  });

  it('deletes after a second press', SLOW, async () => {
    await row('held.example.com').getByRole('button', { name: 'Delete' }).click();
    expect(await hooks()).toHaveLength(3);
    await row('held.example.com').getByRole('button', { name: 'Really delete' }).click();
    await expect.poll(() => row('held.example.com').count()).toBe(0);
    expect((await hooks()).map((h) => h.id)).not.toContain(held);
  });

  it('raised no CSP violation, page error or dialog', () => {
    expect(seen).toEqual({ violations: [], errors: [], dialogs: [] });
  });

  it('has no accessibility violations', SLOW, async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
    const p = await context.newPage();
    try {
      await p.goto(`${server.url}/admin?site=acme`);
      await p.locator('csat-admin #login-key').fill(key);
      await p.locator('csat-admin').getByRole('button', { name: 'Open the inbox' }).click();
      await p.locator('csat-admin-webhooks table.webhooks').waitFor();
      await p.locator('csat-admin-webhooks').getByRole('button', { name: 'Deliveries' }).first().click();
      await p.locator('csat-admin-webhooks tr.deliveries').waitFor();
      expect(await axeViolations(p)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
