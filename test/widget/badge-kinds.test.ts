// <csat-badge> for each survey kind against the real API: "98/100", "CSAT 75%", "NPS 25", "NPS −33", the
// accessible names, the breakdown per kind, no benchmark line without a benchmark, no layout shift while
// loading, and the fit in a narrow header.
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import '../../widget/csat-badge.js';
import type { CsatBadge } from '../../widget/csat-badge.js';
import { apiUrl, gatedApi, releaseGate, seededSite, type Answer, type SiteOptions } from './api.js';
import { badgeLoaded, box, isOpen, labelText, mustPart, part, scoreNumber, shadow, text, until } from './dom.js';

interface Case {
  name: string;
  site: SiteOptions;
  answers: Answer[];
  /** The number alone, the score as shown, and as read. */
  number: string;
  shown: string;
  said: string;
  /** The breakdown's rows as read ("Promoters 50%"; for CSAT "value count"), and the lines after them. */
  rows: string[];
  after: string | null;
}

const CASES: Case[] = [
  {
    name: 'reaction',
    site: {},
    answers: ['positive', 'positive', 'positive', 'negative'],
    number: '50',
    shown: '50/100 out of 100',
    said: 'Customer satisfaction: 50 out of 100',
    rows: ['Good 75%', 'Okay 0%', 'Bad 25%'],
    after: null,
  },
  {
    name: 'CSAT 1-5',
    site: { kind: 'csat', scale: 5 },
    answers: [5, 5, 4, 2],
    number: '75',
    shown: 'CSAT 75%',
    said: 'Customer satisfaction: CSAT 75%',
    rows: ['1 0', '2 1', '3 0', '4 1', '5 2'],
    after: 'Satisfied: 75%',
  },
  {
    name: 'CSAT 1-3',
    site: { kind: 'csat', scale: 3 },
    answers: [3, 2, 1],
    number: '33',
    shown: 'CSAT 33%',
    said: 'Customer satisfaction: CSAT 33%',
    rows: ['1 1', '2 1', '3 1'],
    after: 'Satisfied: 33.3%',
  },
  {
    name: 'NPS',
    site: { kind: 'nps' },
    answers: [10, 9, 7, 3],
    number: '25',
    shown: 'NPS 25',
    said: 'Customer satisfaction: NPS 25',
    rows: ['Promoters 50%', 'Passives 25%', 'Detractors 25%'],
    after: null,
  },
  {
    name: 'NPS below zero',
    site: { kind: 'nps' },
    answers: [0, 3, 9],
    number: '−33',
    shown: 'NPS −33',
    said: 'Customer satisfaction: NPS −33',
    rows: ['Promoters 33.3%', 'Passives 0%', 'Detractors 66.7%'],
    after: null,
  },
];

for (const c of CASES) {
  describe(`csat-badge, ${c.name}`, () => {
    let site: string;
    before(async () => (site = await seededSite(c.answers, c.site)));

    async function badge() {
      (document.activeElement as HTMLElement | null)?.blur();
      const el = await fixture<CsatBadge>(html`<csat-badge site=${site} api=${await apiUrl()}></csat-badge>`);
      await badgeLoaded(el);
      return el;
    }

    it(`shows "${c.shown}" and says "${c.said}"`, async () => {
      const el = await badge();
      expect(scoreNumber(el)).to.equal(c.number);
      expect(text(part(el, 'score'))).to.equal(c.shown);
      expect(labelText(el)).to.equal(`Customer satisfaction · last 90 days · ${c.answers.length} ratings`);
      expect(text(shadow(el).querySelector('[role="status"]'))).to.equal(c.said);
      await expect(el).to.be.accessible();
    });

    it('opens its breakdown by keyboard: the rows of its kind, no benchmark line', async () => {
      const el = await badge();
      await sendKeys({ press: 'Tab' });
      expect(shadow(el).activeElement, 'Tab focuses the badge').to.equal(mustPart(el, 'base'));
      await sendKeys({ press: 'Enter' });
      await until(() => isOpen(el), 'the breakdown opens');
      const popover = mustPart(el, 'popover');
      expect(popover.getAttribute('aria-label')).to.equal(c.said);
      expect([...popover.querySelectorAll('li')].map((li) => text(li))).to.deep.equal(c.rows);
      const lines = [...popover.querySelectorAll('ul ~ p')].map((p) => text(p));
      if (c.after) expect(lines[0]).to.equal(c.after);
      expect(lines.join(' | ')).not.to.match(/average|Source:/);
      await expect(el).to.be.accessible();
      await sendKeys({ press: 'Escape' });
      await until(() => !isOpen(el), 'Escape closes it');
    });

    it('keeps its box from the skeleton to the score (no layout shift)', async () => {
      const gate = `kinds-${Date.now()}-${Math.random().toString(36).slice(2)}`;
      const el = await fixture<CsatBadge>(html`<csat-badge site=${site} api=${await gatedApi(gate)}></csat-badge>`);
      expect(mustPart(el, 'base').classList.contains('skeleton')).to.equal(true);
      const before = { host: box(el), base: box(mustPart(el, 'base')) };
      await releaseGate(gate);
      await badgeLoaded(el);
      const after = { host: box(el), base: box(mustPart(el, 'base')) };
      for (const key of ['host', 'base'] as const) {
        expect(Math.abs(after[key].width - before[key].width), `${key} width`).to.be.at.most(1);
        expect(Math.abs(after[key].height - before[key].height), `${key} height`).to.be.at.most(1);
      }
    });

    it('fits a narrow header at 320 px: the number stays whole and inside, nothing scrolls sideways', async () => {
      await setViewport({ width: 320, height: 640 });
      try {
        const header = await fixture<HTMLElement>(
          html`<header style="display:flex;align-items:center;justify-content:space-between;gap:1rem;padding:0.75rem 1rem">
            <a href="#top" style="font-weight:700;white-space:nowrap">Acme IT</a><csat-badge site=${site} api=${await apiUrl()}></csat-badge>
          </header>`,
        );
        const el = header.querySelector('csat-badge')!;
        await badgeLoaded(el);
        const base = mustPart(el, 'base').getBoundingClientRect();
        const score = mustPart(el, 'score').getBoundingClientRect();
        expect(score.left, 'the score starts inside the badge').to.be.at.least(base.left);
        expect(score.right, 'the score ends inside the badge').to.be.at.most(base.right);
        expect(mustPart(el, 'base').scrollWidth, 'nothing overflows the badge').to.be.at.most(mustPart(el, 'base').clientWidth);
        expect(document.documentElement.scrollWidth, 'no sideways scroll').to.be.at.most(innerWidth);
      } finally {
        await setViewport({ width: 800, height: 600 });
      }
    });
  });
}
