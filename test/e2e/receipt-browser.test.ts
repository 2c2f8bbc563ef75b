// The receipt in real Chromium against the built server: answer a survey on its page, read "entry #N",
// open the receipt and see the proof checked in the browser (WebCrypto SHA-256 and Ed25519); a proof or
// a checkpoint altered on the way is refused; without JavaScript the raw proof links work. No CSP
// violations, axe clean.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTokenId } from '../../api/domain/tokens.js';
import { DAY_MS } from '../../api/domain/window.js';
import { RECEIPT_MESSAGES } from '../../api/pages/messages.js';
import { openSqliteStore } from '../../api/store/sqlite.js';
import { siteWithKey, tempDir } from '../api/helpers.js';
import { axeViolations } from './axe.js';
import { CHROMIUM_ARGS } from './chromium.js';
import { freePort, killServers, root, startServer } from './server-process.js';

const SLOW = { timeout: 60_000 };
const t = RECEIPT_MESSAGES.en;

let browser: Browser;
let base: string;
let key: string;

beforeAll(async () => {
  if (!fs.existsSync(path.join(root, 'dist/api/server.js'))) throw new Error('run npm run build:api first');
  const db = path.join(tempDir(), 'receipt.db');
  const store = openSqliteStore(db);
  const now = Date.now();
  const made = await siteWithKey(store, { slug: 'acme', name: 'Acme & Sons' }, now);
  key = made.key;
  // Two answers before ours, so the proof has hashes to alter.
  for (const [ticketRef, reaction] of [['T-1', 'positive'], ['T-2', 'neutral']] as const) {
    const { survey } = await store.createSurvey({ siteId: made.site.id, ticketRef, tokenId: newTokenId(), expiresAt: now + DAY_MS }, now);
    await store.submitResponse({ survey, reaction, changeWindowMs: DAY_MS }, now);
  }
  await store.close();
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  await startServer({ PORT: String(port), CSAT_DB: db, CSAT_DEMO: '0', CSAT_PUBLIC_URL: base });
  // As a person's Chromium (not marked as automation), as test/e2e/respondent.test.ts does.
  browser = await chromium.launch({
    executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
    args: [...CHROMIUM_ARGS, '--disable-blink-features=AutomationControlled'],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  killServers();
});

async function newSurveyPage(): Promise<string> {
  const res = await fetch(`${base}/v1/sites/acme/surveys`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ ticketRef: `T-${Math.random().toString(36).slice(2, 8)}` }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { links: { page: string } }).links.page;
}

/** A page in a context of its own that records CSP violations, reported both as events and on the console. */
async function withPage<T>(options: BrowserContextOptions, body: (page: Page, violations: string[]) => Promise<T>): Promise<T> {
  const context = await browser.newContext(options);
  try {
    const page = await context.newPage();
    const violations: string[] = [];
    page.on('console', (m) => m.text().includes('Content Security Policy') && violations.push(m.text()));
    if (options.javaScriptEnabled !== false) {
      await page.exposeFunction('__cspViolation', (v: string) => violations.push(v));
      await page.addInitScript(() => {
        window.addEventListener(
          'securitypolicyviolation',
          (e) => (window as unknown as { __cspViolation: (v: string) => void }).__cspViolation(`${e.violatedDirective} ${e.blockedURI}`),
          true,
        );
      });
    }
    return await body(page, violations);
  } finally {
    await context.close();
  }
}

/** Answers on the survey page by pressing a reaction; returns the entry number and the receipt link it shows. */
async function answer(page: Page, url: string) {
  await page.goto(url);
  await Promise.all([page.waitForURL(/[?&]saved=1/), page.click('button[name="reaction"][value="negative"]')]);
  const line = page.locator('p.receipt');
  const text = (await line.textContent())!;
  const m = /Your reaction is entry #(\d+) of Acme & Sons’s public log\./.exec(text);
  expect(m, text).not.toBeNull();
  return { index: Number(m![1]), href: (await line.locator('a').getAttribute('href'))! };
}

const result = (page: Page) => page.locator('#receipt-result:not([data-result="pending"])');

describe('the receipt page', () => {
  it('after answering, shows entry #N and checks its inclusion proof and the checkpoint signature in the browser', SLOW, async () => {
    const keyName = ((await (await fetch(`${base}/v1/sites/acme/log/key`)).json()) as { origin: string }).origin;
    await withPage({}, async (page, violations) => {
      const { index, href } = await answer(page, await newSurveyPage());
      expect(index).toBe(2);
      const entries = (await (await fetch(`${base}/v1/sites/acme/log/entries?start=${index}&end=${index + 1}`)).json()) as { entries: Array<{ data: string }> };
      expect(JSON.parse(entries.entries[0]!.data)).toMatchObject({ reaction: 'negative', kind: 'first' });

      await Promise.all([page.waitForURL((u) => u.pathname === `/log/acme/${index}`), page.click('p.receipt a')]);
      expect(href).toBe(`/log/acme/${index}?lang=en`);
      await expect.poll(() => result(page).getAttribute('data-result'), { timeout: 10_000 }).toBe('saved');
      expect(await result(page).textContent()).toBe(`Checked in your browser: entry #${index} is in the log of size 3, whose checkpoint is signed by ${keyName}.`);
      expect(await page.locator('h1').textContent()).toBe(`Entry #${index} of Acme & Sons’s public log`);
      expect(violations).toEqual([]);
    });
    await withPage({ bypassCSP: true }, async (page) => {
      await page.goto(`${base}/log/acme/2`);
      await expect.poll(() => result(page).getAttribute('data-result'), { timeout: 10_000 }).toBe('saved');
      expect(await axeViolations(page)).toEqual([]);
    });
  });

  it('refuses a proof with one flipped byte, and a checkpoint whose root was changed', SLOW, async () => {
    await withPage({}, async (page, violations) => {
      await page.route('**/log/proof/inclusion?*', async (route) => {
        const res = await route.fetch();
        const body = (await res.json()) as { proof: string[] };
        const bytes = Buffer.from(body.proof[0]!, 'base64');
        bytes[0]! ^= 0x01;
        body.proof[0] = bytes.toString('base64');
        await route.fulfill({ response: res, json: body });
      });
      await page.goto(`${base}/log/acme/1`);
      await expect.poll(() => result(page).getAttribute('data-result'), { timeout: 10_000 }).toBe('problem');
      expect(await result(page).textContent()).toBe(`${t.failed.replace('{reason}', 'the proof does not lead to the checkpoint root')}`);
      expect(violations).toEqual([]);
    });
    await withPage({}, async (page) => {
      await page.route('**/log/checkpoint', async (route) => {
        const res = await route.fetch();
        const [origin, size, rootHash, ...rest] = (await res.text()).split('\n');
        const bytes = Buffer.from(rootHash!, 'base64');
        bytes[31]! ^= 0x80;
        await route.fulfill({ response: res, body: [origin, size, bytes.toString('base64'), ...rest].join('\n') });
      });
      await page.goto(`${base}/log/acme/1`);
      await expect.poll(() => result(page).getAttribute('data-result'), { timeout: 10_000 }).toBe('problem');
      expect(await result(page).textContent()).toContain('the checkpoint signature is not valid');
    });
  });

  it('without JavaScript, shows the entry and links to the raw proof', SLOW, async () => {
    await withPage({ javaScriptEnabled: false }, async (page) => {
      const response = await page.goto(`${base}/log/acme/0`);
      expect(response!.status()).toBe(200);
      const csp = response!.headers()['content-security-policy']!;
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("connect-src 'self'");
      expect(csp).not.toContain('unsafe');
      expect(await page.locator('#receipt-status').textContent()).toBe(t.noScript);
      const links = await page.locator('ul a').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
      expect(links.map((l) => new URL(l).pathname + new URL(l).search)).toEqual([
        '/v1/sites/acme/log/entries?start=0&end=1',
        expect.stringMatching(/^\/v1\/sites\/acme\/log\/proof\/inclusion\?index=0&size=\d+$/),
        '/v1/sites/acme/log/checkpoint',
        '/v1/sites/acme/log/key',
      ]);
      for (const link of links) expect((await fetch(link)).status, link).toBe(200);
      expect(await page.locator('dd').first().textContent()).toContain('Good');
    });
  });
});
