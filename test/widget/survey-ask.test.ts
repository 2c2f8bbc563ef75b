// <csat-survey>: asking, answering, commenting and changing one's mind, against the real API.
import { aTimeout, expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import '../../widget/csat-survey.js';
import type { CsatResponseDetail, CsatSurvey } from '../../widget/csat-survey.js';
import { answer, apiUrl, createSite, createSurvey, storedAnswer } from './api.js';
import { shadow, text, until } from './dom.js';

const reactionButtons = (el: CsatSurvey) => [...shadow(el).querySelectorAll<HTMLButtonElement>('.reactions button')];
const button = (el: CsatSurvey, label: string) => {
  const found = reactionButtons(el).find((b) => text(b).endsWith(label));
  if (!found) throw new Error(`no "${label}" button; buttons: ${reactionButtons(el).map((b) => text(b)).join(', ')}`);
  return found;
};
const asking = (el: CsatSurvey) => until(() => reactionButtons(el).length === 3, 'the survey asks');

/** csat-response events heard on the document (so only bubbling, composed events count). */
function listen() {
  const events: CustomEvent<CsatResponseDetail>[] = [];
  const on = (event: Event) => events.push(event as CustomEvent<CsatResponseDetail>);
  document.addEventListener('csat-response', on);
  return { events, stop: () => document.removeEventListener('csat-response', on) };
}

describe('csat-survey', () => {
  let site: string;
  let heard: ReturnType<typeof listen>;

  before(async () => (site = await createSite()));
  beforeEach(() => (heard = listen()));
  afterEach(() => heard.stop());

  async function survey(token: string) {
    return fixture<CsatSurvey>(html`<csat-survey token=${token} api=${await apiUrl()}></csat-survey>`);
  }

  it('asks with three reaction buttons, none pressed, and loading it records nothing', async () => {
    const token = await createSurvey(site);
    const el = await survey(token);
    await asking(el);
    expect(reactionButtons(el).map((b) => text(b))).to.deep.equal(['😀 Good', '😐 Okay', '😞 Bad']);
    expect(reactionButtons(el).map((b) => b.getAttribute('aria-pressed'))).to.deep.equal(['false', 'false', 'false']);
    expect(shadow(el).querySelector('[role="group"]')?.getAttribute('aria-label')).to.equal('How did we do on this request?');
    await aTimeout(2000);
    const stored = await storedAnswer(token);
    expect(stored.status, 'an unanswered survey is not an error (no red line in the console)').to.equal(200);
    expect(stored.answered).to.equal(false);
    expect(heard.events).to.have.length(0);
  });

  it('records a click, fires one csat-response, then takes a comment and a change of mind', async () => {
    const token = await createSurvey(site);
    const el = await survey(token);
    await asking(el);

    // The first reaction.
    const first = oneEvent(document, 'csat-response');
    button(el, 'Good').click();
    const created = (await first) as CustomEvent<CsatResponseDetail>;
    expect(created.detail).to.include({ reaction: 'positive', created: true });
    expect(created.bubbles, 'bubbles').to.equal(true);
    expect(created.composed, 'composed').to.equal(true);
    expect(created.target).to.equal(el);
    expect((await storedAnswer(token)).reaction).to.equal('positive');
    await el.updateComplete;
    expect(heard.events, 'csat-response events after one click').to.have.length(1);
    expect(text(shadow(el).querySelector('.note.ok'))).to.equal('Thank you! Your answer was saved.');

    // The comment box appears, asking the follow-up of a positive answer; type into it and save.
    const textarea = shadow(el).querySelector('textarea');
    expect(textarea, 'a comment box').to.exist;
    expect(text(shadow(el).querySelector('label[for="comment"]'))).to.equal('What did we do well? (optional)');
    textarea!.focus();
    await sendKeys({ type: 'Quick and friendly' });
    const save = [...shadow(el).querySelectorAll('button')].find((b) => text(b) === 'Save');
    expect(save, 'a "Save" button').to.exist;
    const saved = oneEvent(document, 'csat-response');
    save!.click();
    expect(((await saved) as CustomEvent<CsatResponseDetail>).detail).to.include({ reaction: 'positive', comment: 'Quick and friendly', created: false });
    const withComment = await storedAnswer(token);
    expect(withComment).to.include({ reaction: 'positive', comment: 'Quick and friendly' });
    // The live region's text changes, so a screen reader announces the saved comment.
    await el.updateComplete;
    const status = shadow(el).querySelector('.note.ok');
    expect(status?.getAttribute('role')).to.equal('status');
    expect(text(status)).to.equal('Saved. Thank you!');

    // "Changed your mind?" offers the two other reactions.
    await el.updateComplete;
    const group = shadow(el).querySelector('[role="group"][aria-label="Changed your mind?"]');
    expect(group, 'a "Changed your mind?" group').to.exist;
    expect([...group!.querySelectorAll('button')].map((b) => text(b))).to.deep.equal(['😐 Okay', '😞 Bad']);
    const changed = oneEvent(document, 'csat-response');
    button(el, 'Bad').click();
    expect(((await changed) as CustomEvent<CsatResponseDetail>).detail).to.include({ reaction: 'negative', created: false });
    expect(await storedAnswer(token)).to.include({ reaction: 'negative', comment: 'Quick and friendly' });
    await el.updateComplete;
    expect(text(shadow(el))).to.contain('Your answer: 😞 Bad');
    expect(heard.events).to.have.length(3);
  });

  it('keeps the three reactions in one row of equal buttons at 320 px', async () => {
    await setViewport({ width: 320, height: 640 });
    try {
      for (const lang of ['en', 'fr', 'ar']) {
        const el = await fixture<CsatSurvey>(html`<csat-survey token=${await createSurvey(site)} api=${await apiUrl()} lang=${lang}></csat-survey>`);
        await asking(el);
        const boxes = reactionButtons(el).map((b) => b.getBoundingClientRect());
        expect(new Set(boxes.map((b) => Math.round(b.top))).size, `${lang}: one row`).to.equal(1);
        expect(Math.max(...boxes.map((b) => b.width)) - Math.min(...boxes.map((b) => b.width)), `${lang}: equal widths`).to.be.below(1);
        expect(document.documentElement.scrollWidth, `${lang}: no sideways scroll`).to.be.at.most(innerWidth);
      }
    } finally {
      await setViewport({ width: 800, height: 600 });
    }
  });

  it('setting the token property from code fires no event', async () => {
    const fresh = await createSurvey(site);
    const answered = await createSurvey(site);
    expect(await answer(answered, 'neutral')).to.equal(201);
    const el = await fixture<CsatSurvey>(html`<csat-survey api=${await apiUrl()}></csat-survey>`);
    el.token = fresh;
    await asking(el);
    el.token = answered;
    await until(() => text(shadow(el)).includes('Your answer: 😐 Okay'), 'the answered token shows its answer');
    await aTimeout(100);
    expect(heard.events).to.have.length(0);
    expect((await storedAnswer(fresh)).answered).to.equal(false);
    expect((await storedAnswer(answered)).reaction).to.equal('neutral');
  });

  it('says an invalid token is not valid, as an alert', async () => {
    const el = await survey('not-a-real-token');
    await until(() => shadow(el).querySelector('[role="alert"]'), 'the alert shows');
    expect(text(shadow(el).querySelector('[role="alert"]'))).to.equal('This survey link is not valid.');
    expect(reactionButtons(el)).to.have.length(0);
    await expect(el).to.be.accessible();
  });

  it('is accessible while asking', async () => {
    const el = await survey(await createSurvey(site));
    await asking(el);
    await expect(el).to.be.accessible();
  });

  it('is accessible once answered (comment box, change buttons)', async () => {
    const token = await createSurvey(site);
    expect(await answer(token, 'positive', 'Fine')).to.equal(201);
    const el = await survey(token);
    await until(() => shadow(el).querySelector('textarea'), 'the answered survey shows the comment box');
    expect(shadow(el).querySelector('textarea')!.value).to.equal('Fine');
    await expect(el).to.be.accessible();
  });
});
