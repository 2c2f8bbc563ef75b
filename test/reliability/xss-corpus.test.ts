// A stored-XSS corpus saved as respondents' comments through the public API, then every page that shows
// comments opened in real headless Chromium: the survey page (thank-you state with the textarea, and the
// read-only state after the change window), the admin page and the office wall. Each page is opened
// twice: under its own Content Security Policy, and with the CSP bypassed, so that escaping alone (not
// the policy) is what is tested. No dialog may open, no payload may run (`window.__pwned` stays false),
// and every payload must read back as the text the API stored. The inline <csat-survey> read-only state
// is covered by the widget tests.
// Needs the build: `npm run build` (dist/widget/csat-admin.js, dist/widget/csat-wall.js).
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.js';
import { MAX_COMMENT_CHARS, normalizeComment } from '../../api/domain/comment.js';
import { newAdminKey } from '../../api/domain/tokens.js';
import { openSqliteStore } from '../../api/store/sqlite.js';
import type { Store } from '../../api/store/types.js';
import { WALL_RECENT } from '../../api/services/wall-snapshot.js';
import { launchChromium } from '../e2e/chromium.js';
import { siteWithKey, tempDbFile, testConfig, TestClock } from '../api/helpers.js';
import { listen } from '../api/http-server.js';

const ADMIN_JS = resolve(import.meta.dirname, '../../dist/widget/csat-admin.js');
const WALL_JS = resolve(import.meta.dirname, '../../dist/widget/csat-wall.js');
const SLOW = { timeout: 120_000 };
/** Long enough for an <img src=x onerror> (a refused local load) or an iframe to have fired. */
const SETTLE_MS = 150;
const P = 'top.__pwned=true';

/** Payloads that must be stored and shown as text. */
const STORED: Array<[name: string, payload: string]> = [
  ['script tag', `<script>${P};alert('script')</script>`],
  ['img onerror', `<img src=x onerror="${P};alert('img')">`],
  ['svg onload + svg script', `<svg onload=${P}><script>${P}</script></svg><svg><animate onbegin=${P} attributeName=x dur=1s>`],
  ['javascript: URLs', `<a href="javascript:${P}">click me</a> javascript:${P} <form action="javascript:${P}"><button>go</button></form>`],
  ['iframe srcdoc', `<iframe srcdoc="<script>${P}</script>"></iframe><iframe src="javascript:${P}"></iframe>`],
  ['style / expression', `<div style="width:expression(${P});background:url('javascript:${P}')">x</div><style>*{background:red}@import 'javascript:${P}';</style>`],
  ['template injection', `\${${P}} \${alert(1)} {{constructor.constructor('${P}')()}} <%= ${P} %> #{${P}}`],
  ['HTML entities', `&lt;script&gt;${P}&lt;/script&gt; &#60;img src=x onerror=${P}&#62; &amp;lt; &quot; &#x27; &nbsp;`],
  ['RTL override', `\u202Egnp.exe\u202C \u2067مرحبا <b>bold</b>\u2069 \u200F<img src=x onerror=${P}>\u200E`],
  ['very long (2,000 chars)', `<img src=x onerror=${P}>`.repeat(100).slice(0, MAX_COMMENT_CHARS)],
  ['very long astral (2,000 emoji, 4,000 UTF-16 units)', '😀'.repeat(MAX_COMMENT_CHARS)],
  ['null bytes', `<scr\0ipt>${P}</scr\0ipt>\0<img src=x onerror=${P}>\0end`],
  ['unicode homoglyphs', `<ѕсrірt>${P}</ѕсrірt> ＜script＞${P}＜/script＞ ‹img src=x onerror=${P}›`],
  ['broken tags', `<scr<script>ipt>${P}</scr</script>ipt><<img src=x onerror=${P}>`],
  ['closing </textarea>', `</textarea><script>${P}</script><textarea>`],
  ['closing </title>', `</title><script>${P}</script><title>`],
  ['attribute breakout, double quotes', `" autofocus onfocus="${P}" x="`],
  ["attribute breakout, single quotes", `' onmouseover='${P}' autofocus onfocus='${P}' x='`],
  ['mXSS noscript / math', `<noscript><p title="</noscript><img src=x onerror=${P}>"></noscript><math><mtext><table><mglyph><style><img src=x onerror=${P}>`],
  ['whitespace and CRLF', `\r\n \t <b>bold</b>\r\nline two\rline three <!-- comment --> ]]> \r\n\t `],
];

/** Payloads the API may legitimately refuse: a 4xx, never a 5xx. */
const REFUSED: Array<[name: string, body: Record<string, unknown>]> = [
  ['2,001 characters', { comment: `<script>${P}</script>`.repeat(100).slice(0, MAX_COMMENT_CHARS + 1) }],
  ['a comment that is not a string', { comment: [`<script>${P}</script>`] }],
  ['an unknown field next to the comment', { comment: 'x', html: `<script>${P}</script>` }],
];

let browser: Browser;
let store: Store;
let server: Awaited<ReturnType<typeof listen>>;
const clock = new TestClock();
let adminKey: string;
let wallKey: string;
/** ticketRef → token and the comment as the API stored it. */
const saved: Array<{ name: string; ref: string; token: string; stored: string }> = [];
const summary: string[] = [];

beforeAll(async () => {
  for (const file of [ADMIN_JS, WALL_JS]) {
    if (!existsSync(file)) throw new Error(`${file} is missing: run npm run build (or npm run build:widget) first.`);
  }
  let app: ReturnType<typeof createApp> | undefined;
  server = await listen({ fetch: (r) => app!.fetch(r) });
  store = openSqliteStore(tempDbFile());
  app = createApp({
    store,
    clock,
    config: testConfig({ publicUrl: server.url, operatorScripts: { 'csat-admin': readFileSync(ADMIN_JS, 'utf8'), 'csat-wall': readFileSync(WALL_JS, 'utf8') } }),
  });
  const { site, key } = await siteWithKey(store, { slug: 'acme', name: 'Acme IT' }, clock.now());
  adminKey = key;
  const wall = newAdminKey();
  await store.addAdminKey({ id: wall.id, siteId: site.id, hash: wall.hash, scope: 'wall' }, clock.now());
  wallKey = wall.key;
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await store?.close();
  if (summary.length) console.log(`xss-corpus: ${summary.join('; ')}`);
});

async function createSurvey(ticketRef: string): Promise<string> {
  const res = await fetch(`${server.url}/v1/sites/acme/surveys`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${adminKey}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ ticketRef }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { token: string }).token;
}

const answer = (body: Record<string, unknown>) =>
  fetch(`${server.url}/v1/responses`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

/** What an HTML parser makes of the stored text in a <textarea> (RCDATA: NUL becomes U+FFFD). */
const asTextarea = (s: string) => s.replace(/\0/g, '\uFFFD');
/** ... and in ordinary element content (a NUL character token is dropped). */
const asParsedText = (s: string) => s.replace(/\0/g, '');
const show = (s: string) => JSON.stringify(s.length > 60 ? `${s.slice(0, 60)}…` : s);

interface Seen {
  dialogs: string[];
  violations: string[];
  errors: string[];
}

/** A context of its own that records dialogs, CSP violations and page errors, with the canary set. */
async function openContext(bypassCSP: boolean, viewport = { width: 1280, height: 900 }) {
  const context: BrowserContext = await browser.newContext({ bypassCSP, viewport });
  const page = await context.newPage();
  const seen: Seen = { dialogs: [], violations: [], errors: [] };
  await page.exposeFunction('__cspViolation', (v: string) => seen.violations.push(v));
  await page.addInitScript(() => {
    const w = window as unknown as { __pwned: boolean; __cspViolation: (v: string) => void };
    w.__pwned = false;
    window.addEventListener('securitypolicyviolation', (e) => w.__cspViolation(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`), true);
  });
  page.on('dialog', (dialog) => {
    seen.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  page.on('pageerror', (e) => seen.errors.push(e.message));
  return { context, page, seen };
}

const pwned = (page: Page) => page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned);

/** Fails on any dialog, run payload or (under CSP) violation, and on any payload shown wrong. */
function verdict(where: string, seen: Seen, problems: string[], bypassCSP: boolean) {
  expect(seen.dialogs, `${where}: dialogs opened`).toEqual([]);
  if (!bypassCSP) expect(seen.violations, `${where}: CSP violations (a payload tried to run or load)`).toEqual([]);
  expect(seen.errors, `${where}: page errors`).toEqual([]);
  expect(problems, `${where}: payloads executed or shown wrong`).toEqual([]);
}

describe('stored XSS corpus', () => {
  it('stores every payload as the API normalizes it, and refuses the rest with a 4xx', SLOW, async () => {
    expect(STORED.length).toBeGreaterThanOrEqual(15);
    expect(STORED.length).toBeLessThanOrEqual(WALL_RECENT); // the wall shows the latest WALL_RECENT
    for (const [i, [name, payload]] of STORED.entries()) {
      const ref = `XSS-${String(i + 1).padStart(2, '0')}`;
      clock.advance(1_000);
      const token = await createSurvey(ref);
      const res = await answer({ token, reaction: (['negative', 'neutral', 'positive'] as const)[i % 3], comment: payload });
      expect(res.status, `${name}: ${await res.clone().text()}`).toBe(201);
      const body = (await res.json()) as { comment: string | null };
      const expected = normalizeComment(payload)!;
      // Stored exactly as normalized: trimmed, CRLF/CR folded to LF, null bytes kept as they are.
      expect(body.comment, name).toBe(expected);
      saved.push({ name, ref, token, stored: expected });
    }
    let refused = 0;
    for (const [name, extra] of REFUSED) {
      const token = await createSurvey(`REFUSED-${++refused}`);
      const res = await answer({ token, reaction: 'neutral', ...extra });
      expect(res.status, name).toBeGreaterThanOrEqual(400);
      expect(res.status, name).toBeLessThan(500);
      // Nothing recorded for the refused survey.
      expect(await (await fetch(`${server.url}/v1/responses/${token}`)).json(), name).toMatchObject({ answered: false });
    }
    summary.push(`${saved.length} payloads stored, ${refused} refused with 4xx`);
  });

  for (const bypassCSP of [true, false]) {
    const mode = bypassCSP ? 'CSP bypassed' : 'under its CSP';

    it(`survey page, thank-you state (textarea), ${mode}`, SLOW, async () => {
      expect(saved).toHaveLength(STORED.length);
      const { context, page, seen } = await openContext(bypassCSP);
      const problems: string[] = [];
      try {
        for (const s of saved) {
          const res = await page.goto(`${server.url}/s/${s.token}`);
          expect(res?.status()).toBe(200);
          await page.waitForTimeout(SETTLE_MS);
          if ((await pwned(page)) !== false) problems.push(`${s.name}: ran (window.__pwned is ${String(await pwned(page))})`);
          const value = await page.locator('textarea#comment').inputValue();
          if (value !== asTextarea(s.stored)) problems.push(`${s.name}: textarea shows ${show(value)}, expected ${show(asTextarea(s.stored))}`);
          // The answered page links to the public receipt of the answer (its own link, not a payload).
          const injected = await page.evaluate(() => document.querySelectorAll('main script, main img, main iframe, main svg, main style, main a:not(p.receipt > a[href^="/log/"]), main noscript, main math, main textarea ~ textarea').length);
          if (injected) problems.push(`${s.name}: ${injected} injected element(s) in the page`);
          if ((await page.title()) !== 'Acme IT: How did we do on this request?') problems.push(`${s.name}: title is ${show(await page.title())}`);
        }
        if (bypassCSP) {
          // A control: markup that does reach the DOM is caught by the canary.
          await page.evaluate(() => document.body.insertAdjacentHTML('beforeend', '<img src=x onerror="top.__pwned=true">'));
          await expect.poll(() => pwned(page)).toBe(true);
        }
      } finally {
        await context.close();
      }
      verdict(`survey page (thank-you, ${mode})`, seen, problems, bypassCSP);
      if (bypassCSP) summary.push(`survey thank-you: ${saved.length}/${saved.length} as text, canary control fired`);
    });

    it(`admin page (inbox and details), ${mode}`, SLOW, async () => {
      const { context, page, seen } = await openContext(bypassCSP);
      const problems: string[] = [];
      try {
        expect((await page.goto(`${server.url}/admin?site=acme`))?.status()).toBe(200);
        await page.locator('csat-admin #login-key').fill(adminKey);
        await page.locator('csat-admin form.login button[type="submit"]').click();
        const rows = page.locator('csat-admin .layout tbody tr');
        await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(saved.length);
        await page.waitForTimeout(SETTLE_MS);
        for (const s of saved) {
          const cell = rows.filter({ has: page.getByRole('button', { name: s.ref, exact: true }) }).locator('td.comment');
          const text = await cell.textContent();
          if (text !== s.stored) problems.push(`${s.name}: inbox cell shows ${show(text ?? '')}`);
          if ((await cell.evaluate((el) => el.children.length)) !== 0) problems.push(`${s.name}: inbox cell has element children`);
        }
        if ((await pwned(page)) !== false) problems.push('inbox: a payload ran');
        for (const s of saved) {
          await page.locator('csat-admin').getByRole('button', { name: s.ref, exact: true }).click();
          await expect.poll(() => page.locator('csat-admin #detail-title').textContent()).toBe(`Ticket ${s.ref}`);
          const detail = page.locator('csat-admin .details .comment');
          const text = await detail.textContent();
          if (text !== s.stored) problems.push(`${s.name}: details show ${show(text ?? '')}`);
          if ((await detail.evaluate((el) => el.children.length)) !== 0) problems.push(`${s.name}: details comment has element children`);
        }
        await page.waitForTimeout(SETTLE_MS);
        if ((await pwned(page)) !== false) problems.push('details: a payload ran');
      } finally {
        await context.close();
      }
      verdict(`admin page (${mode})`, seen, problems, bypassCSP);
      if (bypassCSP) summary.push(`admin: ${saved.length} inbox cells + ${saved.length} details as text`);
    });

    it(`office wall, ${mode}`, SLOW, async () => {
      const { context, page, seen } = await openContext(bypassCSP, { width: 1920, height: 1080 });
      const problems: string[] = [];
      try {
        expect((await page.goto(`${server.url}/wall?site=acme#key=${wallKey}`))?.status()).toBe(200);
        const comments = page.locator('csat-wall [part="comment"]');
        await expect.poll(() => comments.count(), { timeout: 10_000 }).toBe(saved.length);
        await page.waitForTimeout(SETTLE_MS);
        const texts = await comments.allTextContents();
        for (const s of saved) if (!texts.includes(s.stored)) problems.push(`${s.name}: not on the wall as text`);
        const withChildren = await comments.evaluateAll((els) => els.filter((el) => el.children.length > 0).length);
        if (withChildren) problems.push(`${withChildren} wall comment(s) have element children`);
        if ((await pwned(page)) !== false) problems.push('a payload ran');
      } finally {
        await context.close();
      }
      verdict(`wall (${mode})`, seen, problems, bypassCSP);
      if (bypassCSP) summary.push(`wall: ${saved.length}/${saved.length} as text`);
    });
  }

  for (const bypassCSP of [true, false]) {
    const mode = bypassCSP ? 'CSP bypassed' : 'under its CSP';
    it(`survey page, read-only state after the change window, ${mode}`, SLOW, async () => {
      // Far past every answer's change window (the clock only moves forward: both modes see it closed).
      clock.ms = Math.max(clock.ms, Date.parse('2026-11-23T12:00:00.000Z') + 400 * 86_400_000);
      const { context, page, seen } = await openContext(bypassCSP);
      const problems: string[] = [];
      try {
        for (const s of saved) {
          const res = await page.goto(`${server.url}/s/${s.token}`);
          expect(res?.status()).toBe(200);
          await page.waitForTimeout(SETTLE_MS);
          expect(await page.locator('textarea').count(), `${s.name}: read-only state`).toBe(0);
          if ((await pwned(page)) !== false) problems.push(`${s.name}: ran`);
          const p = page.locator('main p.answer');
          const text = (await p.count()) === 1 ? await p.textContent() : null;
          if (text !== asParsedText(s.stored)) problems.push(`${s.name}: read-only answer shows ${show(text ?? '(none)')}, expected ${show(asParsedText(s.stored))}`);
          if ((await p.count()) === 1 && (await p.evaluate((el) => el.children.length)) !== 0) problems.push(`${s.name}: answer has element children`);
          const injected = await page.evaluate(() => document.querySelectorAll('main script, main img, main iframe, main svg, main style, main a:not(p.receipt > a[href^="/log/"]), main noscript, main math, main textarea').length);
          if (injected) problems.push(`${s.name}: ${injected} injected element(s) in the page`);
        }
      } finally {
        await context.close();
      }
      verdict(`survey page (read-only, ${mode})`, seen, problems, bypassCSP);
      if (bypassCSP) summary.push(`survey read-only: ${saved.length}/${saved.length} as text`);
    });
  }
});
