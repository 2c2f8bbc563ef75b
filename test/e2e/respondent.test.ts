// The survey page as respondents meet it, in real headless Chromium against the app on a real loopback
// port: mail scanners that only fetch links, one click from the email with and without JavaScript, a
// page nobody looks at, changing one's mind, a forged cross-site post, markup in a comment, languages.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS } from './chromium.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../api/app.js';
import { openSqliteStore } from '../../api/store/sqlite.js';
import type { NewSite, Store } from '../../api/store/types.js';
import { siteWithKey, tempDbFile, testConfig, TestClock } from '../api/helpers.js';
import { listen } from '../api/http-server.js';

const SLOW = { timeout: 30_000 };
/** Longer than the page script's 1.2 s pause before it posts: long enough to show it did not post. */
const NOTHING_HAPPENS_MS = 2_500;
const MINUTE_DAYS = 1 / (24 * 60);

type Reaction = 'positive' | 'neutral' | 'negative';
interface Created {
  token: string;
  links: { page: string; positive: string; neutral: string; negative: string };
  emailHtml: string;
  emailText: string;
}
interface Answer {
  reaction: Reaction;
  comment: string | null;
}

const closers: Array<() => Promise<void>> = [];

/** An app over a fresh database, served on a real port, with a clock of its own. */
async function startEnv() {
  let app: App | undefined;
  const server = await listen({ fetch: (r) => app!.fetch(r) });
  const store: Store = openSqliteStore(tempDbFile());
  const clock = new TestClock();
  app = createApp({ store, clock, config: testConfig({ publicUrl: server.url }) });
  closers.push(async () => {
    await server.close();
    await store.close();
  });
  const base = server.url;
  let sites = 0;

  /** A site of its own per test, so scores and counts are not shared. */
  const newSite = async (input: Partial<NewSite> = {}) => {
    const { site, key } = await siteWithKey(store, { slug: `site-${++sites}`, ...input });
    const createSurvey = async (ticketRef: string, extra: Record<string, unknown> = {}): Promise<Created> => {
      const res = await fetch(`${base}/v1/sites/${site.slug}/surveys`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ ticketRef, ...extra }),
      });
      if (res.status !== 201) throw new Error(`survey creation failed: ${res.status} ${await res.text()}`);
      return (await res.json()) as Created;
    };
    const score = async () => {
      const res = await fetch(`${base}/v1/sites/${site.slug}/score`);
      expect(res.status).toBe(200);
      return (await res.json()) as { counts: Record<string, number> };
    };
    return { site, key, createSurvey, score };
  };

  /** The recorded answer, or null while the API says there is none (a 404 `not_answered`, or `answered: false`). */
  const answerOf = async (token: string): Promise<Answer | null> => {
    const res = await fetch(`${base}/v1/responses/${token}`);
    if (res.status === 404) {
      const body = (await res.json()) as { error?: { code?: string }; code?: string };
      expect(JSON.stringify(body)).toContain('not_answered');
      return null;
    }
    expect(res.status).toBe(200);
    const body = (await res.json()) as Answer & { answered?: boolean };
    return body.answered === false ? null : body;
  };

  /** Polls the API until the answer satisfies `check` (event-driven, with a deadline). */
  const waitForAnswer = async (token: string, check: (a: Answer) => boolean, timeoutMs = 10_000): Promise<Answer> => {
    const deadline = Date.now() + timeoutMs;
    let last: Answer | null = null;
    while (Date.now() < deadline) {
      last = await answerOf(token);
      if (last && check(last)) return last;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`answer never matched; last seen: ${JSON.stringify(last)}`);
  };

  return { base, store, clock, newSite, answerOf, waitForAnswer };
}

let browser: Browser;
let env: Awaited<ReturnType<typeof startEnv>>;

beforeAll(async () => {
  // Chromium as a person uses it: driven as automation (navigator.webdriver) the page never sends a
  // reaction by itself, as a mail scanner's browser must not (test/e2e/scanner-browser.test.ts).
  browser = await chromium.launch({
    executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
    args: [...CHROMIUM_ARGS, '--disable-blink-features=AutomationControlled'],
  });
  env = await startEnv();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  for (const close of closers.splice(0)) await close();
});

/** Runs `body` with a fresh context (own cookies, own options), closed afterwards. */
async function withPage<T>(options: Parameters<Browser['newContext']>[0], body: (page: Page, context: BrowserContext) => Promise<T>): Promise<T> {
  const context = await browser.newContext(options);
  try {
    const page = await context.newPage();
    return await body(page, context);
  } finally {
    await context.close();
  }
}

/** The page after a saved post: `saved=1` for a reaction, `saved=comment` when only the comment changed. */
const savedUrl = /[?&]saved=(?:1|comment)(?:&|$)/;

/** Clicks something that submits the page's form and waits for the redirected page (which may have the same URL). */
async function submitBy(page: Page, selector: string) {
  const landed = page.waitForResponse((r) => r.request().method() === 'GET' && savedUrl.test(r.url()) && r.request().isNavigationRequest());
  await page.click(selector);
  const response = await landed;
  expect(response.status()).toBe(200);
  await page.waitForLoadState('domcontentloaded');
}

/** Submits a form built in the page (as a person's browser would post it) and returns the response status. */
async function postFormFromPage(page: Page, action: string, fields: Record<string, string>) {
  const posted = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === action);
  await page.evaluate(
    ({ action, fields }) => {
      const form = document.createElement('form');
      form.method = 'post';
      form.action = action;
      for (const [name, value] of Object.entries(fields)) {
        const input = document.createElement('input');
        input.type = 'hidden';
        input.name = name;
        input.value = value;
        form.append(input);
      }
      document.body.append(form);
      form.submit();
    },
    { action, fields },
  );
  const response = await posted;
  await page.waitForLoadState('domcontentloaded');
  return response;
}

describe('mail scanners', () => {
  it('fetching every link of the email (GET, HEAD, no redirects followed) records nothing', SLOW, async () => {
    const { createSurvey, score } = await env.newSite();
    const survey = await createSurvey('SCAN-1');

    const hrefs = [...survey.emailHtml.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!.replaceAll('&amp;', '&'));
    expect(hrefs.length).toBeGreaterThanOrEqual(3);
    const textLinks = survey.emailText.match(/https?:\/\/\S+/g) ?? [];
    expect(textLinks.length).toBeGreaterThanOrEqual(3);
    const links = [...new Set([...hrefs, ...textLinks, survey.links.page])];
    for (const reaction of ['positive', 'neutral', 'negative'] as const) expect(hrefs).toContain(survey.links[reaction]);

    for (const link of links) {
      expect(() => new URL(link)).not.toThrow();
      expect(link.startsWith(`${env.base}/`)).toBe(true);
      for (const method of ['GET', 'HEAD']) {
        for (const redirect of ['follow', 'manual'] as const) {
          const res = await fetch(link, { method, redirect, headers: { 'User-Agent': 'Mozilla/5.0 (compatible; LinkScanner/1.0)' } });
          expect(res.status, `${method} ${link}`).toBe(200);
          await res.arrayBuffer();
        }
      }
    }

    expect(await env.answerOf(survey.token)).toBeNull();
    expect((await score()).counts.total).toBe(0);
  });
});

describe('a person opens a link from the email', () => {
  it('with JavaScript, the preselected reaction is saved once the page is seen', SLOW, async () => {
    const { createSurvey } = await env.newSite();
    const survey = await createSurvey('JS-1');

    await withPage({}, async (page) => {
      await page.goto(survey.links.negative);
      await page.waitForURL(savedUrl, { timeout: 10_000 });
      expect((await env.waitForAnswer(survey.token, () => true)).reaction).toBe('negative');
      expect(await page.textContent('#status')).toContain('Thank you! Your answer was saved.');
      expect(await page.locator('textarea#comment').count()).toBe(1);
      expect(await page.locator('textarea#comment').isVisible()).toBe(true);
    });
  });

  it('without JavaScript, nothing is saved until the person presses the preselected button; then a comment', SLOW, async () => {
    const { createSurvey } = await env.newSite();
    const survey = await createSurvey('NOJS-1');

    await withPage({ javaScriptEnabled: false }, async (page) => {
      await page.goto(survey.links.positive);
      await page.waitForTimeout(NOTHING_HAPPENS_MS);
      expect(page.url()).not.toMatch(savedUrl);
      expect(await env.answerOf(survey.token)).toBeNull();

      const preselected = page.locator('button.reaction.positive');
      expect(await preselected.getAttribute('aria-pressed')).toBe('true');
      expect(await page.locator('button.reaction.neutral').getAttribute('aria-pressed')).toBe('false');
      expect(await page.locator('button.reaction.negative').getAttribute('aria-pressed')).toBe('false');

      await preselected.click();
      await page.waitForURL(savedUrl, { timeout: 10_000 });
      expect(await env.waitForAnswer(survey.token, () => true)).toMatchObject({ reaction: 'positive', comment: null });

      const comment = 'Quick fix, thanks.\nThe second line.';
      await page.fill('textarea#comment', comment);
      await submitBy(page, 'button.save');
      const answer = await env.waitForAnswer(survey.token, (a) => a.comment !== null);
      expect(answer).toMatchObject({ reaction: 'positive', comment });
      expect(await page.inputValue('textarea#comment')).toBe(comment);
      expect(await page.textContent('#status')).toBe('Comment saved.');
    });
  });

  it('a page that is not visible does not post; it posts once it becomes visible', SLOW, async () => {
    const { createSurvey } = await env.newSite();
    const survey = await createSurvey('HIDDEN-1');

    await withPage({}, async (page, context) => {
      await context.addInitScript(() => {
        const w = window as unknown as { __visibility: DocumentVisibilityState };
        w.__visibility = 'hidden';
        Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => w.__visibility });
        Object.defineProperty(document, 'hidden', { configurable: true, get: () => w.__visibility !== 'visible' });
      });
      await page.goto(survey.links.neutral);
      expect(await page.evaluate(() => document.visibilityState)).toBe('hidden');
      await page.waitForTimeout(NOTHING_HAPPENS_MS);
      expect(page.url()).not.toMatch(savedUrl);
      expect(await env.answerOf(survey.token)).toBeNull();

      await page.evaluate(() => {
        (window as unknown as { __visibility: DocumentVisibilityState }).__visibility = 'visible';
        document.dispatchEvent(new Event('visibilitychange'));
      });
      await page.waitForURL(savedUrl, { timeout: 10_000 });
      expect((await env.waitForAnswer(survey.token, () => true)).reaction).toBe('neutral');
    });
  });
});

describe('changing one’s mind', () => {
  it('a change inside the window moves the score; after the window the page is read-only and a post is refused', SLOW, async () => {
    // Its own app: this test moves the clock.
    const own = await startEnv();
    const { site, createSurvey, score } = await own.newSite();
    const survey = await createSurvey('CHANGE-1');

    await withPage({}, async (page) => {
      await page.goto(survey.links.positive);
      await page.waitForURL(savedUrl, { timeout: 10_000 });
      expect((await own.waitForAnswer(survey.token, () => true)).reaction).toBe('positive');
      expect((await score()).counts).toMatchObject({ positive: 1, neutral: 0, negative: 0, total: 1 });

      expect(await page.textContent('h2')).toBe('Changed your mind?');
      expect(await page.locator('.reactions button.reaction.positive').count()).toBe(0);
      const okay = page.locator('.reactions button.reaction.neutral');
      expect(await okay.textContent()).toContain('Okay');
      await submitBy(page, '.reactions button.reaction.neutral');
      expect((await own.waitForAnswer(survey.token, (a) => a.reaction !== 'positive')).reaction).toBe('neutral');
      expect((await score()).counts).toMatchObject({ positive: 0, neutral: 1, negative: 0, total: 1 });

      own.clock.advanceDays(site.changeWindowDays + MINUTE_DAYS);
      await page.goto(survey.links.page);
      expect(await page.locator('form').count()).toBe(0);
      expect(await page.locator('textarea').count()).toBe(0);
      expect(await page.textContent('main')).toContain('This answer is final.');

      const action = new URL(survey.links.page).pathname;
      const refused = await postFormFromPage(page, action, { reaction: 'negative', comment: 'too late' });
      expect(refused.status()).toBe(409);
      expect(await page.textContent('main')).toContain('This answer is final.');
      expect(await own.answerOf(survey.token)).toMatchObject({ reaction: 'neutral', comment: null });
      expect((await score()).counts).toMatchObject({ positive: 0, neutral: 1, negative: 0 });
    });
  });
});

describe('cross-site forgery', () => {
  it('a form on another origin that posts to the survey is refused with 403 and records nothing', SLOW, async () => {
    const { createSurvey } = await env.newSite();
    const survey = await createSurvey('CSRF-1');
    const target = `${env.base}/s/${survey.token}`;

    const evil = http.createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><html><body>
<form id="f" method="post" action="${target}">
<input type="hidden" name="reaction" value="negative">
<input type="hidden" name="comment" value="forged">
</form>
<script>window.addEventListener('load', () => document.getElementById('f').submit());</script>
</body></html>`);
    });
    await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
    const evilUrl = `http://127.0.0.1:${(evil.address() as AddressInfo).port}/`;
    expect(new URL(evilUrl).origin).not.toBe(new URL(env.base).origin);

    try {
      await withPage({}, async (page) => {
        const posted = page.waitForResponse((r) => r.request().method() === 'POST' && r.url() === target, { timeout: 10_000 });
        await page.goto(evilUrl);
        const response = await posted;
        expect(response.status()).toBe(403);
        const headers = await response.request().allHeaders();
        expect(headers.origin).toBe(new URL(evilUrl).origin);
        await page.waitForURL((u) => u.href.startsWith(env.base), { timeout: 10_000 });
        expect(await env.answerOf(survey.token)).toBeNull();
      });
    } finally {
      await new Promise<void>((resolve) => {
        evil.closeAllConnections();
        evil.close(() => resolve());
      });
    }
    expect(await env.answerOf(survey.token)).toBeNull();
  });
});

describe('markup in a comment', () => {
  const hostile = '<script>alert(1)</script><img src=x onerror=alert(2)>';

  it('is stored and shown as text, in the editable and in the final page', SLOW, async () => {
    // Its own app: this test moves the clock past a one-day change window.
    const own = await startEnv();
    const { createSurvey } = await own.newSite({ changeWindowDays: 1 });
    const survey = await createSurvey('XSS-1');

    await withPage({}, async (page) => {
      const dialogs: string[] = [];
      page.on('dialog', (dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
      });

      await page.goto(survey.links.page);
      await page.fill('textarea#comment', hostile);
      await submitBy(page, 'button.reaction.positive');
      expect(await own.waitForAnswer(survey.token, () => true)).toMatchObject({ reaction: 'positive', comment: hostile });

      const reloaded = await page.reload();
      expect(reloaded?.status()).toBe(200);
      expect(await page.inputValue('textarea#comment')).toBe(hostile);
      const source = await reloaded!.text();
      expect(source).toContain('&lt;script&gt;');
      expect(source).not.toContain('<script>alert');
      expect(source).not.toContain('<img src=x');
      expect(await page.locator('img').count()).toBe(0);

      own.clock.advanceDays(1 + MINUTE_DAYS);
      const final = await page.reload();
      expect(await page.locator('form').count()).toBe(0);
      expect(await page.textContent('.answer')).toBe(hostile);
      const finalSource = await final!.text();
      expect(finalSource).not.toContain('<script>alert');
      expect(finalSource).toContain('&lt;script&gt;');
      expect(await page.locator('img').count()).toBe(0);

      await page.waitForTimeout(200); // any dialog would have opened by now
      expect(dialogs).toEqual([]);
    });
  });
});

describe('languages', () => {
  it('an Arabic browser gets a right-to-left page; a French one the French question', SLOW, async () => {
    const { createSurvey } = await env.newSite();
    const survey = await createSurvey('LANG-1');

    await withPage({ locale: 'ar' }, async (page) => {
      await page.goto(survey.links.page);
      expect(await page.getAttribute('html', 'dir')).toBe('rtl');
      expect(await page.getAttribute('html', 'lang')).toBe('ar');
    });
    await withPage({ locale: 'fr-FR' }, async (page) => {
      await page.goto(survey.links.page);
      expect(await page.getAttribute('html', 'lang')).toBe('fr');
      expect(await page.getAttribute('html', 'dir')).toBe('ltr');
      expect(await page.textContent('h1')).toBe('Comment avons-nous traité cette demande ?');
    });
    expect(await env.answerOf(survey.token)).toBeNull();
  });
});
