// The NPS and CSAT survey emails as a client gets them: the built server as a real process, sites
// created with `csat site create --kind`, the email received over SMTP. Every value is a link in the
// HTML part and a line in the text part; a mail scanner fetching every link records nothing; a person
// opening one number's link and pressing it (keyboard, no JavaScript) is counted with that score.
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
let base = '';
let mails = 0;
const keys: Record<string, string> = {};

beforeAll(async () => {
  [browser, smtp] = await Promise.all([launchChromium(), startReceiver()]);
  const db = path.join(tempDir(), 'data', 'csat.db');
  const csat = (...args: string[]) => run(process.execPath, ['bin/csat.js', ...args, '--db', db], { cwd: root });
  for (const [slug, ...kind] of [
    ['nps-co', '--kind', 'nps'],
    ['csat-co', '--kind', 'csat', '--scale', '5'],
  ]) {
    keys[slug!] = (await csat('site', 'create', slug!, '--name', 'Acme IT', ...kind, '--quiet')).stdout.trim();
    await csat('site', 'set', slug!, '--sender-email', 'desk@acme.example');
  }
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  await startServer({ PORT: String(port), CSAT_DB: db, CSAT_DEMO: '0', CSAT_SMTP_URL: smtp.url, CSAT_PUBLIC_URL: base });
}, 90_000);

afterAll(async () => {
  killServers();
  await browser?.close();
  await smtp?.close();
});

const hrefs = (html: string) => [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!.replaceAll('&amp;', '&'));

async function emailed(slug: string, ticketRef: string) {
  const res = await fetch(`${base}/v1/sites/${slug}/surveys`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${keys[slug]}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ ticketRef, contact: { email: `${ticketRef.toLowerCase()}@example.com` } }),
  });
  expect(res.status).toBe(201);
  const mail = (await smtp.waitFor(++mails))[mails - 1]!;
  const answers = hrefs(String(mail.html)).filter((l) => /\?r=\d+$/.test(l));
  const token = new URL(answers[0]!).pathname.split('/')[2]!;
  return { mail, answers, token };
}

const response = async (token: string) => (await (await fetch(`${base}/v1/responses/${token}`)).json()) as { answered: boolean; score?: number };

describe('numbered survey emails', () => {
  for (const [slug, values, pick, star] of [
    ['nps-co', [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 9, false],
    ['csat-co', [1, 2, 3, 4, 5], 4, true],
  ] as const) {
    it(`${slug}: a link per value in both parts; scanners record nothing; the person's press of ${pick} counts`, { timeout: 60_000 }, async () => {
      const { mail, answers, token } = await emailed(slug, `${slug.toUpperCase()}-1`);
      expect(answers.map((l) => Number(new URL(l).searchParams.get('r')))).toEqual([...values]);
      for (const link of answers) expect(link.startsWith(`${base}/s/${token}?r=`)).toBe(true);
      const max = values.at(-1);
      for (const v of values) expect(String(mail.text)).toMatch(new RegExp(`^${v} out of ${max}\\b.*: ${base}/s/${token}\\?r=${v}$`, 'm'));
      expect(String(mail.text)).toContain(`${pick} out of ${max}: ${base}/s/${token}?r=${pick}`);
      expect(String(mail.html).includes('&#9733;') || String(mail.html).includes('★')).toBe(star);

      // A mail scanner fetching every link records nothing.
      for (const link of answers) expect((await fetch(link)).status).toBe(200);
      expect((await response(token)).answered).toBe(false);

      // The person opens the link of their number (no JavaScript) and presses it with the keyboard.
      const context = await browser.newContext({ javaScriptEnabled: false });
      const page = await context.newPage();
      await page.goto(answers[values.indexOf(pick as never)]!);
      expect(await page.getAttribute(`button[name="score"][value="${pick}"]`, 'aria-pressed')).toBe('true');
      expect((await response(token)).answered).toBe(false);
      await page.focus(`button[name="score"][value="${pick}"]`);
      await page.keyboard.press('Enter');
      await page.waitForURL(/[?&]saved=1/, { timeout: 15_000 });
      expect(await response(token)).toMatchObject({ answered: true, score: pick });
      await context.close();
    });
  }
});
