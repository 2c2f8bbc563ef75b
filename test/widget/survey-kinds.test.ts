// <csat-survey> in each survey kind, answered with the keyboard only against the real API: the row of
// answers (reactions, CSAT 1-3 / 1-5 stars / 1-10, NPS 0-10 with its ends), the follow-up of the answer's
// class, "What mattered most?" saved by re-posting the same answer, and a change of mind.
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import '../../widget/csat-survey.js';
import type { CsatSurvey } from '../../widget/csat-survey.js';
import { apiUrl, createSite, createSurvey, storedAnswer, type SiteOptions } from './api.js';
import { shadow, text, until } from './dom.js';

interface Case {
  name: string;
  site: SiteOptions;
  /** The answer buttons' texts, in order. */
  buttons: string[];
  /** The scale's end labels, when it has them. */
  ends: [string, string] | null;
  /** The first answer: the button's index, what the API stores, the follow-up asked. */
  first: { index: number; stored: { reaction: string; score: number | null }; followUp: string };
  /** The change of mind: the button's text in the "Changed your mind?" row, what is stored, the follow-up. */
  change: { button: string; stored: { reaction: string; score: number | null }; followUp: string };
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => String(from + i));

const CASES: Case[] = [
  {
    name: 'reaction',
    site: {},
    buttons: ['😀 Good', '😐 Okay', '😞 Bad'],
    ends: null,
    first: { index: 0, stored: { reaction: 'positive', score: null }, followUp: 'What did we do well? (optional)' },
    change: { button: '😞 Bad', stored: { reaction: 'negative', score: null }, followUp: 'What went wrong? (optional)' },
  },
  {
    name: 'CSAT 1-3',
    site: { kind: 'csat', scale: 3 },
    buttons: range(1, 3),
    ends: ['Very dissatisfied', 'Very satisfied'],
    first: { index: 1, stored: { reaction: 'neutral', score: 2 }, followUp: 'What could we have done better? (optional)' },
    change: { button: '3', stored: { reaction: 'positive', score: 3 }, followUp: 'What did we do well? (optional)' },
  },
  {
    name: 'CSAT 1-5 (stars)',
    site: { kind: 'csat', scale: 5 },
    buttons: range(1, 5).map((n) => `★${n}`),
    ends: ['Very dissatisfied', 'Very satisfied'],
    first: { index: 3, stored: { reaction: 'positive', score: 4 }, followUp: 'What did we do well? (optional)' },
    change: { button: '★2', stored: { reaction: 'negative', score: 2 }, followUp: 'What went wrong? (optional)' },
  },
  {
    name: 'CSAT 1-10',
    site: { kind: 'csat', scale: 10 },
    buttons: range(1, 10),
    ends: ['Very dissatisfied', 'Very satisfied'],
    first: { index: 7, stored: { reaction: 'positive', score: 8 }, followUp: 'What did we do well? (optional)' },
    change: { button: '6', stored: { reaction: 'neutral', score: 6 }, followUp: 'What could we have done better? (optional)' },
  },
  {
    name: 'NPS 0-10',
    site: { kind: 'nps' },
    buttons: range(0, 10),
    ends: ['Not at all likely', 'Extremely likely'],
    first: { index: 9, stored: { reaction: 'positive', score: 9 }, followUp: 'What do you value most about working with us? (optional)' },
    change: { button: '6', stored: { reaction: 'negative', score: 6 }, followUp: 'What should we improve first? (optional)' },
  },
];

const answerButtons = (el: CsatSurvey) => [...shadow(el).querySelectorAll<HTMLButtonElement>('.reactions button')];
const focused = (el: CsatSurvey) => shadow(el).activeElement as HTMLElement | null;

/** Presses Tab until the focus is on `target` inside the survey (at most `limit` presses). */
async function tabTo(el: CsatSurvey, target: () => Element | null | undefined, what: string, limit = 20) {
  for (let i = 0; i < limit; i++) {
    if (focused(el) && focused(el) === target()) return;
    await sendKeys({ press: 'Tab' });
  }
  throw new Error(`Tab never reached ${what}; focus on ${focused(el)?.outerHTML.slice(0, 80)}`);
}

for (const c of CASES) {
  describe(`csat-survey, ${c.name}, keyboard only`, () => {
    let site: string;
    before(async () => (site = await createSite(c.site)));
    afterEach(() => setViewport({ width: 800, height: 600 }));

    async function survey(token: string) {
      (document.activeElement as HTMLElement | null)?.blur();
      const el = await fixture<CsatSurvey>(html`<csat-survey token=${token} api=${await apiUrl()}></csat-survey>`);
      await until(() => answerButtons(el).length === c.buttons.length, 'the survey asks');
      return el;
    }

    it('asks with its row of answers, none pressed, the scale named at its ends, and is accessible', async () => {
      const el = await survey(await createSurvey(site));
      expect(answerButtons(el).map((b) => text(b))).to.deep.equal(c.buttons);
      expect(answerButtons(el).map((b) => b.getAttribute('aria-pressed'))).to.deep.equal(c.buttons.map(() => 'false'));
      const group = shadow(el).querySelector('[role="group"]')!;
      expect(group.getAttribute('aria-label')).to.equal(text(shadow(el).querySelector('.q')));
      const ends = shadow(el).querySelector('.ends');
      if (c.ends) {
        expect([...ends!.children].map((s) => text(s))).to.deep.equal(c.ends);
        expect(group.getAttribute('aria-describedby'), 'the ends describe the row').to.equal(ends!.id);
      } else expect(ends).to.equal(null);
      await expect(el).to.be.accessible();
    });

    it('keeps its answers in one row on a 320 px phone', async () => {
      await setViewport({ width: 320, height: 640 });
      const el = await survey(await createSurvey(site));
      const tops = answerButtons(el).map((b) => Math.round(b.getBoundingClientRect().top));
      expect(new Set(tops).size, 'one row').to.equal(1);
      for (const b of answerButtons(el)) expect(b.scrollWidth, `"${text(b)}" fits its button`).to.be.at.most(b.clientWidth + 1);
      expect(document.documentElement.scrollWidth, 'no sideways scroll').to.be.at.most(innerWidth);
    });

    it('answers, asks the follow-up of the class, saves the comment and dimensions, and takes a change of mind', async () => {
      const token = await createSurvey(site);
      const el = await survey(token);

      // The answer, by Tab and Enter.
      await tabTo(el, () => answerButtons(el)[c.first.index], `answer #${c.first.index}`);
      await sendKeys({ press: 'Enter' });
      await until(() => shadow(el).querySelector('textarea'), 'the answer is saved and the comment box shows');
      expect(await storedAnswer(token)).to.include({ answered: true, ...c.first.stored });
      expect(text(shadow(el).querySelector('label[for="comment"]'))).to.equal(c.first.followUp);
      const legend = text(shadow(el).querySelector('legend'));
      expect(legend).to.equal('What mattered most? (optional, choose any)');
      const boxes = [...shadow(el).querySelectorAll<HTMLInputElement>('input[type="checkbox"]')];
      expect(boxes.map((b) => b.value)).to.deep.equal(['reliability', 'responsiveness', 'assurance', 'empathy', 'tangibles']);
      await expect(el).to.be.accessible();

      // The comment and two dimensions, then Save, all by keyboard.
      await tabTo(el, () => shadow(el).querySelector('textarea'), 'the comment box', 3);
      await sendKeys({ type: 'Quick' });
      await tabTo(el, () => boxes[0], 'Reliability');
      await sendKeys({ press: 'Space' });
      await tabTo(el, () => boxes[2], 'Assurance');
      await sendKeys({ press: 'Space' });
      const save = [...shadow(el).querySelectorAll('button')].find((b) => text(b) === 'Save')!;
      await tabTo(el, () => save, 'Save');
      await sendKeys({ press: 'Enter' });
      await until(() => text(shadow(el).querySelector('.note.ok')) === 'Saved. Thank you!', 'the details are saved');
      expect(await storedAnswer(token)).to.deep.include({ ...c.first.stored, comment: 'Quick', dimensions: ['reliability', 'assurance'] });
      expect(focused(el), 'the focus stays on Save').to.equal(save);

      // A change of mind keeps the comment and the dimensions.
      const group = shadow(el).querySelector('[role="group"][aria-label="Changed your mind?"]')!;
      const other = () => [...group.querySelectorAll('button')].find((b) => text(b) === c.change.button);
      await tabTo(el, other, c.change.button);
      await sendKeys({ press: 'Enter' });
      await until(async () => (await storedAnswer(token)).score === c.change.stored.score && (await storedAnswer(token)).reaction === c.change.stored.reaction, 'the change is saved');
      expect(await storedAnswer(token)).to.deep.include({ ...c.change.stored, comment: 'Quick', dimensions: ['reliability', 'assurance'] });
      await until(() => text(shadow(el).querySelector('label[for="comment"]')) === c.change.followUp, 'the follow-up of the new class');
      const checked = [...shadow(el).querySelectorAll<HTMLInputElement>('input:checked')].map((b) => b.value);
      expect(checked).to.deep.equal(['reliability', 'assurance']);
      if (c.ends) {
        const pressed = [...group.querySelectorAll('button[aria-pressed="true"]')].map((b) => text(b));
        expect(pressed, 'the numbered row shows the current answer pressed').to.deep.equal([c.change.button]);
      }
      await expect(el).to.be.accessible();
    });
  });
}

describe('csat-survey, dimensions in other languages', () => {
  for (const [lang, legend, first] of [
    ['fr', 'Qu’est-ce qui a compté le plus ? (facultatif, plusieurs choix)', 'Fiabilité : bien faire du premier coup'],
    ['ar', 'ما الأهم بالنسبة لك؟ (اختياري، يمكنك اختيار أكثر من إجابة)', 'الموثوقية: إنجاز العمل بشكل صحيح من أول مرة'],
  ] as const) {
    it(`asks "What mattered most?" in ${lang}`, async () => {
      const site = await createSite({ kind: 'nps' });
      const token = await createSurvey(site);
      const el = await fixture<CsatSurvey>(html`<csat-survey token=${token} api=${await apiUrl()} lang=${lang}></csat-survey>`);
      await until(() => answerButtons(el).length === 11, 'the survey asks');
      answerButtons(el)[10]!.click();
      await until(() => shadow(el).querySelector('legend'), 'the dimensions show');
      expect(text(shadow(el).querySelector('legend'))).to.equal(legend);
      expect(text(shadow(el).querySelector('label.d'))).to.equal(first);
      await expect(el).to.be.accessible();
    });
  }
});
