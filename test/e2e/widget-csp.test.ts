// The built drop-in script (dist/widget/csat-badge.js) on a company site with the strictest Content
// Security Policy a site would use: scripts only from an allowed origin, connections only to the API,
// no inline code, no eval, no styles at all. In real headless Chromium, against the real app on a
// real loopback port, with the company site on another port (another origin).
// Needs the build: `npm run build` (or `npm run build:widget`) first.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './chromium.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.js';
import { openSqliteStore } from '../../api/store/sqlite.js';
import type { Store } from '../../api/store/types.js';
import { siteWithKey, tempDbFile, testConfig, TestClock } from '../api/helpers.js';
import { listen } from '../api/http-server.js';

const SCRIPT_FILE = resolve(import.meta.dirname, '../../dist/widget/csat-badge.js');
const SLOW = { timeout: 30_000 };
const SITE = 'acme-csp';

interface Violation {
  directive: string;
  blocked: string;
  source: string;
  sample: string;
}

let script: string;
let browser: Browser;
let store: Store;
let api: Awaited<ReturnType<typeof listen>>;
let company: http.Server;
let companyUrl: string;
/** The score the API reports for the site; the badge must show the same number. */
let expectedScore: number;

/** The company site's pages, each with its own policy. `api` is the API origin. */
function companyPages(apiOrigin: string): Record<string, { csp: string; body: string }> {
  const strict = `default-src 'none'; script-src 'self'; connect-src ${apiOrigin}; img-src 'self'`;
  const sri = `sha384-${createHash('sha384').update(script).digest('base64')}`;
  return {
    // The drop-in script copied to the company's own origin; the badges name the API.
    '/strict': {
      csp: strict,
      body: `<csat-badge id="main" site="${SITE}" api="${apiOrigin}"></csat-badge>
<csat-badge id="live" site="${SITE}" api="${apiOrigin}" live compact></csat-badge>
<script src="/csat-badge.js"></script>`,
    },
    // Two copies of the drop-in script on one page (a CMS block and a theme both include it).
    '/twice': {
      csp: strict,
      body: `<script src="/csat-badge.js"></script>
<csat-badge id="main" site="${SITE}" api="${apiOrigin}"></csat-badge>
<script src="/csat-badge.js"></script>`,
    },
    // The one-tag embed: the script from the API's own route, with Subresource Integrity, and no
    // api attribute (the badge takes the script's origin).
    '/from-api': {
      csp: `default-src 'none'; script-src ${apiOrigin}; connect-src ${apiOrigin}; img-src 'self'`,
      body: `<csat-badge id="main" site="${SITE}"></csat-badge>
<script src="${apiOrigin}/widget/csat-badge.js" integrity="${sri}" crossorigin="anonymous"></script>`,
    },
    // A control: inline code and an inline style that the policy must refuse, so a silent collector
    // cannot pass the other cases by accident.
    '/control': {
      csp: strict,
      body: `<p style="color: red">inline style</p><script>document.title = 'inline ran';</script>`,
    },
  };
}

function startCompanySite(apiOrigin: string): Promise<http.Server> {
  const pages = companyPages(apiOrigin);
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path === '/csat-badge.js') {
      res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(script);
      return;
    }
    const page = pages[path];
    if (!page) {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('not found');
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': page.csp, 'Cache-Control': 'no-store' });
    res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Acme support</title></head><body>
<h1>Acme support</h1>
${page.body}
</body></html>`);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

beforeAll(async () => {
  if (!existsSync(SCRIPT_FILE)) {
    throw new Error(`${SCRIPT_FILE} is missing: build the widget first with \`npm run build\` (or \`npm run build:widget\`).`);
  }
  script = readFileSync(SCRIPT_FILE, 'utf8');

  // The API, serving the same built script at /widget/csat-badge.js for the one-tag embed.
  let app: ReturnType<typeof createApp> | undefined;
  api = await listen({ fetch: (r) => app!.fetch(r) });
  store = openSqliteStore(tempDbFile());
  app = createApp({ store, clock: new TestClock(), config: testConfig({ publicUrl: api.url, widgetScript: script }) });

  // A site with reactions, so there is a score to show.
  const { key } = await siteWithKey(store, { slug: SITE, name: 'Acme IT' });
  for (const [i, reaction] of ['positive', 'positive', 'positive', 'neutral', 'negative'].entries()) {
    const created = await fetch(`${api.url}/v1/sites/${SITE}/surveys`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ ticketRef: `CSP-${i}` }),
    });
    expect(created.status).toBe(201);
    const { token } = (await created.json()) as { token: string };
    const answered = await fetch(`${api.url}/v1/responses`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ token, reaction }),
    });
    expect(answered.status).toBe(201);
  }
  const score = (await (await fetch(`${api.url}/v1/sites/${SITE}/score`)).json()) as { score: number | null };
  expect(score.score).not.toBeNull();
  expectedScore = score.score!;

  company = await startCompanySite(api.url);
  companyUrl = `http://127.0.0.1:${(company.address() as AddressInfo).port}`;
  expect(new URL(companyUrl).origin).not.toBe(new URL(api.url).origin);

  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (company) {
    company.closeAllConnections();
    await new Promise<void>((resolve) => company.close(() => resolve()));
  }
  await api?.close();
  await store?.close();
});

/** Opens a company page in a fresh context, recording CSP violations, CSP console messages and page errors. */
async function visit<T>(path: string, body: (page: Page, seen: () => Promise<{ violations: Violation[]; cspConsole: string[]; errors: string[] }>) => Promise<T>): Promise<T> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    // Runs before any page script (injected over the DevTools protocol, so the policy does not apply to it).
    await page.addInitScript(() => {
      const w = window as unknown as { __violations: unknown[] };
      w.__violations = [];
      window.addEventListener(
        'securitypolicyviolation',
        (e) => w.__violations.push({ directive: e.violatedDirective, blocked: e.blockedURI, source: e.sourceFile, sample: e.sample }),
        true,
      );
    });
    const cspConsole: string[] = [];
    const errors: string[] = [];
    page.on('console', (m) => m.text().includes('Content Security Policy') && cspConsole.push(m.text()));
    page.on('pageerror', (e) => errors.push(`${e.name}: ${e.message}`));
    const response = await page.goto(companyUrl + path);
    expect(response?.status()).toBe(200);
    const seen = async () => ({
      violations: await page.evaluate(() => (window as unknown as { __violations: Violation[] }).__violations),
      cspConsole,
      errors,
    });
    return await body(page, seen);
  } finally {
    await context.close();
  }
}

/** Waits for the loaded badge (its button, not the skeleton) and returns the number it shows. */
async function shownScore(page: Page, id = 'main'): Promise<string> {
  const score = page.locator(`csat-badge#${id} button[part="base"] [part="score"]`);
  await score.waitFor({ timeout: 10_000 });
  // Its own text only: the "/100" and screen-reader spans are children, and Lit leaves comment markers.
  return score.evaluate((el) => [...el.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent).join('').trim());
}

describe('the drop-in script under a strict Content Security Policy', () => {
  it('the violation collector sees what the policy refuses (control)', SLOW, async () => {
    await visit('/control', async (page, seen) => {
      await page.waitForLoadState('load');
      expect(await page.title()).toBe('Acme support'); // the inline script did not run
      const { violations, cspConsole } = await seen();
      expect(violations.map((v) => v.directive).sort()).toEqual(['script-src-elem', 'style-src-attr']);
      expect(cspConsole.length).toBeGreaterThan(0);
    });
  });

  it('script from the company’s own origin, API named by the api attribute: the badge renders, zero violations', SLOW, async () => {
    await visit('/strict', async (page, seen) => {
      expect(await shownScore(page)).toBe(String(expectedScore));
      expect(await shownScore(page, 'live')).toBe(String(expectedScore)); // over Server-Sent Events

      // The shadow styles apply although the policy allows no style source (constructable stylesheets).
      const display = await page.locator('csat-badge#main button[part="base"]').evaluate((el) => getComputedStyle(el).display);
      expect(display).toBe('flex');

      // The breakdown's bars get their widths from script; under this policy that must go through the
      // CSSOM (element.style), not a style attribute, which style-src-attr refuses.
      await page.locator('csat-badge#main button[part="base"]').click();
      const fill = page.locator('csat-badge#main [part="popover"] li.positive .fill');
      await fill.waitFor({ state: 'attached', timeout: 5_000 });
      const bar = await fill.evaluate((el) => ({ width: (el as HTMLElement).style.width, px: el.getBoundingClientRect().width }));

      await page.waitForTimeout(200); // a late report would have arrived by now
      const { violations, cspConsole, errors } = await seen();
      expect(violations, JSON.stringify(violations)).toEqual([]);
      expect(cspConsole).toEqual([]);
      expect(errors).toEqual([]);
      expect(bar.width, 'the positive bar has its width').toMatch(/^[1-9]\d*(\.\d+)?%$/);
      expect(bar.px, 'the positive bar is drawn').toBeGreaterThan(0);
    });
  });

  it('the script included twice on one page raises no error and the badge still renders', SLOW, async () => {
    await visit('/twice', async (page, seen) => {
      expect(await shownScore(page)).toBe(String(expectedScore));
      await page.waitForLoadState('load');
      expect(await page.locator('script[src="/csat-badge.js"]').count()).toBe(2);
      expect(await page.evaluate(() => [!!customElements.get('csat-badge'), !!customElements.get('csat-survey')])).toEqual([true, true]);
      await page.waitForTimeout(200);
      const { violations, cspConsole, errors } = await seen();
      expect(errors).toEqual([]);
      expect(violations, JSON.stringify(violations)).toEqual([]);
      expect(cspConsole).toEqual([]);
    });
  });

  it('the one-tag embed from the API origin, with Subresource Integrity and no api attribute: renders, zero violations', SLOW, async () => {
    await visit('/from-api', async (page, seen) => {
      expect(await shownScore(page)).toBe(String(expectedScore));
      await page.waitForTimeout(200);
      const { violations, cspConsole, errors } = await seen();
      expect(violations, JSON.stringify(violations)).toEqual([]);
      expect(cspConsole).toEqual([]);
      expect(errors).toEqual([]);
    });
  });
});
