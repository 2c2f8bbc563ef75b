// A preselected reaction is never sent by itself in a browser driven as automation (navigator.webdriver),
// as a mail scanner's headless browser is; the person there presses a reaction.
import { aTimeout, expect, fixture, html } from '@open-wc/testing';
import '../../widget/csat-survey.js';
import { AUTO_SEND_DELAY_MS, type CsatSurvey } from '../../widget/csat-survey.js';
import { apiUrl, createSite, createSurvey, storedAnswer } from './api.js';
import { shadow, until } from './dom.js';

describe('csat-survey under automation', () => {
  it('does not send the preselected reaction when navigator.webdriver is true', async () => {
    expect(navigator.webdriver, 'the test browser itself looks like a person').to.equal(false);
    const site = await createSite();
    const token = await createSurvey(site);
    const api = await apiUrl();
    Object.defineProperty(navigator, 'webdriver', { get: () => true, configurable: true });
    try {
      const el = await fixture<CsatSurvey>(html`<csat-survey token=${token} api=${api} reaction="positive"></csat-survey>`);
      await until(() => shadow(el).querySelectorAll('.reactions button').length === 3, 'the survey asks');
      await aTimeout(AUTO_SEND_DELAY_MS + 1500);
      expect((await storedAnswer(token)).answered).to.equal(false);
    } finally {
      delete (navigator as unknown as Record<string, unknown>).webdriver;
    }
    expect(navigator.webdriver).to.equal(false);
  });
});
