// Theming through --csat-* custom properties, compact mode, and languages.
import { expect, fixture, html } from '@open-wc/testing';
import '../../widget/csat-badge.js';
import type { CsatBadge } from '../../widget/csat-badge.js';
import { apiUrl, seededSite } from './api.js';
import { badgeLoaded, labelText, mustPart, scoreNumber, shadow } from './dom.js';

describe('csat-badge appearance', () => {
  let positiveSite: string;
  let mixedSite: string;

  before(async () => {
    positiveSite = await seededSite(['positive']); // score 100
    mixedSite = await seededSite(['positive', 'positive', 'positive', 'negative']); // score 50
  });

  async function badge(site: string, attrs: { compact?: boolean; lang?: string } = {}) {
    const el = await fixture<CsatBadge>(
      html`<csat-badge site=${site} api=${await apiUrl()} ?compact=${attrs.compact ?? false} lang=${attrs.lang ?? 'en'}></csat-badge>`,
    );
    await badgeLoaded(el);
    return el;
  }

  it('colours the face of a positive badge with --csat-color-positive', async () => {
    const el = await badge(positiveSite);
    const face = mustPart<SVGElement>(el, 'face');
    expect(face.classList.contains('positive')).to.equal(true);
    expect(getComputedStyle(face).color).not.to.equal('rgb(1, 2, 3)');
    el.style.setProperty('--csat-color-positive', 'rgb(1, 2, 3)');
    expect(getComputedStyle(face).color).to.equal('rgb(1, 2, 3)');
  });

  it('compact: hides the label and keeps the number', async () => {
    const el = await badge(mixedSite, { compact: true });
    expect(getComputedStyle(mustPart(el, 'label')).display).to.equal('none');
    const score = mustPart(el, 'score');
    expect(getComputedStyle(score).display).not.to.equal('none');
    expect(score.getBoundingClientRect().width).to.be.greaterThan(0);
    expect(scoreNumber(el)).to.equal('50');
    await expect(el).to.be.accessible();
  });

  it('lang="fr" speaks French', async () => {
    const el = await badge(mixedSite, { lang: 'fr' });
    expect(labelText(el)).to.equal('Satisfaction client · 90 derniers jours · 4 avis');
    expect(shadow(el).querySelector('[lang]')?.getAttribute('lang')).to.equal('fr');
  });

  it('lang="ar" speaks Arabic, right to left', async () => {
    const el = await badge(mixedSite, { lang: 'ar' });
    const root = shadow(el).querySelector('[dir]');
    expect(root?.getAttribute('dir')).to.equal('rtl');
    expect(root?.getAttribute('lang')).to.equal('ar');
    expect(labelText(el)).to.contain('رضا العملاء');
  });

  it('lang="en" stays left to right', async () => {
    const el = await badge(mixedSite, { lang: 'en' });
    expect(shadow(el).querySelector('[dir]')?.getAttribute('dir')).to.equal('ltr');
  });
});
