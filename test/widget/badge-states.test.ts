// The badge's loaded, empty and error states, against the real API.
import { aTimeout, expect, fixture, html } from '@open-wc/testing';
import '../../widget/csat-badge.js';
import type { CsatBadge } from '../../widget/csat-badge.js';
import { apiUrl, captureUncaught, captureWarnings, createSite, seededSite } from './api.js';
import { badgeLoaded, isOpen, labelText, mustPart, part, scoreNumber, shadow, text, until } from './dom.js';


describe('csat-badge with a score', () => {
  let site: string;
  let el: CsatBadge;

  // 3 positive, 1 negative: 75 % - 25 % = 50.
  before(async () => (site = await seededSite(['positive', 'positive', 'positive', 'negative'])));

  beforeEach(async () => {
    el = await fixture<CsatBadge>(html`<csat-badge site=${site} api=${await apiUrl()}></csat-badge>`);
    await badgeLoaded(el);
  });

  it('shows the number out of 100', () => {
    expect(scoreNumber(el)).to.equal('50');
    expect(text(shadow(el).querySelector('[part="score"] .of'))).to.equal('/100');
  });

  it('shows the window and the number of ratings', () => {
    expect(labelText(el)).to.equal('Customer satisfaction · last 90 days · 4 ratings');
  });

  it('tells screen readers the score', () => {
    expect(text(shadow(el).querySelector('[role="status"]'))).to.equal('Customer satisfaction: 50 out of 100');
  });

  it('is a closed button until pressed', () => {
    const base = mustPart(el, 'base');
    expect(base.getAttribute('aria-expanded')).to.equal('false');
    expect(base.getAttribute('aria-haspopup')).to.equal('dialog');
    expect(isOpen(el)).to.equal(false);
  });

  it('is accessible', async () => {
    await expect(el).to.be.accessible();
  });
});

describe('csat-badge of a site without ratings', () => {
  let site: string;
  let el: CsatBadge;

  before(async () => (site = await createSite()));

  beforeEach(async () => {
    el = await fixture<CsatBadge>(html`<csat-badge site=${site} api=${await apiUrl()}></csat-badge>`);
    await badgeLoaded(el);
  });

  it('says "No ratings yet" and shows no number', () => {
    expect(labelText(el)).to.equal('Customer satisfaction · No ratings yet');
    expect(part(el, 'score')).to.equal(null);
    expect(text(mustPart(el, 'base'))).not.to.match(/\d/);
  });

  it('is accessible', async () => {
    await expect(el).to.be.accessible();
  });
});

describe('csat-badge when the score is unavailable', () => {
  const cases: Array<[string, () => Promise<string>, () => Promise<string>, boolean]> = [
    ['an unknown site (404)', async () => `no-such-site-${Date.now()}`, apiUrl, false],
    ['an unreachable API', async () => 'acme', async () => 'http://127.0.0.1:9', false],
    ['an unknown site, live (the stream answers 404)', async () => `no-such-site-${Date.now()}`, apiUrl, true],
  ];

  for (const [name, site, api, live] of cases) {
    it(`falls back quietly for ${name}, with exactly one console warning`, async () => {
      const warnings = captureWarnings();
      const uncaught = captureUncaught();
      try {
        const el = await fixture<CsatBadge>(html`<csat-badge site=${await site()} api=${await api()} ?live=${live}></csat-badge>`);
        await until(() => mustPart(el, 'base').classList.contains('off') && !mustPart(el, 'base').classList.contains('skeleton'), 'the fallback shows');
        expect(labelText(el)).to.equal('Customer satisfaction · Score unavailable');
        expect(part(el, 'score')).to.equal(null);
        expect(mustPart(el, 'base').hasAttribute('aria-busy')).to.equal(false);
        // Give a late second warning (or a retry's) the chance to show up.
        await aTimeout(300);
        expect(warnings.calls, 'console.warn calls').to.have.length(1);
        expect(String(warnings.calls[0]![0])).to.contain('csat-badge');
        expect(uncaught.errors, 'uncaught errors').to.deep.equal([]);
        await expect(el).to.be.accessible();
      } finally {
        warnings.restore();
        uncaught.restore();
      }
    });
  }
});
