// The survey email as a client gets it: the built server as a real process sends it to a real SMTP
// server; its links are opened in Chromium. A link fetched by a mail scanner records nothing; the person
// pressing the reaction does; the one-click unsubscribe stops further surveys and leaves the score alone.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../api/helpers.js';
import { startReceiver, type Receiver } from '../api/email/smtp-receiver.js';
import { launchChromium } from './chromium.js';
import { freePort, killServers, root, startServer } from './server-process.js';

const run = promisify(execFile);
let browser: Browser;
let smtp: Receiver;

beforeAll(async () => {
  browser = await launchChromium();
  smtp = await startReceiver();
}, 60_000);

afterAll(async () => {
  killServers();
  await browser?.close();
  await smtp?.close();
});

const hrefs = (html: string) => [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!.replaceAll('&amp;', '&'));

describe('survey email in a browser', () => {
  it('one email per ticket, in French; a GET records nothing, pressing the reaction counts; one-click unsubscribe stops the next survey', { timeout: 60_000 }, async () => {
    const db = path.join(tempDir(), 'data', 'csat.db');
    const csat = (...args: string[]) => run(process.execPath, ['bin/csat.js', ...args, '--db', db], { cwd: root });
    const key = (await csat('site', 'create', 'acme', '--name', 'Acme IT', '--quiet')).stdout.trim();
    await csat('site', 'set', 'acme', '--sender-email', 'desk@acme.example', '--sender-name', 'Acme Desk');
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    await startServer({ PORT: String(port), CSAT_DB: db, CSAT_DEMO: '0', CSAT_SMTP_URL: smtp.url, CSAT_PUBLIC_URL: base });
    const create = async (ticketRef: string, email: string) => {
      const res = await fetch(`${base}/v1/sites/acme/surveys`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ ticketRef, locale: 'fr', contact: { email } }),
      });
      return { status: res.status, body: (await res.json()) as Record<string, any> };
    };
    const counts = async () => ((await (await fetch(`${base}/v1/sites/acme/score`)).json()) as { counts: Record<string, number> }).counts;

    const created = await create('MAIL-1', 'ann@example.com');
    expect(created.status).toBe(201);
    const [mail] = await smtp.waitFor(1);
    expect(mail!.subject).toBe('Comment avons-nous traité le ticket MAIL-1 ?');
    expect(mail!.text).toContain('Bien: http');
    const links = hrefs(String(mail!.html));
    const positive = links.find((l) => l.endsWith('?r=positive'))!;
    // Sealed: the token is only in the email, never in the operator's answer.
    expect(created.body).toMatchObject({ sealed: true });
    expect(created.body.links).toBeUndefined();
    expect(positive).toMatch(/\/s\/[\w-]{43}\?r=positive$/);
    for (const link of links) expect(link.startsWith(`${base}/`)).toBe(true);

    // A mail scanner fetching every link records nothing.
    for (const link of links.filter((l) => !l.includes('/u/'))) {
      expect((await fetch(link)).status).toBe(200);
    }
    expect((await counts()).total).toBe(0);

    // The same ticket again: no second email.
    expect((await create('MAIL-1', 'ann@example.com')).status).toBe(200);

    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(positive);
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    expect((await counts()).total).toBe(0);
    await page.click('button.reaction.positive');
    // The post redirects to the thank-you state (waiting for the address: a redirect answer inside a
    // navigation is not reliably reported to response listeners).
    await page.waitForURL(/[?&]saved=1/, { timeout: 15_000 });
    await page.waitForLoadState('domcontentloaded');
    expect(await counts()).toMatchObject({ positive: 1, total: 1 });

    // Unsubscribe from the link in the email: the page asks first, the button opts out.
    const unsubscribe = links.find((l) => l.includes('/u/'))!;
    await page.goto(unsubscribe);
    expect(await page.textContent('h1')).toBe('Ne plus recevoir les questionnaires');
    await page.click('button[type=submit]');
    await page.waitForLoadState('domcontentloaded');
    expect(await page.textContent('h1')).toBe('Vous ne recevrez plus de questionnaires');
    await context.close();

    const after = await create('MAIL-2', 'Ann@Example.com');
    expect(after.body).toMatchObject({ optedOut: true, email: { status: 'opted_out' } });
    expect(await create('MAIL-3', 'bob@example.com')).toMatchObject({ status: 201 });
    await smtp.waitFor(2);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(smtp.messages.map((m) => (m.to && !Array.isArray(m.to) ? m.to.value[0]?.address : null))).toEqual(['ann@example.com', 'bob@example.com']);
    expect(await counts()).toMatchObject({ positive: 1, total: 1 });
  });
});
