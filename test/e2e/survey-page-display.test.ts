// How the survey page looks and speaks to a respondent, in real headless Chromium: the reactions as
// one row of equal buttons on narrow phones in every language, a visible and announced confirmation
// after saving a comment (with and without JavaScript), the change deadline in the visitor's own time
// zone, and all of it under the page's strict CSP with a clean axe audit.
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locale } from '../../api/domain/locale.js';
import { testApi } from '../api/helpers.js';
import { listen } from '../api/http-server.js';
import { axeViolations } from './axe.js';
import { launchChromium } from './chromium.js';

const SLOW = { timeout: 60_000 }; // two cores shared with other suites: a browser test can be slow
const LOCALES: Locale[] = ['en', 'fr', 'ar'];
const WIDTHS = [320, 390];

let browser: Browser;
let t: Awaited<ReturnType<typeof testApi>>;
let server: Awaited<ReturnType<typeof listen>>;

beforeAll(async () => {
  t = await testApi();
  server = await listen(t.app);
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await t?.store.close();
});

let tickets = 0;
/** A fresh survey in `locale`, answered with `reaction` (and a comment) when given; returns its page URL. */
async function surveyPage(locale: Locale, answer?: { reaction: string; comment?: string }) {
  const { token } = await t.createSurvey(`DISPLAY-${++tickets}`, { locale });
  if (answer) expect((await t.react(token, answer.reaction, answer.comment)).status).toBe(201);
  return { token, url: `${server.url}/s/${token}` };
}

/** A page in a context of its own that records CSP violations (reported over DevTools, so the policy cannot block the report). */
async function withPage<T>(options: BrowserContextOptions, body: (page: Page, violations: string[]) => Promise<T>): Promise<T> {
  const context = await browser.newContext(options);
  try {
    const page = await context.newPage();
    const violations: string[] = [];
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

/** The reaction buttons' boxes and whether the page scrolls sideways. */
async function reactionLayout(page: Page) {
  return page.evaluate(() => ({
    boxes: [...document.querySelectorAll('.reactions button.reaction')].map((b) => {
      const r = b.getBoundingClientRect();
      return { top: r.top, width: r.width, height: r.height, labelFits: b.scrollWidth <= b.clientWidth };
    }),
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
}

function expectOneRowOfEqualButtons(layout: Awaited<ReturnType<typeof reactionLayout>>, count: number, where: string) {
  expect(layout.boxes, where).toHaveLength(count);
  const [first] = layout.boxes;
  for (const box of layout.boxes) {
    expect(Math.abs(box.top - first!.top), `${where}: same row`).toBeLessThanOrEqual(1);
    expect(Math.abs(box.width - first!.width), `${where}: same width`).toBeLessThanOrEqual(1);
    expect(Math.abs(box.height - first!.height), `${where}: same height`).toBeLessThanOrEqual(1);
    expect(box.labelFits, `${where}: the label stays inside its button`).toBe(true);
  }
  expect(layout.scrollWidth, `${where}: no sideways scrolling`).toBeLessThanOrEqual(layout.innerWidth);
}

describe('reactions on a narrow phone', () => {
  for (const width of WIDTHS) {
    for (const locale of LOCALES) {
      it(`stay one row of equal buttons at ${width} px in ${locale}, before and after answering`, SLOW, async () => {
        const fresh = await surveyPage(locale);
        const answered = await surveyPage(locale, { reaction: 'positive' });
        await withPage({ viewport: { width, height: 800 } }, async (page, violations) => {
          await page.goto(fresh.url);
          expect(await page.getAttribute('html', 'lang')).toBe(locale);
          expectOneRowOfEqualButtons(await reactionLayout(page), 3, `${locale} ${width} px, three reactions`);
          await page.goto(answered.url);
          expectOneRowOfEqualButtons(await reactionLayout(page), 2, `${locale} ${width} px, the two other reactions`);
          expect(violations).toEqual([]);
        });
      });
    }
  }

  // axe is injected as a script, which the page's own CSP refuses: these contexts bypass the CSP.
  for (const locale of LOCALES) {
    it(`pass an axe audit at 320 px in ${locale}, before and after answering`, SLOW, async () => {
      const pages = [await surveyPage(locale), await surveyPage(locale, { reaction: 'negative', comment: 'Slow' })];
      await withPage({ viewport: { width: 320, height: 800 }, bypassCSP: true }, async (page) => {
        for (const { url } of pages) {
          await page.goto(url);
          expect(await axeViolations(page), url).toEqual([]);
        }
      });
    });
  }
});

/** The live region's roles and text, and the element itself (to tell a changed region from a new page). */
async function liveStatus(page: Page) {
  const region = page.locator('#status');
  return { role: await region.getAttribute('role'), live: await region.getAttribute('aria-live'), text: (await region.textContent())?.trim() };
}

describe('saving a comment', () => {
  it('with JavaScript, the page stays and its live region says "Comment saved."', SLOW, async () => {
    const { token, url } = await surveyPage('en', { reaction: 'positive' });
    await withPage({ viewport: { width: 390, height: 800 } }, async (page, violations) => {
      await page.goto(url);
      expect(await liveStatus(page)).toEqual({ role: 'status', live: 'polite', text: '' });
      // A mark on the document: a reload would lose it.
      await page.evaluate(() => ((window as unknown as { __samePage: boolean }).__samePage = true));
      const texts = page.evaluate(
        () =>
          new Promise<string[]>((resolve) => {
            const seen: string[] = [];
            const region = document.getElementById('status')!;
            new MutationObserver(() => {
              seen.push(region.textContent!.trim());
              if (seen.at(-1) === 'Comment saved.') resolve(seen);
            }).observe(region, { childList: true, subtree: true, characterData: true });
          }),
      );

      await page.fill('textarea#comment', 'Fixed before lunch.');
      await page.click('button.save');
      expect(await texts).toEqual(['Saving your comment…', 'Comment saved.']);
      expect(await liveStatus(page)).toEqual({ role: 'status', live: 'polite', text: 'Comment saved.' });
      expect(await page.evaluate(() => (window as unknown as { __samePage?: boolean }).__samePage)).toBe(true);
      expect(await page.locator('#status .status.saved').isVisible()).toBe(true);
      const recorded = await t.app.request(`/v1/responses/${token}`);
      expect(await recorded.json()).toMatchObject({ reaction: 'positive', comment: 'Fixed before lunch.' });

      // Saving again says it again (the region's text changes through "Saving…").
      await page.fill('textarea#comment', 'Fixed before lunch, thanks.');
      await page.click('button.save');
      await page.waitForFunction(() => document.getElementById('status')!.textContent!.trim() === 'Comment saved.');
      expect(violations).toEqual([]);
    });
  });

  const commentSaved: Record<Locale, RegExp> = { en: /^Comment saved\.$/, fr: /^Commentaire enregistré\.$/, ar: /^تم حفظ التعليق\.$/ };
  for (const locale of LOCALES) {
    it(`without JavaScript, the page after the redirect says the comment was saved in its live region (${locale})`, SLOW, async () => {
      const { url } = await surveyPage(locale, { reaction: 'neutral' });
      await withPage({ javaScriptEnabled: false }, async (page) => {
        await page.goto(url);
        await page.fill('textarea#comment', 'Merci');
        const landed = page.waitForURL(/[?&]saved=comment$/);
        await page.click('button.save');
        await landed;
        const said = (await liveStatus(page)).text;
        expect(await liveStatus(page)).toEqual({ role: 'status', live: 'polite', text: said });
        expect(said).toMatch(commentSaved[locale]);
        expect(await page.title()).toMatch(new RegExp(`^${said!.replace('.', '\\.')} `));
        expect(await page.inputValue('textarea#comment')).toBe('Merci');
      });
    });
  }

  it('with JavaScript, the CSP stays strict: the page raises no violation, and a request elsewhere is refused (a control)', SLOW, async () => {
    const { url } = await surveyPage('fr', { reaction: 'negative' });
    await withPage({}, async (page, violations) => {
      const response = await page.goto(url);
      const csp = response!.headers()['content-security-policy']!;
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("connect-src 'self'");
      expect(csp).not.toContain('unsafe');
      await page.click('button.save');
      await page.waitForFunction(() => document.getElementById('status')!.textContent!.includes('Commentaire enregistré.'));
      expect(violations).toEqual([]);
      await page.evaluate(() => fetch('http://127.0.0.1:9/elsewhere').catch(() => {}));
      await expect.poll(() => violations).toEqual([expect.stringMatching(/^connect-src http:\/\/127\.0\.0\.1:9\//)]);
    });
  });
});

describe('the change deadline', () => {
  /** The parts of `iso` in a time zone, as this Node formats them; the page must show the same day, hour and minute. */
  const partsIn = (iso: string, locale: Locale, timeZone: string) =>
    Object.fromEntries(
      new Intl.DateTimeFormat(locale, { day: 'numeric', hour: '2-digit', minute: '2-digit', timeZone }).formatToParts(new Date(iso)).map((p) => [p.type, p.value]),
    ) as Record<'day' | 'hour' | 'minute', string>;

  for (const timezoneId of ['Asia/Tokyo', 'America/New_York']) {
    for (const locale of LOCALES) {
      it(`is shown in the visitor's time zone (${timezoneId}, ${locale}), and in UTC without JavaScript`, SLOW, async () => {
        const { url } = await surveyPage(locale, { reaction: 'positive' });
        const utcText = await withPage({ timezoneId, javaScriptEnabled: false }, async (page) => {
          await page.goto(url);
          const text = (await page.locator('p.meta time').textContent())!;
          const iso = (await page.locator('p.meta time').getAttribute('datetime'))!;
          expect(text).toMatch(/\bUTC$/);
          expect(text).toContain(partsIn(iso, locale, 'UTC').hour);
          return text;
        });
        await withPage({ timezoneId }, async (page, violations) => {
          await page.goto(url);
          const time = page.locator('p.meta time');
          const iso = (await time.getAttribute('datetime'))!;
          expect(new Date(iso).toISOString()).toBe(iso);
          const text = (await time.textContent())!;
          expect(text).not.toBe(utcText);
          const local = partsIn(iso, locale, timezoneId);
          expect(local.hour, 'the zone is really offset from UTC at that date').not.toBe(partsIn(iso, locale, 'UTC').hour);
          for (const part of ['day', 'hour', 'minute'] as const) expect(text, `${locale} ${part}`).toContain(local[part]);
          // The zone is named, as the browser names it (EST, GMT+9, UTC−5, …).
          const zone = new Intl.DateTimeFormat(locale, { timeZone: timezoneId, timeZoneName: 'short' }).formatToParts(new Date(iso)).find((p) => p.type === 'timeZoneName')!.value;
          expect(text).toContain(zone);
          expect(violations).toEqual([]);
        });
      });
    }
  }
});
