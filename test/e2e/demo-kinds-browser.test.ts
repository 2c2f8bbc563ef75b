// The demo as a visitor sees it: the built server started with CSAT_DEMO=1 on an empty database seeds
// the three demo sites; the score page shows each site's badge with the figure its score API gives, and
// the portal's "try" buttons open a survey of each kind in the badge of that kind's site, whose answer
// counts on that site alone. Real server process, real Chromium. Needs `npm run build` first.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CSAT_SLUG, DEMO_NPS_SLUG, DEMO_SLUG } from '../../api/demo/seed.js';
import { tempDbFile } from '../api/helpers.js';
import { axeViolations } from './axe.js';
import { launchChromium } from './chromium.js';
import { freePort, killServers, startServer } from './server-process.js';

const SLUGS = [DEMO_SLUG, DEMO_CSAT_SLUG, DEMO_NPS_SLUG] as const;
interface Score {
  kind: 'reaction' | 'csat' | 'nps';
  score: number | null;
  counts: { positive: number; neutral: number; negative: number; total: number };
}

let base: string;
let browser: Browser;
const score = async (slug: string) => (await (await fetch(`${base}/v1/sites/${slug}/score`)).json()) as Score;
const totals = async () => Promise.all(SLUGS.map(async (slug) => (await score(slug)).counts.total));

beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  await startServer({ PORT: String(port), HOST: '127.0.0.1', CSAT_DB: tempDbFile(), CSAT_DEMO: '1' });
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  killServers();
});

async function openPage(path: string): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(`${base}${path}`);
  return page;
}

describe('the demo of the three survey kinds', () => {
  it('shows each demo site\'s badge with its own kind\'s figure, as its score API gives it', { timeout: 60_000 }, async () => {
    const page = await openPage('/demo/score.html');
    try {
      for (const slug of SLUGS) {
        const s = await score(slug);
        expect(s.score, slug).not.toBeNull();
        const said = s.kind === 'csat' ? `CSAT${s.score}%` : s.kind === 'nps' ? `NPS${s.score}` : `${s.score}/100`;
        const badge = page.locator(`.grid csat-badge[site="${slug}"] [part~="base"]`);
        await expect.poll(async () => (await badge.textContent())?.replace(/\s+/g, ''), { timeout: 15_000 }).toContain(said);
      }
      expect(await page.locator('img[src$="/badge.svg"]').count()).toBe(3);
    } finally {
      await page.close();
    }
  });

  it('has demo pages with no accessibility violations, the three try buttons and badges included', { timeout: 60_000 }, async () => {
    const page = await browser.newPage({ bypassCSP: true }); // axe is injected as a script
    try {
      for (const path of ['/demo/', '/demo/score.html', '/demo/portal.html']) {
        await page.goto(`${base}${path}`);
        await page.locator('header csat-badge [part~="score"]').waitFor({ timeout: 15_000 });
        expect(await axeViolations(page), path).toEqual([]);
      }
    } finally {
      await page.close();
    }
  });

  it('opens a survey of each kind in the badge of that kind\'s site; the answer counts there alone', { timeout: 90_000 }, async () => {
    const answers = [
      { kind: 'reaction', slug: DEMO_SLUG, button: 'button.r.positive', cls: 'positive' },
      { kind: 'csat', slug: DEMO_CSAT_SLUG, button: 'button.r.n >> nth=3', cls: 'positive' }, // 4 of 5
      { kind: 'nps', slug: DEMO_NPS_SLUG, button: 'button.r.n >> nth=7', cls: 'neutral' }, // 7: a passive
    ] as const;
    for (const [i, answer] of answers.entries()) {
      const before = await totals();
      const beforeClass = (await score(answer.slug)).counts[answer.cls];
      const page = await openPage('/demo/portal.html');
      try {
        await page.click(`form:has(input[name="kind"][value="${answer.kind}"]) button`);
        const survey = page.locator(`csat-badge[site="${answer.slug}"] csat-survey`);
        await survey.locator(answer.button).click({ timeout: 20_000 });
        // Saved: the survey moves on to the follow-up comment of the answer's class.
        await survey.locator('textarea#comment').waitFor({ timeout: 15_000 });
        // The other badges host no survey.
        for (const other of SLUGS.filter((s) => s !== answer.slug)) {
          expect(await page.locator(`csat-badge[site="${other}"] csat-survey`).count(), `${answer.kind}: ${other}`).toBe(0);
        }
      } finally {
        await page.close();
      }
      const after = await totals();
      expect(after, answer.kind).toEqual(before.map((n, j) => (j === i ? n + 1 : n)));
      expect((await score(answer.slug)).counts[answer.cls], answer.kind).toBe(beforeClass + 1);
    }
  });
});
