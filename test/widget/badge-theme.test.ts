// Theming through --csat-* custom properties, compact mode, and languages.
import { expect, fixture, html } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
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

describe('csat-badge colour scheme', () => {
  const WHITE = 'rgb(255, 255, 255)';
  const DARK = 'rgb(21, 27, 35)';
  let site: string;
  before(async () => (site = await seededSite(['positive'])));
  afterEach(async () => {
    await emulateMedia({ colorScheme: 'light' });
    document.documentElement.style.colorScheme = '';
    document.querySelector('meta[name="color-scheme"]')?.remove();
  });

  async function background(theme?: string) {
    const el = await fixture<CsatBadge>(html`<csat-badge site=${site} api=${await apiUrl()} theme=${theme ?? ''}></csat-badge>`);
    await badgeLoaded(el);
    return getComputedStyle(mustPart(el, 'base')).backgroundColor;
  }

  it('follows the page, not the system: light on a page that says nothing, even when the system is dark', async () => {
    await emulateMedia({ colorScheme: 'dark' });
    expect(await background()).to.equal(WHITE);
  });

  it('is dark on a page whose CSS says color-scheme: dark', async () => {
    document.documentElement.style.colorScheme = 'dark';
    expect(await background()).to.equal(DARK);
  });

  it('is dark on a page whose <meta name="color-scheme"> says dark', async () => {
    const meta = Object.assign(document.createElement('meta'), { name: 'color-scheme', content: 'dark' });
    document.head.append(meta);
    expect(await background()).to.equal(DARK);
  });

  it('follows the system on a page that supports both, and with theme="auto"', async () => {
    document.documentElement.style.colorScheme = 'light dark';
    await emulateMedia({ colorScheme: 'dark' });
    expect(await background()).to.equal(DARK);
    document.documentElement.style.colorScheme = '';
    expect(await background('auto')).to.equal(DARK);
    await emulateMedia({ colorScheme: 'light' });
    expect(await background('auto')).to.equal(WHITE);
  });

  it('theme="light" and theme="dark" win over the page', async () => {
    document.documentElement.style.colorScheme = 'dark';
    expect(await background('light')).to.equal(WHITE);
    document.documentElement.style.colorScheme = 'light';
    expect(await background('dark')).to.equal(DARK);
  });
});
