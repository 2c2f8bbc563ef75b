// CSAT and NPS survey pages in real headless Chromium, answered with the keyboard only: Tab to a
// number (each read out as "n out of max"), press it, then the follow-up question of the answer's class,
// a tick in "what mattered most?" and Save, and a change of mind. All of it under the page's strict CSP,
// with a clean axe audit in English and Arabic at phone width, and no sideways scrolling for NPS's
// eleven numbers.
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SurveyKind } from '../../api/domain/kinds.js';
import type { Locale } from '../../api/domain/locale.js';
import { VOCABULARY } from '../../api/domain/vocabulary.js';
import { testApi } from '../api/helpers.js';
import { listen } from '../api/http-server.js';
import { axeViolations } from './axe.js';
import { launchChromium } from './chromium.js';

const SLOW = { timeout: 60_000 }; // two cores shared with other suites: a browser test can be slow

type Api = Awaited<ReturnType<typeof testApi>>;
interface Site {
  t: Api;
  server: Awaited<ReturnType<typeof listen>>;
}

let browser: Browser;
const sites: Record<string, Site> = {};

const KINDS: [string, SurveyKind, number | null][] = [
  ['nps', 'nps', null],
  ['csat5', 'csat', 5],
  ['csat10', 'csat', 10],
];

beforeAll(async () => {
  browser = await launchChromium();
  for (const [name, kind, scale] of KINDS) {
    const t = await testApi({ site: { kind, scale } });
    sites[name] = { t, server: await listen(t.app) };
  }
}, 60_000);

afterAll(async () => {
  await browser?.close();
  for (const s of Object.values(sites)) {
    await s.server.close();
    await s.t.store.close();
  }
});

let tickets = 0;
async function surveyPage(site: string, locale: Locale = 'en', score?: number) {
  const { t, server } = sites[site]!;
  const { token } = await t.createSurvey(`KINDS-${++tickets}`, { locale });
  if (score !== undefined) expect((await t.json('POST', '/v1/responses', { token, score })).status).toBe(201);
  return { token, url: `${server.url}/s/${token}` };
}

async function recorded(site: string, token: string) {
  const res = await sites[site]!.t.app.request(`/v1/responses/${token}`);
  return (await res.json()) as { answered?: boolean; score: number | null; reaction: string; comment: string | null; dimensions: string[] };
}

/** A page in a context of its own that records CSP violations (reported to the test, so the policy cannot block the report). */
async function withPage<T>(options: BrowserContextOptions, body: (page: Page, violations: string[]) => Promise<T>): Promise<T> {
  const context = await browser.newContext(options);
  try {
    const page = await context.newPage();
    const violations: string[] = [];
    await page.exposeFunction('__cspViolation', (v: string) => violations.push(v));
    await page.addInitScript(() => {
      window.addEventListener(
        'securitypolicyviolation',
        (e) => (window as unknown as { __cspViolation: (v: string) => void }).__cspViolation(`${e.violatedDirective} ${e.blockedURI}`),
        true,
      );
    });
    return await body(page, violations);
  } finally {
    await context.close();
  }
}

/** What has the focus: its tag, name, value, accessible label and checked state. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLInputElement | null;
    return {
      tag: el?.tagName.toLowerCase() ?? '',
      name: el?.getAttribute('name') ?? '',
      value: el?.getAttribute('value') ?? '',
      label: el?.getAttribute('aria-label') ?? '',
      className: el?.className ?? '',
      checked: el?.checked ?? false,
    };
  });

/** Presses Tab until `match` holds for the focused element (at most 40 presses): the keyboard, nothing else. */
async function tabTo(page: Page, match: (f: Awaited<ReturnType<typeof focused>>) => boolean, what: string) {
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    if (match(f)) return f;
  }
  throw new Error(`Tab never reached ${what}`);
}

describe('numbered surveys answered by keyboard only', () => {
  for (const [site, kind, pick, change, dimension] of [
    ['nps', 'nps', 9, 6, 'responsiveness'],
    ['csat5', 'csat', 4, 2, 'empathy'],
  ] as const) {
    it(`${site}: Tab to ${pick}, press it, answer the follow-up and "what mattered most?", then change to ${change}`, SLOW, async () => {
      const { token, url } = await surveyPage(site);
      const max = kind === 'nps' ? 10 : 5;
      await withPage({ viewport: { width: 390, height: 900 } }, async (page, violations) => {
        const res = await page.goto(url);
        expect(res!.headers()['content-security-policy']).toContain("script-src 'self'");
        expect(res!.headers()['content-security-policy']).not.toContain('unsafe');
        expect(await page.locator('h1').textContent()).toBe(VOCABULARY.en.question[kind]);

        // Each number on the way is read out with its words.
        const seen: string[] = [];
        const target = await tabTo(
          page,
          (f) => {
            if (f.name === 'score') seen.push(f.label);
            return f.name === 'score' && f.value === String(pick);
          },
          `the ${pick}`,
        );
        expect(target.label).toBe(`${pick} out of ${max}`);
        expect(seen[0]).toMatch(new RegExp(`^${kind === 'nps' ? 0 : 1} out of ${max} \\(`));
        const landed = page.waitForURL(/\?saved=1$/);
        await page.keyboard.press('Enter');
        await landed;
        expect(await recorded(site, token)).toMatchObject({ score: pick, comment: null, dimensions: [] });

        // The answered page: its class's follow-up labels the comment box; live region says it was saved.
        const cls = (await recorded(site, token)).reaction as 'positive' | 'neutral' | 'negative';
        expect((await page.locator('label[for="comment"]').textContent())?.trim()).toBe(VOCABULARY.en.followUp[kind][cls]);
        expect((await page.locator('#status').textContent())?.trim()).toBe('Thank you! Your answer was saved.');

        await tabTo(page, (f) => f.tag === 'textarea', 'the comment box');
        await page.keyboard.type('Quick and clear.');
        await tabTo(page, (f) => f.name === 'dimensions' && f.value === dimension, `the ${dimension} box`);
        await page.keyboard.press('Space');
        expect((await focused(page)).checked).toBe(true);
        await tabTo(page, (f) => f.className === 'save', 'Save comment');
        await page.keyboard.press('Enter');
        await page.waitForFunction(() => document.getElementById('status')!.textContent!.trim() === 'Comment saved.');
        expect(await recorded(site, token)).toMatchObject({ score: pick, comment: 'Quick and clear.', dimensions: [dimension] });

        // Changed your mind: the whole scale is there, the current answer pressed.
        expect(await page.locator(`.scale button[value="${pick}"]`).getAttribute('aria-pressed')).toBe('true');
        const other = await tabTo(page, (f) => f.name === 'score' && f.value === String(change) && !f.className.includes('save'), `the ${change}`);
        expect(other.label).toMatch(new RegExp(`^${change} out of ${max}`));
        // The address already ends in ?saved=1 (the comment was saved in place): wait for the new page itself.
        const changed = page.waitForEvent('load');
        await page.keyboard.press('Space');
        await changed;
        // The comment and the tick went along with the new answer.
        expect(await recorded(site, token)).toMatchObject({ score: change, comment: 'Quick and clear.', dimensions: [dimension] });
        expect(await page.locator(`.scale button[value="${change}"]`).getAttribute('aria-pressed')).toBe('true');
        expect(violations).toEqual([]);
      });
    });
  }
});

describe('numbered survey pages at phone width', () => {
  for (const [site] of KINDS) {
    for (const locale of ['en', 'ar'] as const) {
      it(`${site} in ${locale}: axe-clean before and after answering, no sideways scrolling, thumb-sized targets`, SLOW, async () => {
        const pages = [await surveyPage(site, locale), await surveyPage(site, locale, site === 'nps' ? 7 : 3)];
        await withPage({ viewport: { width: 320, height: 800 }, bypassCSP: true }, async (page) => {
          for (const { url } of pages) {
            await page.goto(url);
            expect(await page.getAttribute('html', 'dir')).toBe(locale === 'ar' ? 'rtl' : 'ltr');
            expect(await axeViolations(page), url).toEqual([]);
            const layout = await page.evaluate(() => ({
              boxes: [...document.querySelectorAll('.scale button')].map((b) => b.getBoundingClientRect()).map((r) => ({ width: r.width, height: r.height })),
              scrollWidth: document.documentElement.scrollWidth,
              innerWidth: window.innerWidth,
            }));
            expect(layout.scrollWidth, url).toBeLessThanOrEqual(layout.innerWidth);
            expect(layout.boxes.length).toBe(site === 'nps' ? 11 : site === 'csat5' ? 5 : 10);
            for (const box of layout.boxes) {
              expect(box.width).toBeGreaterThanOrEqual(24);
              expect(box.height).toBeGreaterThanOrEqual(24);
            }
          }
        });
      });
    }
  }
});
