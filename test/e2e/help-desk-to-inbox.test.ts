// From "ticket closed" in the help desk to a reaction that counts, with no glue code: the built server as
// a real process, a Zendesk connector made by `csat connector create`, a real SMTP server, and Chromium.
// A signed "ticket solved" call leads to exactly one email once the site's delay after the close has
// passed; the same call again sends nothing; a badly signed call is refused and queues nothing; the
// email's link, opened and pressed in a browser, records the reaction.
import { execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture } from '../api/connectors/fixtures.js';
import { startReceiver, type Receiver } from '../api/email/smtp-receiver.js';
import { tempDir } from '../api/helpers.js';
import { launchChromium } from './chromium.js';
import { freePort, killServers, root, startServer } from './server-process.js';

const run = promisify(execFile);
const SIGNING_SECRET = 'aGVscC1kZXNrLXRvLWluYm94LXNpZ25pbmc=';
const DELAY_MINUTES = 1;

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

/** Zendesk's signature: base64 HMAC-SHA256 of the timestamp header followed by the raw body. */
function zendeskHeaders(body: string, secret = SIGNING_SECRET) {
  const stamp = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  return {
    'Content-Type': 'application/json',
    'X-Zendesk-Webhook-Signature-Timestamp': stamp,
    'X-Zendesk-Webhook-Signature': createHmac('sha256', secret).update(stamp + body).digest('base64'),
  };
}

/** The documented "ticket solved" body, for another ticket and closed at `closedAt`. */
function solved(ticketId: string, closedAt: Date): string {
  const body = structuredClone(fixture('zendesk.solved').body) as { ticket: Record<string, unknown> };
  body.ticket.id = ticketId;
  body.ticket.updated_at = closedAt.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return JSON.stringify(body);
}

describe('a closed Zendesk ticket reaches the client by email', () => {
  it('one email after the delay, in the ticket language; again: nothing; badly signed: 401, nothing queued; the link counts', { timeout: 90_000 }, async () => {
    const db = path.join(tempDir(), 'data', 'csat.db');
    const csat = (...args: string[]) => run(process.execPath, ['bin/csat.js', ...args, '--db', db], { cwd: root });
    const key = (await csat('site', 'create', 'acme', '--name', 'Acme IT', '--quiet')).stdout.trim();
    await csat('site', 'set', 'acme', '--sender-email', 'desk@acme.example', '--email-delay-minutes', String(DELAY_MINUTES));
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const created = await csat('connector', 'create', 'acme', 'zendesk', `signingSecret=${SIGNING_SECRET}`, '--url', base);
    const inbound = /Inbound URL: (\S+)/.exec(created.stdout)![1]!;
    await startServer({ PORT: String(port), CSAT_DB: db, CSAT_DEMO: '0', CSAT_SMTP_URL: smtp.url, CSAT_PUBLIC_URL: base });
    const auth = { Authorization: `Bearer ${key}` };
    const emails = async () => ((await (await fetch(`${base}/v1/sites/acme/emails`, { headers: auth })).json()) as { emails: Array<Record<string, any>> }).emails;
    const counts = async () => ((await (await fetch(`${base}/v1/sites/acme/score`)).json()) as { counts: Record<string, number> }).counts;

    // Closed 45 s ago with a 1-minute delay: the email is due about 15 s from now, not at once.
    const closedAt = new Date(Math.floor((Date.now() - 45_000) / 1000) * 1000); // Zendesk sends whole seconds
    const body = solved('48213', closedAt);
    const first = await fetch(inbound, { method: 'POST', headers: zendeskHeaders(body), body });
    expect(first.status).toBe(201);
    const [queued] = await emails();
    expect(queued).toMatchObject({ ticketRef: '48213', status: 'queued' });
    expect(Date.parse(queued!.sendAt)).toBe(closedAt.getTime() + DELAY_MINUTES * 60_000);

    // The same call again (a retry, or a replay inside the 5 minutes) makes nothing more.
    const again = await fetch(inbound, { method: 'POST', headers: zendeskHeaders(body), body });
    expect(again.status).toBe(409);
    // A call that is not signed with the connector's secret is refused and queues nothing.
    const forged = solved('48299', new Date());
    const bad = await fetch(inbound, { method: 'POST', headers: zendeskHeaders(forged, 'bm90LXRoZS1zZWNyZXQ='), body: forged });
    expect(bad.status).toBe(401);
    expect((await emails()).map((e) => e.ticketRef)).toEqual(['48213']);

    await new Promise((r) => setTimeout(r, 3_000));
    expect(smtp.messages, 'nothing is sent before the delay has passed').toHaveLength(0);
    const [mail] = await smtp.waitFor(1, 45_000);
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(queued!.sendAt));
    // Multipart, in the requester's language (French in the fixture), to the requester.
    expect(mail!.to && !Array.isArray(mail!.to) ? mail!.to.value[0]?.address : null).toBe('pat.doe@example.com');
    expect(mail!.subject).toContain('48213');
    expect(mail!.html).toBeTruthy();
    expect(mail!.text).toContain('Bien: http');
    expect((await emails())[0]).toMatchObject({ ticketRef: '48213', status: 'sent' });

    // The positive link, opened and pressed by a person in a browser, counts.
    const positive = [...String(mail!.html).matchAll(/href="([^"]*)"/g)].map((m) => m[1]!.replaceAll('&amp;', '&')).find((l) => l.endsWith('?r=positive'))!;
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(positive);
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    expect((await counts()).total, 'opening the link records nothing').toBe(0);
    await page.click('button.reaction.positive');
    // The post redirects to the thank-you state (waiting for the address: a redirect answer inside a
    // navigation is not reliably reported to response listeners).
    await page.waitForURL(/[?&]saved=1/, { timeout: 15_000 });
    expect(await counts()).toMatchObject({ positive: 1, total: 1 });
    await context.close();

    // Still exactly one email for the ticket, and none for the forged call.
    await new Promise((r) => setTimeout(r, 2_500));
    expect(smtp.messages).toHaveLength(1);
  });
});
