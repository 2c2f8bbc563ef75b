// The breakdown popover, with the keyboard only.
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../widget/csat-badge.js';
import type { CsatBadge } from '../../widget/csat-badge.js';
import { apiUrl, importRatings, seededSite } from './api.js';
import { badgeLoaded, isOpen, mustPart, part, shadow, text, until } from './dom.js';

describe('csat-badge popover, keyboard only', () => {
  let site: string;
  let el: CsatBadge;

  // 3 positive, 1 negative, in an industry with a published benchmark.
  before(async () => (site = await seededSite(['positive', 'positive', 'positive', 'negative'], { industry: 'it-services' })));

  beforeEach(async () => {
    (document.activeElement as HTMLElement | null)?.blur();
    el = await fixture<CsatBadge>(html`<csat-badge site=${site} api=${await apiUrl()}></csat-badge>`);
    await badgeLoaded(el);
  });

  /** Tab to the badge and press Enter. */
  async function openWithKeyboard() {
    const base = mustPart(el, 'base');
    await sendKeys({ press: 'Tab' });
    expect(document.activeElement, 'Tab focuses the badge').to.equal(el);
    expect(shadow(el).activeElement, 'Tab focuses the badge button').to.equal(base);
    await sendKeys({ press: 'Enter' });
    await until(() => isOpen(el) && shadow(el).activeElement === part(el, 'popover'), 'the popover opens and takes the focus');
    return base;
  }

  it('opens on Enter as a dialog and moves the focus into it', async () => {
    const base = await openWithKeyboard();
    const popover = mustPart(el, 'popover');
    expect(popover.getAttribute('role')).to.equal('dialog');
    expect(popover.getAttribute('aria-label')).to.equal('Customer satisfaction: 50 out of 100');
    expect(base.getAttribute('aria-expanded')).to.equal('true');
    expect(popover.contains(shadow(el).activeElement)).to.equal(true);
  });

  it('shows the three percentages and the industry benchmark', async () => {
    await openWithKeyboard();
    const popover = mustPart(el, 'popover');
    const rows = [...popover.querySelectorAll('li')].map((li) => text(li));
    expect(rows).to.deep.equal(['Good 75%', 'Okay 0%', 'Bad 25%']);
    const widths = [...popover.querySelectorAll<HTMLElement>('[part="bar"] .fill')].map((fill) => fill.style.width);
    expect(widths).to.deep.equal(['75%', '0%', '25%']);
    // Like with like: the site's share of positive answers beside the industry's, never its score.
    expect(text(popover)).to.contain('75% positive · IT Service & Consultancy average: 95%');
    expect(text(popover)).to.contain('Source: published industry averages of three-reaction surveys');
    expect(text(popover)).to.contain('4 ratings');
  });

  it('closes on Escape and gives the focus back to the badge button', async () => {
    const base = await openWithKeyboard();
    await sendKeys({ press: 'Escape' });
    await until(() => !isOpen(el), 'the popover closes');
    await el.updateComplete;
    expect(base.getAttribute('aria-expanded')).to.equal('false');
    await until(() => shadow(el).activeElement === base, 'the focus returns to the badge button', 1000);
    expect(document.activeElement).to.equal(el);
  });

  it('is accessible while open', async () => {
    await openWithKeyboard();
    await expect(el).to.be.accessible();
  });
});

describe('csat-badge popover: where the ratings came from', () => {
  it('shows the imported, demo and sealed shares and "verifiable" with the log size, keyboard-reachable and accessible', async () => {
    // 3 live answers and 1 imported rating: 25% imported.
    const site = await seededSite(['positive', 'positive', 'negative']);
    await importRatings(site, [{ daysAgo: 10, reaction: 'positive' }]);
    const api = await apiUrl();
    const score = (await (await fetch(`${api}/v1/sites/${site}/score`)).json()) as { log?: { size: number }; origin: { imported: number } };
    expect(score.origin.imported).to.equal(1);
    (document.activeElement as HTMLElement | null)?.blur();
    const el = await fixture<CsatBadge>(html`<csat-badge site=${site} api=${api}></csat-badge>`);
    await badgeLoaded(el);
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Enter' });
    await until(() => isOpen(el), 'the popover opens from the keyboard');
    const popover = mustPart(el, 'popover');
    expect(text(popover)).to.contain('25% imported · 0% demo · 0% sealed');
    // The log's head is in the score object (4 events: 3 answers, 1 import).
    expect(score.log?.size).to.equal(4);
    expect(text(popover)).to.contain('Verifiable: public log of 4 entries');
    await expect(el).to.be.accessible();
  });

  it('says nothing about a log when the score object has none', async () => {
    const site = await seededSite(['positive']);
    const el = await fixture<CsatBadge>(html`<csat-badge site=${site} api=${await apiUrl()}></csat-badge>`);
    await badgeLoaded(el);
    // As from a server without the public log: the score object has no `log`.
    const state = el as unknown as { score: Record<string, unknown> };
    state.score = { ...state.score, log: undefined };
    await el.updateComplete;
    const popover = mustPart(el, 'popover');
    expect(text(popover)).to.contain('0% imported · 0% demo · 0% sealed');
    expect(text(popover)).not.to.contain('Verifiable');
  });
});
