// A page opened from a survey link (?csat_token=…[&csat_r=…]): the badge hosts the inline survey.
import { expect, fixture, html } from '@open-wc/testing';
import '../../widget/csat-badge.js';
import type { CsatBadge } from '../../widget/csat-badge.js';
import type { CsatSurvey } from '../../widget/csat-survey.js';
import { apiUrl, createSite, createSurvey, seededSite, storedAnswer } from './api.js';
import { badgeLoaded, labelText, part, scoreNumber, shadow, text, until } from './dom.js';

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
