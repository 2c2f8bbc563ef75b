// A page opened from a survey link (?csat_token=…[&csat_r=…]): the badge hosts the inline survey.
import { aTimeout, expect, fixture, html } from '@open-wc/testing';
import { setViewport } from '@web/test-runner-commands';
import '../../widget/csat-badge.js';
import type { CsatBadge } from '../../widget/csat-badge.js';
import type { CsatSurvey } from '../../widget/csat-survey.js';
import { apiUrl, createSite, createSurvey, seededSite, storedAnswer } from './api.js';
import { badgeLoaded, labelText, mustPart, part, scoreNumber, shadow, text, until } from './dom.js';

describe('csat-badge on a page opened from a survey link', () => {
  const original = location.href;

  /** Adds the survey parameters to the page URL (keeping the runner's own parameters). */
  function openedFrom(params: Record<string, string>) {
    const url = new URL(original);
    for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
    history.replaceState(history.state, '', url);
  }

  afterEach(() => history.replaceState(history.state, '', original));

  const hostedSurvey = (el: CsatBadge) => part(el, 'survey')?.querySelector<CsatSurvey>('csat-survey') ?? null;

  it('renders a csat-survey for the token inside part="survey"', async () => {
    const site = await seededSite(['positive']);
    const token = await createSurvey(site);
    const api = await apiUrl();
    openedFrom({ csat_token: token });
    const el = await fixture<CsatBadge>(html`<csat-badge site=${site} api=${api}></csat-badge>`);
    await badgeLoaded(el);
    const survey = hostedSurvey(el);
    expect(survey, 'a csat-survey inside part="survey"').to.be.instanceOf(customElements.get('csat-survey')!);
    expect(survey!.token).to.equal(token);
    expect(survey!.api).to.equal(api);
    await until(() => shadow(survey!).querySelectorAll('.reactions button').length === 3, 'the hosted survey asks');
    expect(text(shadow(survey!))).to.contain('How did we do on this request?');
    expect((await storedAnswer(token)).answered, 'showing the survey records nothing').to.equal(false);
  });

  it('takes csat_token and csat_r out of the address, keeping the page\'s own parameters', async () => {
    const site = await createSite();
    const token = await createSurvey(site);
    openedFrom({ csat_token: token, csat_r: 'neutral', ref: 'mail' });
    const el = await fixture<CsatBadge>(html`<csat-badge site=${site} api=${await apiUrl()}></csat-badge>`);
    await until(() => hostedSurvey(el), 'the survey opens');
    const params = new URL(location.href).searchParams;
    expect(params.has('csat_token'), 'no token left for the page\'s analytics').to.equal(false);
    expect(params.has('csat_r')).to.equal(false);
    expect(params.get('ref')).to.equal('mail');
    expect(hostedSurvey(el)!.token).to.equal(token);
    expect(hostedSurvey(el)!.reaction).to.equal('neutral');
  });

  it('opens the survey on a live badge too', async () => {
    const site = await createSite();
    const token = await createSurvey(site);
    openedFrom({ csat_token: token });
    const el = await fixture<CsatBadge>(html`<csat-badge site=${site} api=${await apiUrl()} live></csat-badge>`);
    await until(() => hostedSurvey(el)?.token === token, 'the live badge opens its survey');
  });

  it('opens no survey for a token of another site', async () => {
    const other = await createSite();
    const token = await createSurvey(other);
    openedFrom({ csat_token: token });
    const el = await fixture<CsatBadge>(html`<csat-badge site=${await seededSite(['positive'])} api=${await apiUrl()}></csat-badge>`);
    await badgeLoaded(el);
    // Give the token's lookup time to come back.
    await aTimeout(500);
    expect(part(el, 'survey')).to.equal(null);
    // The badge of the token's own site, later on the same page, still gets it.
    const own = await fixture<CsatBadge>(html`<csat-badge site=${other} api=${await apiUrl()}></csat-badge>`);
    await until(() => hostedSurvey(own)?.token === token, 'the own site\'s badge opens it');
  });

  it('shows the survey in one frame, on screen at 320 px, with its reactions in one row', async () => {
    const site = await createSite();
    openedFrom({ csat_token: await createSurvey(site) });
    await setViewport({ width: 320, height: 640 });
    try {
      const el = await fixture<CsatBadge>(html`<csat-badge site=${site} api=${await apiUrl()}></csat-badge>`);
      await until(() => hostedSurvey(el), 'the survey opens');
      const survey = hostedSurvey(el)!;
      await until(() => shadow(survey).querySelectorAll('.reactions button').length === 3, 'the hosted survey asks');
      const panel = mustPart(el, 'survey');
      expect(panel.matches(':popover-open'), 'the panel is shown').to.equal(true);
      const box = panel.getBoundingClientRect();
      expect(box.left).to.be.at.least(4);
      expect(box.right).to.be.at.most(innerWidth - 4);
      expect(getComputedStyle(shadow(survey).querySelector('[part="base"]')!).borderTopStyle, 'no frame inside the panel\'s frame').to.equal('none');
      const tops = [...shadow(survey).querySelectorAll('.reactions button')].map((b) => Math.round(b.getBoundingClientRect().top));
      expect(new Set(tops).size, 'one row').to.equal(1);
      expect(document.documentElement.scrollWidth).to.be.at.most(innerWidth);
      await expect(el).to.be.accessible();
    } finally {
      await setViewport({ width: 800, height: 600 });
    }
  });

  it('renders no survey without csat_token', async () => {
    const el = await fixture<CsatBadge>(html`<csat-badge site=${await createSite()} api=${await apiUrl()}></csat-badge>`);
    await badgeLoaded(el);
    expect(part(el, 'survey')).to.equal(null);
  });

  it('sends the reaction preselected by csat_r, then refreshes the score', async () => {
    const site = await createSite();
    const token = await createSurvey(site);
    openedFrom({ csat_token: token, csat_r: 'positive' });
    const el = await fixture<CsatBadge>(html`<csat-badge site=${site} api=${await apiUrl()}></csat-badge>`);
    await badgeLoaded(el);
    expect(labelText(el)).to.equal('Customer satisfaction · No ratings yet');
    await until(async () => (await storedAnswer(token)).reaction === 'positive', 'the hosted survey sends the preselected reaction');
    // The badge reloads its score on the survey's csat-response event: it must show the new one, not a
    // cached copy of the old one.
    await until(() => scoreNumber(el) === '100', 'the badge shows the new score after the hosted survey answered', 3000);
    expect(labelText(el)).to.match(/^Customer satisfaction · last 90 days · 1 ratings?$/);
  });
});
