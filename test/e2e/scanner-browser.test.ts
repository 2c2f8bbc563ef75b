// Link-detonation scanners against the built server as a real process, with the real survey email
// received over SMTP: a headless Chromium driven as automation (navigator.webdriver) opening every link
// of the email records nothing that counts; a browser that hides automation and opens every link, trap
// first as the email orders them, only gets its answer held; a person (Chromium launched with
// --disable-blink-features=AutomationControlled) opening one link is counted after the pause, and one
// click confirms a held answer at once. The no-JavaScript form still records on a scanned survey.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../api/helpers.js';
import { startReceiver, type Receiver } from '../api/email/smtp-receiver.js';
import { CHROMIUM_ARGS } from './chromium.js';
import { freePort, killServers, root, startServer } from './server-process.js';

const run = promisify(execFile);
/** Longer than the page script's 1.2 s pause before it sends by itself. */
const PAST_THE_PAUSE_MS = 2_500;
const launch = (extra: string[] = []) =>
  chromium.launch({ executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium', args: [...CHROMIUM_ARGS, ...extra] });

let automated: Browser;
let person: Browser;
let smtp: Receiver;
let base = '';
let key = '';
let mails = 0;

beforeAll(async () => {
  [automated, person, smtp] = await Promise.all([launch(), launch(['--disable-blink-features=AutomationControlled']), startReceiver()]);
  const db = path.join(tempDir(), 'data', 'csat.db');
  const csat = (...args: string[]) => run(process.execPath, ['bin/csat.js', ...args, '--db', db], { cwd: root });
  key = (await csat('site', 'create', 'acme', '--name', 'Acme IT', '--quiet')).stdout.trim();
  await csat('site', 'set', 'acme', '--sender-email', 'desk@acme.example');
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  await startServer({ PORT: String(port), CSAT_DB: db, CSAT_DEMO: '0', CSAT_SMTP_URL: smtp.url, CSAT_PUBLIC_URL: base });
}, 90_000);

afterAll(async () => {
  killServers();
  await Promise.all([automated?.close(), person?.close(), smtp?.close()]);
});

const counts = async () => ((await (await fetch(`${base}/v1/sites/acme/score`)).json()) as { counts: Record<string, number> }).counts;
const answered = async (token: string) => ((await (await fetch(`${base}/v1/responses/${token}`)).json()) as { answered: boolean }).answered;

/** A survey emailed to a new contact; its links in the order of the HTML part, and its token. */
async function emailedSurvey(ticketRef: string) {
  const res = await fetch(`${base}/v1/sites/acme/surveys`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ ticketRef, contact: { email: `${ticketRef.toLowerCase()}@example.com` } }),
  });
  expect(res.status).toBe(201);
  const mail = (await smtp.waitFor(++mails))[mails - 1]!;
  const links = [...String(mail.html).matchAll(/href="([^"]*)"/g)].map((m) => m[1]!.replaceAll('&amp;', '&'));
  const trap = links.find((l) => l.endsWith('/t'))!;
  const token = new URL(trap).pathname.split('/')[2]!;
  const reaction = (r: string) => links.find((l) => l.endsWith(`?r=${r}`))!;
  return { links, trap, token, reaction };
}

/** Opens each link in its own page and stays past the pause, as a detonating scanner does; returns
 * how many posts the pages made. */
async function openAll(browser: Browser, links: string[]) {
  const context = await browser.newContext();
  let posts = 0;
  context.on('request', (r) => void (r.method() === 'POST' && posts++));
  for (const link of links) {
    const page = await context.newPage();
    await page.goto(link);
    await page.waitForTimeout(PAST_THE_PAUSE_MS);
    await page.close();
  }
  await context.close();
  return posts;
}

describe('mail scanners that render the page', () => {
  it('the email has a trap link, before the reaction links, that is not displayed', { timeout: 30_000 }, async () => {
    const { links, trap, reaction } = await emailedSurvey('SCAN-0');
    expect(links.indexOf(trap)).toBeLessThan(links.indexOf(reaction('positive')));
    const page = await person.newPage();
    await page.setContent(String((await smtp.waitFor(mails))[mails - 1]!.html));
    expect(await page.locator(`a[href="${trap}"]`).isVisible()).toBe(false);
    expect(await page.locator(`a[href="${reaction('positive')}"]`).isVisible()).toBe(true);
    await page.close();
  });

  it('Chromium driven as automation opening every link of the email, trap included, records nothing', { timeout: 60_000 }, async () => {
    const before = await counts();
    const { links, token } = await emailedSurvey('SCAN-1');
    expect(links.length).toBeGreaterThanOrEqual(5); // trap, three reactions, unsubscribe
    // Not even a held answer: the page sends nothing by itself under automation.
    expect(await openAll(automated, links)).toBe(0);
    expect(await counts()).toEqual(before);
    expect(await answered(token)).toBe(false);
  });

  it('Chromium driven as automation opening one reaction link alone (nothing marks it scanned) sends nothing', { timeout: 30_000 }, async () => {
    const before = await counts();
    const { token, reaction } = await emailedSurvey('SCAN-5');
    expect(await openAll(automated, [reaction('positive')])).toBe(0);
    expect(await counts()).toEqual(before);
    expect(await answered(token)).toBe(false);
  });

  it('a browser hiding automation that opens every link gets its answers held, never counted; one click by a person confirms at once', { timeout: 60_000 }, async () => {
    const before = await counts();
    const { links, token, reaction } = await emailedSurvey('SCAN-2');
    expect(await openAll(person, links)).toBeGreaterThan(0); // it did send, and was held
    expect(await counts()).toEqual(before);
    expect(await answered(token)).toBe(false);

    // The person comes along later (still within the scanned time) and opens the positive link.
    const page = await person.newPage();
    await page.goto(reaction('positive'));
    await page.waitForTimeout(PAST_THE_PAUSE_MS);
    expect(await counts()).toEqual(before);
    await expect(page.locator('#status').textContent()).resolves.toContain('Please confirm your answer');
    await page.click('form.confirm button[name=reaction]');
    await page.waitForURL(/[?&]saved=1/, { timeout: 15_000 });
    expect((await counts()).positive).toBe((before.positive ?? 0) + 1);
    expect(await answered(token)).toBe(true);
    await page.close();
  });

  it('a person opening one reaction link is counted after the pause, with no click', { timeout: 30_000 }, async () => {
    const before = await counts();
    const { token, reaction } = await emailedSurvey('SCAN-3');
    const page = await person.newPage();
    await page.goto(reaction('neutral'));
    // The page posts by itself after the pause and the server redirects to the thank-you state. Waiting for
    // the address rather than for the POST's own 303: a redirect answer inside a navigation is not
    // reliably reported to response listeners.
    await page.waitForURL(/[?&]saved=1/, { timeout: 15_000 });
    expect((await counts()).neutral).toBe((before.neutral ?? 0) + 1);
    expect(await answered(token)).toBe(true);
    await page.close();
  });

  it('on a scanned survey the no-JavaScript form still records at the press of the button', { timeout: 30_000 }, async () => {
    const before = await counts();
    const { links, token, reaction } = await emailedSurvey('SCAN-4');
    for (const link of links.filter((l) => !l.includes('/u/'))) expect((await fetch(link)).status).toBe(200);
    const context = await person.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(reaction('negative'));
    expect(await counts()).toEqual(before);
    await page.click('button.reaction.negative');
    await page.waitForLoadState('domcontentloaded');
    expect((await counts()).negative).toBe((before.negative ?? 0) + 1);
    expect(await answered(token)).toBe(true);
    await context.close();
  });
});
