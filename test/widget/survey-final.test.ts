// After the change window an answer is final: read-only, with no buttons. These tests move the API's
// clock, which every test shares: each puts it back (the runner runs one file at a time).
import { expect, fixture, html } from '@open-wc/testing';
import '../../widget/csat-survey.js';
import type { CsatSurvey } from '../../widget/csat-survey.js';
import { advanceClock, answer, apiUrl, createSite, createSurvey, resetClock, storedAnswer } from './api.js';
import { shadow, text, until } from './dom.js';

const FINAL = 'This answer is final.';
const CHANGE_WINDOW_DAYS = 1;

async function survey(token: string) {
  const el = await fixture<CsatSurvey>(html`<csat-survey token=${token} api=${await apiUrl()}></csat-survey>`);
  await until(() => text(shadow(el)).includes('Your answer'), 'the survey shows the answer');
  return el;
}

function expectFinal(el: CsatSurvey) {
  const root = shadow(el);
  expect(text(root)).to.contain(FINAL);
  expect(root.querySelectorAll('button'), 'buttons').to.have.length(0);
  expect(root.querySelector('textarea'), 'a comment box').to.equal(null);
}

describe('csat-survey after the change window', () => {
  let site: string;

  before(async () => (site = await createSite({ changeWindowDays: CHANGE_WINDOW_DAYS })));
  afterEach(() => resetClock());

  it('shows an answer given before the window as final, read-only, with its comment as text', async () => {
    const comment = '<img src=x onerror=alert(1)>';
    // Answer three days ago (server time), so the window closed by the API's clock and the browser's.
    await advanceClock(-(CHANGE_WINDOW_DAYS + 2));
    const token = await createSurvey(site);
    expect(await answer(token, 'negative', comment, ['responsiveness', 'empathy'])).to.equal(201);
    await resetClock();

    const el = await survey(token);
    expectFinal(el);
    expect(text(shadow(el))).to.contain('Your answer: 😞 Bad');
    expect(text(shadow(el))).to.contain('What mattered most? Responsiveness: quick and willing help · Empathy: understanding my situation');
    const shown = shadow(el).querySelector('.answer');
    expect(shown?.textContent).to.equal(comment);
    expect(shadow(el).querySelector('img'), 'an img element').to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('shows the answer as final once the API says its window closed (clock advanced past it)', async () => {
    const token = await createSurvey(site);
    expect(await answer(token, 'positive')).to.equal(201);
    const open = await survey(token);
    expect(shadow(open).querySelectorAll('.reactions button'), 'change buttons while the window is open').to.have.length(2);

    // The API's clock is now past the window; the browser's is not (as with a visitor whose clock is
    // behind the server's). The API is the authority on whether the answer may still change.
    await advanceClock(CHANGE_WINDOW_DAYS + 1);
    expect(await answer(token, 'negative'), 'the API refuses a change').to.equal(409);

    const el = await survey(token);
    expectFinal(el);
  });

  it('a change tried after the window closed ends in the final state, not a silent no-op', async () => {
    const token = await createSurvey(site);
    expect(await answer(token, 'positive')).to.equal(201);
    const el = await survey(token);
    const bad = [...shadow(el).querySelectorAll<HTMLButtonElement>('.reactions button')].find((b) => text(b).endsWith('Bad'));
    expect(bad, 'a "Bad" button under "Changed your mind?"').to.exist;

    await advanceClock(CHANGE_WINDOW_DAYS + 1);
    let events = 0;
    const count = () => events++;
    document.addEventListener('csat-response', count);
    try {
      bad!.click();
      await until(async () => {
        await el.updateComplete;
        return text(shadow(el)).includes(FINAL);
      }, 'the survey says the answer is final', 3000);
      expectFinal(el);
      expect(events).to.equal(0);
      expect((await storedAnswer(token)).reaction).to.equal('positive');
    } finally {
      document.removeEventListener('csat-response', count);
    }
  });
});
