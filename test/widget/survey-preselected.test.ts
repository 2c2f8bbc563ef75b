// A reaction preselected by the link (reaction="…") is sent once a person sees the page, after a pause,
// unless the person interacts first.
import { aTimeout, expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../widget/csat-survey.js';
import { AUTO_SEND_DELAY_MS, type CsatResponseDetail, type CsatSurvey } from '../../widget/csat-survey.js';
import { apiUrl, createSite, createSurvey, storedAnswer } from './api.js';
import { shadow, text, until } from './dom.js';

describe('csat-survey with a preselected reaction', () => {
  let site: string;

  before(async () => (site = await createSite()));

  it('records it after about 1.2 s when the page is visible', async () => {
    expect(document.visibilityState).to.equal('visible');
    const token = await createSurvey(site);
    const api = await apiUrl();
    const started = performance.now();
    const sent = oneEvent(document, 'csat-response');
    const el = await fixture<CsatSurvey>(html`<csat-survey token=${token} api=${api} reaction="negative"></csat-survey>`);
    await until(() => shadow(el).querySelectorAll('.reactions button').length === 3, 'the survey asks');
    const pressed = [...shadow(el).querySelectorAll('.reactions button')].map((b) => `${text(b)}:${b.getAttribute('aria-pressed')}`);
    expect(pressed).to.deep.equal(['😀 Good:false', '😐 Okay:false', '😞 Bad:true']);
    expect((await storedAnswer(token)).answered, 'not sent at once').to.equal(false);

    const event = (await sent) as CustomEvent<CsatResponseDetail>;
    const elapsed = performance.now() - started;
    expect(event.detail).to.include({ reaction: 'negative', created: true });
    expect(elapsed, 'ms before sending').to.be.within(AUTO_SEND_DELAY_MS - 50, AUTO_SEND_DELAY_MS + 3000);
    await until(async () => (await storedAnswer(token)).reaction === 'negative', 'the API has the negative reaction');
  });

  it('preselects a number of a CSAT or NPS scale (reaction="9") and records it as that score', async () => {
    const nps = await createSite({ kind: 'nps' });
    const token = await createSurvey(nps);
    const sent = oneEvent(document, 'csat-response');
    const el = await fixture<CsatSurvey>(html`<csat-survey token=${token} api=${await apiUrl()} reaction="9"></csat-survey>`);
    await until(() => shadow(el).querySelectorAll('.reactions button').length === 11, 'the survey asks');
    const pressed = [...shadow(el).querySelectorAll('.reactions button[aria-pressed="true"]')].map((b) => text(b));
    expect(pressed).to.deep.equal(['9']);
    const event = (await sent) as CustomEvent<CsatResponseDetail>;
    expect(event.detail).to.include({ reaction: 'positive', score: 9, created: true });
    expect(await storedAnswer(token)).to.include({ reaction: 'positive', score: 9 });
  });

  it('ignores a preselection that is not on the scale (reaction="positive" on an NPS survey)', async () => {
    const nps = await createSite({ kind: 'nps' });
    const token = await createSurvey(nps);
    const el = await fixture<CsatSurvey>(html`<csat-survey token=${token} api=${await apiUrl()} reaction="positive"></csat-survey>`);
    await until(() => shadow(el).querySelectorAll('.reactions button').length === 11, 'the survey asks');
    expect(shadow(el).querySelectorAll('.reactions button[aria-pressed="true"]')).to.have.length(0);
    await aTimeout(AUTO_SEND_DELAY_MS + 500);
    expect((await storedAnswer(token)).answered).to.equal(false);
  });

  it('is not sent when the person interacts first (before or after the page loaded the survey)', async () => {
    const early = await createSurvey(site);
    const late = await createSurvey(site);
    const api = await apiUrl();
    let events = 0;
    const count = () => events++;
    document.addEventListener('csat-response', count);
    const pointerdown = () => new PointerEvent('pointerdown', { bubbles: true, composed: true });
    try {
      // Right after creating it: before the survey's state arrived.
      const first = await fixture<CsatSurvey>(html`<csat-survey token=${early} api=${api} reaction="positive"></csat-survey>`);
      first.dispatchEvent(pointerdown());
      // Once it asks: the pending send is already scheduled.
      const second = await fixture<CsatSurvey>(html`<csat-survey token=${late} api=${api} reaction="positive"></csat-survey>`);
      await until(() => shadow(second).querySelectorAll('.reactions button').length === 3, 'the second survey asks');
      second.dispatchEvent(pointerdown());
      await aTimeout(2000);
      expect((await storedAnswer(early)).answered, 'interaction before load').to.equal(false);
      expect((await storedAnswer(late)).answered, 'interaction after load').to.equal(false);
      expect(events).to.equal(0);
      expect(shadow(first).querySelectorAll('.reactions button')).to.have.length(3);
    } finally {
      document.removeEventListener('csat-response', count);
    }
  });
});
