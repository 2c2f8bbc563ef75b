// The badge on a company's page: in a flex header on the right and on the left, at phone, tablet and
// desktop widths, in every state. Nothing may make the page scroll sideways, the badge's content stays
// inside its box, and the open breakdown stays wholly on screen.
import { expect, fixture, html } from '@open-wc/testing';
import { setViewport } from '@web/test-runner-commands';
import '../../widget/csat-badge.js';
import type { CsatBadge } from '../../widget/csat-badge.js';
import { apiUrl, createSite, seededSite } from './api.js';
import { badgeLoaded, isOpen, labelText, mustPart, part, scoreNumber, shadow, text, until } from './dom.js';

const WIDTHS = [320, 390, 768, 1280];
/** The focus ring is 2px wide and 2px away from its element. */
const RING = 4;

interface State {
  name: string;
  site: () => Promise<string>;
  attrs?: { compact?: boolean; theme?: string; lang?: string };
}

const STATES: State[] = [
  { name: 'normal', site: () => seededSite(['positive', 'positive', 'positive', 'negative']) },
  { name: 'empty', site: () => createSite() },
  { name: 'negative', site: () => seededSite(['negative', 'negative', 'positive']) },
  { name: 'compact', site: () => seededSite(['positive']), attrs: { compact: true } },
  { name: 'dark', site: () => seededSite(['positive', 'neutral']), attrs: { theme: 'dark' } },
  { name: 'lang="ar"', site: () => seededSite(['positive', 'positive', 'neutral']), attrs: { lang: 'ar' } },
];

/** A site header as companies write it: a flex row with the logo and the badge, space between. */
async function inHeader(site: string, side: 'left' | 'right', attrs: State['attrs'] = {}) {
  const badge = html`<csat-badge site=${site} api=${await apiUrl()} ?compact=${attrs.compact ?? false} theme=${attrs.theme ?? ''} lang=${attrs.lang ?? 'en'}></csat-badge>`;
  const logo = html`<a href="#top" style="font-weight:700;white-space:nowrap">Acme IT</a>`;
  const header = await fixture<HTMLElement>(
    html`<header style="display:flex;align-items:center;justify-content:space-between;gap:1rem;padding:0.75rem 1rem;font:16px/1.4 system-ui,sans-serif">
      ${side === 'left' ? badge : logo}${side === 'left' ? logo : badge}
    </header>`,
  );
  const el = header.querySelector('csat-badge')!;
  await badgeLoaded(el);
  return el;
}

const rect = (el: Element) => el.getBoundingClientRect();

/** The label's parts on its one visible line (the others wrapped onto a line that is never shown). */
function visibleParts(el: CsatBadge): string[] {
  const label = part(el, 'label');
  if (!label || getComputedStyle(label).display === 'none') return [];
  const bottom = rect(label).bottom;
  return [...label.children].filter((span) => shown(span) && rect(span).top < bottom - 1).map((span) => text(span));
}

/** Rendered at all (not display: none). */
const shown = (el: Element) => el.getClientRects().length > 0;

function expectNoSidewaysScroll(where: string) {
  expect(document.documentElement.scrollWidth, `${where}: the page does not scroll sideways`).to.be.at.most(innerWidth);
}

function expectContentInside(el: CsatBadge, where: string) {
  const base = mustPart(el, 'base');
  const box = rect(base);
  expect(box.left, `${where}: the badge starts on screen`).to.be.at.least(0);
  expect(box.right, `${where}: the badge ends on screen`).to.be.at.most(innerWidth);
  expect(base.scrollWidth, `${where}: nothing overflows the badge`).to.be.at.most(base.clientWidth);
  for (const name of ['face', 'score']) {
    const inner = part(el, name);
    if (!inner) continue;
    expect(rect(inner).left, `${where}: ${name} inside`).to.be.at.least(box.left);
    expect(rect(inner).right, `${where}: ${name} inside`).to.be.at.most(box.right);
  }
  const label = part(el, 'label');
  if (!label || getComputedStyle(label).display === 'none') return;
  for (const span of label.children) {
    if (!shown(span) || rect(span).top >= rect(label).bottom - 1) continue;
    expect(rect(span).right, `${where}: "${text(span)}" is shown whole`).to.be.at.most(rect(label).right + 0.5);
    expect(rect(span).left, `${where}: "${text(span)}" is shown whole`).to.be.at.least(rect(label).left - 0.5);
  }
}

async function expectPopoverOnScreen(el: CsatBadge, where: string) {
  mustPart(el, 'base').click();
  await until(() => isOpen(el), `${where}: the breakdown opens`);
  const popover = rect(mustPart(el, 'popover'));
  expect(popover.left, `${where}: breakdown left edge`).to.be.at.least(RING);
  expect(popover.right, `${where}: breakdown right edge`).to.be.at.most(innerWidth - RING);
  expect(popover.top, `${where}: breakdown below the badge`).to.be.at.least(rect(mustPart(el, 'base')).bottom);
  expect(popover.bottom, `${where}: breakdown bottom edge`).to.be.at.most(innerHeight);
  const close = rect(shadow(el).querySelector('[part="popover"] .close')!);
  expect(close.left - RING, `${where}: close button and its focus ring inside`).to.be.at.least(popover.left);
  expect(close.right + RING, `${where}: close button and its focus ring inside`).to.be.at.most(popover.right);
  expect(close.top - RING, `${where}: close button and its focus ring inside`).to.be.at.least(popover.top);
  expectNoSidewaysScroll(`${where}, breakdown open`);
}

describe('csat-badge in a site header at every width', () => {
  after(() => setViewport({ width: 800, height: 600 }));

  for (const state of STATES) {
    describe(state.name, () => {
      let site: string;
      before(async () => (site = await state.site()));

      for (const width of WIDTHS) {
        for (const side of ['right', 'left'] as const) {
          it(`${width} px, on the ${side}: no sideways scroll, content inside, breakdown on screen`, async () => {
            await setViewport({ width, height: 700 });
            const el = await inHeader(site, side, state.attrs);
            const where = `${state.name} at ${width} px on the ${side}`;
            expectNoSidewaysScroll(where);
            expectContentInside(el, where);
            await expectPopoverOnScreen(el, where);
          });
        }
      }

      it('is accessible at 390 px, closed and open', async () => {
        await setViewport({ width: 390, height: 700 });
        const el = await inHeader(site, 'right', state.attrs);
        await expect(el).to.be.accessible();
        mustPart(el, 'base').click();
        await until(() => isOpen(el), 'the breakdown opens');
        await expect(el).to.be.accessible();
      });
    });
  }
});

describe('csat-badge label parts', () => {
  after(() => setViewport({ width: 800, height: 600 }));

  it('shows every part at 1280 px with the default width', async () => {
    await setViewport({ width: 1280, height: 700 });
    const site = await seededSite(['positive', 'positive', 'neutral']);
    const el = await inHeader(site, 'right');
    expect(visibleParts(el)).to.deep.equal(['Customer satisfaction', 'last 90 days', '3 ratings']);
  });

  it('gives way from the end as the room shrinks: ratings, then the window, then the words, never the number', async () => {
    await setViewport({ width: 1280, height: 700 });
    const site = await seededSite(['positive', 'negative']);
    const el = await fixture<CsatBadge>(html`<csat-badge site=${site} api=${await apiUrl()}></csat-badge>`);
    await badgeLoaded(el);
    const all = labelText(el).split(' · ');
    const seen = new Set<number>();
    for (let em = 34; em >= 8; em -= 0.5) {
      el.style.setProperty('--csat-width', `${em}em`);
      const shown = visibleParts(el);
      expect(shown, `at ${em}em the parts shown are the first ones, in order`).to.deep.equal(all.slice(0, shown.length));
      expect(scoreNumber(el), `at ${em}em the number stays`).to.equal('0');
      expectContentInside(el, `at ${em}em`);
      seen.add(shown.length);
    }
    expect([...seen].sort(), 'every step from the whole label down to none was seen').to.deep.equal([0, 1, 2, 3]);
  });

  it('an empty badge keeps "No ratings yet" and drops the words before it', async () => {
    const site = await createSite();
    const el = await fixture<CsatBadge>(html`<csat-badge site=${site} api=${await apiUrl()} style="--csat-width: 12em"></csat-badge>`);
    await badgeLoaded(el);
    expect(visibleParts(el)).to.deep.equal(['No ratings yet']);
    expectContentInside(el, 'an empty badge at 12em');
    el.style.setProperty('--csat-width', '30em');
    expect(visibleParts(el)).to.deep.equal(['Customer satisfaction', 'No ratings yet']);
  });
});

describe('csat-badge compact', () => {
  // -100, -33, 0 and 100: the widest numbers, with and without "/100".
  const CASES: Array<[string, Array<'positive' | 'neutral' | 'negative'>]> = [
    ['-100', ['negative']],
    ['-33', ['negative', 'negative', 'positive']],
    ['0', ['neutral']],
    ['100', ['positive']],
  ];
  for (const theme of ['light', 'dark']) {
    for (const [score, reactions] of CASES) {
      it(`fits ${score} inside its pill (${theme})`, async () => {
        const site = await seededSite(reactions);
        const el = await fixture<CsatBadge>(html`<csat-badge site=${site} api=${await apiUrl()} compact theme=${theme}></csat-badge>`);
        await badgeLoaded(el);
        expect(scoreNumber(el)).to.equal(score);
        expectContentInside(el, `compact ${score} (${theme})`);
      });
    }
  }
});

describe('csat-badge with a negative score', () => {
  it('never reads "out of 100"', async () => {
    const site = await seededSite(['negative', 'negative', 'positive']);
    const el = await fixture<CsatBadge>(html`<csat-badge site=${site} api=${await apiUrl()}></csat-badge>`);
    await badgeLoaded(el);
    expect(scoreNumber(el)).to.equal('-33');
    expect(shadow(el).querySelector('[part="score"] .of'), 'no "/100"').to.equal(null);
    expect(text(shadow(el).querySelector('[role="status"]'))).to.equal('Customer satisfaction: -33 on a scale from −100 to 100');
    expect(mustPart(el, 'popover').getAttribute('aria-label')).to.equal('Customer satisfaction: -33 on a scale from −100 to 100');
    expect(text(mustPart(el, 'base'))).not.to.contain('out of 100');
  });
});
