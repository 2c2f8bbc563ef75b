// The survey page of each kind over HTTP, without JavaScript: the controls it shows (three reactions,
// a CSAT scale, NPS 0-10), a form answer recorded with its value, a change of mind, "what mattered
// most?" saved with the comment form, the follow-up question of the answer's class, and bad input
// refused with a 400 page that records nothing. A GET never records.
import { describe, expect, it } from 'vitest';
import { DIMENSIONS } from '../../../api/domain/dimensions.js';
import type { SurveyKind } from '../../../api/domain/kinds.js';
import { VOCABULARY } from '../../../api/domain/vocabulary.js';
import { testApi } from '../helpers.js';

type Api = Awaited<ReturnType<typeof testApi>>;
const ORIGIN = 'http://localhost'; // the origin of app.request()'s URLs

/** A form post as a browser sends it; `fields` may repeat a name (the dimension checkboxes). */
function post(t: Api, token: string, fields: [string, string][]) {
  return t.app.request(`/s/${token}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: ORIGIN },
    body: new URLSearchParams(fields).toString(),
  });
}

interface Answer {
  answered?: boolean;
  reaction: string;
  score: number | null;
  dimensions: string[];
  comment: string | null;
}

const answerOf = async (t: Api, token: string): Promise<Answer | null> => {
  const res = await t.app.request(`/v1/responses/${token}`);
  if (res.status !== 200) return null;
  const body = (await res.json()) as Answer;
  return body.answered === false ? null : body;
};

async function survey(kind: SurveyKind, scale: number | null = null, locale?: 'en' | 'fr' | 'ar') {
  const t = await testApi({ site: { kind, scale, ...(locale ? { locale } : {}) } });
  const { token } = await t.createSurvey('T-7');
  return { t, token };
}

const page = async (t: Api, path: string) => {
  const res = await t.app.request(path);
  expect(res.status).toBe(200);
  return res.text();
};

/** The score buttons of a page: value, pressed state and accessible name, in page order. */
const scoreButtons = (html: string) =>
  [...html.matchAll(/<button type="submit" name="score" value="(\d+)" class="point" aria-pressed="(true|false)" aria-label="([^"]*)"/g)].map((m) => ({
    value: Number(m[1]),
    pressed: m[2] === 'true',
    name: m[3]!,
  }));

describe('the survey page of each kind', () => {
  it('reaction surveys keep their three reaction buttons and no score', async () => {
    const { t, token } = await survey('reaction');
    const html = await page(t, `/s/${token}`);
    expect(html).toContain('How did we do on this request?');
    for (const r of ['positive', 'neutral', 'negative']) expect(html).toMatch(new RegExp(`name="reaction" value="${r}"`));
    expect(scoreButtons(html)).toEqual([]);
  });

  for (const scale of [3, 5, 10]) {
    it(`CSAT 1-${scale}: one submit button per value with "n out of ${scale}" and the scale's end labels`, async () => {
      const { t, token } = await survey('csat', scale);
      const html = await page(t, `/s/${token}`);
      expect(html).toContain(VOCABULARY.en.question.csat);
      const buttons = scoreButtons(html);
      expect(buttons.map((b) => b.value)).toEqual(Array.from({ length: scale }, (_, i) => i + 1));
      expect(buttons.every((b) => !b.pressed)).toBe(true);
      expect(buttons[0]!.name).toBe(`1 out of ${scale} (Very dissatisfied)`);
      expect(buttons[1]!.name).toBe(`2 out of ${scale}`);
      expect(buttons[scale - 1]!.name).toBe(`${scale} out of ${scale} (Very satisfied)`);
      expect(html).toContain('1: Very dissatisfied');
      expect(html).toContain(`${scale}: Very satisfied`);
      expect(html).not.toContain('name="reaction"');
      expect(html).not.toContain('<script'); // no preselection, nothing to send by itself
    });
  }

  it('NPS: eleven buttons 0..10, read out "7 out of 10", with its end labels', async () => {
    const { t, token } = await survey('nps');
    const html = await page(t, `/s/${token}`);
    expect(html).toContain(VOCABULARY.en.question.nps);
    const buttons = scoreButtons(html);
    expect(buttons.map((b) => b.value)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(buttons[7]!.name).toBe('7 out of 10');
    expect(buttons[0]!.name).toBe('0 out of 10 (Not at all likely)');
    expect(buttons[10]!.name).toBe('10 out of 10 (Extremely likely)');
    expect(html).toContain('class="scale points-11" role="group"');
  });

  it('?r=<value> preselects a score and arms the one-click script, but a GET never records', async () => {
    const { t, token } = await survey('nps');
    for (const method of ['GET', 'HEAD', 'GET']) expect((await t.app.request(`/s/${token}?r=9`, { method })).status).toBe(200);
    const html = await page(t, `/s/${token}?r=9`);
    expect(scoreButtons(html).filter((b) => b.pressed).map((b) => b.value)).toEqual([9]);
    expect(html).toContain('data-autosubmit="9"');
    expect(html).toContain('Press “9 out of 10” to send your answer.');
    expect(await answerOf(t, token)).toBeNull();
    expect(await t.store.listEvents(t.site.id)).toEqual([]);
    // Values off the scale, reactions and odd spellings preselect nothing.
    for (const r of ['11', '-1', 'positive', '09', '9.0', '']) {
      expect(await page(t, `/s/${token}?r=${encodeURIComponent(r)}`), r).not.toContain('data-autosubmit');
    }
  });

  it('CSAT: a value off the scale is not preselected (0 and 6 on a 1-5 scale)', async () => {
    const { t, token } = await survey('csat', 5);
    expect(await page(t, `/s/${token}?r=0`)).not.toContain('data-autosubmit');
    expect(await page(t, `/s/${token}?r=6`)).not.toContain('data-autosubmit');
    expect(await page(t, `/s/${token}?r=4`)).toContain('data-autosubmit="4"');
  });

  it('NPS: a score posted by the form is recorded with its value and class; the page then asks the class follow-up', async () => {
    const { t, token } = await survey('nps');
    const res = await post(t, token, [['score', '8'], ['comment', 'Fast fix']]);
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).toBe(`/s/${token}?saved=1`);
    expect(await answerOf(t, token)).toMatchObject({ reaction: 'neutral', score: 8, comment: 'Fast fix', dimensions: [] });
    const html = await page(t, `/s/${token}?saved=1`);
    expect(html).toContain('Your answer: 8 out of 10');
    expect(html).toContain(`<label for="comment">${VOCABULARY.en.followUp.nps.neutral}</label>`); // "What would make it a 10?"
    expect(html).toContain(`<legend>${VOCABULARY.en.dimensionsQuestion}</legend>`);
    for (const d of DIMENSIONS) expect(html).toContain(`name="dimensions" value="${d}"`);
    // The whole scale stays offered, the current answer pressed; the save button posts it again.
    expect(scoreButtons(html).filter((b) => b.pressed).map((b) => b.value)).toEqual([8]);
    expect(html).toContain('<button type="submit" name="score" value="8" class="save">');
    // The receipt line speaks of an answer, not a reaction.
    expect(html).toMatch(/Your answer is entry #\d+ of Acme IT’s public log\./);
  });

  it('CSAT: a change of mind is recorded, and the follow-up follows the new class', async () => {
    const { t, token } = await survey('csat', 5);
    expect((await post(t, token, [['score', '5']])).status).toBe(303);
    expect(await page(t, `/s/${token}`)).toContain(`<label for="comment">${VOCABULARY.en.followUp.csat.positive}</label>`);
    expect((await post(t, token, [['score', '2']])).status).toBe(303);
    expect(await answerOf(t, token)).toMatchObject({ reaction: 'negative', score: 2 });
    const html = await page(t, `/s/${token}`);
    expect(html).toContain('Your answer: 2 out of 5');
    expect(html).toContain(`<label for="comment">${VOCABULARY.en.followUp.csat.negative}</label>`);
    expect((await t.store.listEvents(t.site.id)).length).toBe(2);
  });

  it('"what mattered most?" is saved with the comment form, shown ticked, and cleared by posting none', async () => {
    const { t, token } = await survey('csat', 10);
    await post(t, token, [['score', '9']]);
    // As the answered page posts it: the save button's answer, the hidden empty entry, the ticked boxes.
    const save = await post(t, token, [['score', '9'], ['comment', 'Kept me informed'], ['dimensions', ''], ['dimensions', 'tangibles'], ['dimensions', 'responsiveness']]);
    expect(save.status).toBe(303);
    expect(save.headers.get('Location')).toBe(`/s/${token}?saved=comment`);
    expect(await answerOf(t, token)).toMatchObject({ score: 9, comment: 'Kept me informed', dimensions: ['responsiveness', 'tangibles'] });
    const html = await page(t, `/s/${token}?saved=comment`);
    expect(html).toContain('Comment saved.');
    expect(html).toContain('value="responsiveness" checked');
    expect(html).toContain('value="tangibles" checked');
    expect(html).not.toContain('value="empathy" checked');
    // A post without the field keeps the choice; the page's own form with nothing ticked clears it.
    await post(t, token, [['score', '9'], ['comment', 'Kept me informed']]);
    expect((await answerOf(t, token))!.dimensions).toEqual(['responsiveness', 'tangibles']);
    await post(t, token, [['score', '9'], ['comment', 'Kept me informed'], ['dimensions', '']]);
    expect((await answerOf(t, token))!.dimensions).toEqual([]);
  });

  it('reaction surveys get the dimensions too, saved with the same reaction', async () => {
    const { t, token } = await survey('reaction');
    await post(t, token, [['reaction', 'negative']]);
    const html = await page(t, `/s/${token}`);
    expect(html).toContain(`<label for="comment">${VOCABULARY.en.followUp.reaction.negative}</label>`);
    await post(t, token, [['reaction', 'negative'], ['dimensions', ''], ['dimensions', 'reliability']]);
    expect(await answerOf(t, token)).toMatchObject({ reaction: 'negative', score: null, dimensions: ['reliability'] });
  });

  const BAD: [string, SurveyKind, number | null, [string, string][], RegExp][] = [
    ['a number above the scale', 'csat', 5, [['score', '6']], /Please choose a number from 1 to 5\./],
    ['zero on a CSAT scale', 'csat', 3, [['score', '0']], /Please choose a number from 1 to 3\./],
    ['eleven on NPS', 'nps', null, [['score', '11']], /Please choose a number from 0 to 10\./],
    ['a fraction', 'nps', null, [['score', '7.5']], /from 0 to 10/],
    ['a padded number', 'nps', null, [['score', '07']], /from 0 to 10/],
    ['a word', 'csat', 10, [['score', 'ten']], /from 1 to 10/],
    ['no score at all', 'nps', null, [['comment', 'hi']], /from 0 to 10/],
    ['a reaction on an NPS survey', 'nps', null, [['reaction', 'positive']], /from 0 to 10/],
    ['a score on a reaction survey', 'reaction', null, [['score', '1']], /Please choose one of the three reactions\./],
    ['a score sent twice', 'csat', 5, [['score', '4'], ['score', '5']], /from 1 to 5/],
    ['an unknown dimension', 'nps', null, [['score', '9'], ['dimensions', 'price']], /listed answers/],
    ['a dimension twice', 'csat', 5, [['score', '4'], ['dimensions', 'empathy'], ['dimensions', 'empathy']], /listed answers/],
  ];
  for (const [what, kind, scale, fields, message] of BAD) {
    it(`refuses ${what} with a 400 page and records nothing`, async () => {
      const { t, token } = await survey(kind, scale);
      const res = await post(t, token, fields);
      expect(res.status).toBe(400);
      const html = await res.text();
      expect(html).toMatch(/<p class="status problem" role="alert">/);
      expect(html).toMatch(message);
      expect(await answerOf(t, token)).toBeNull();
      expect(await t.store.listEvents(t.site.id)).toEqual([]);
    });
  }

  it('a bad score after an answer changes nothing and keeps what the person typed', async () => {
    const { t, token } = await survey('csat', 5);
    await post(t, token, [['score', '4'], ['dimensions', ''], ['dimensions', 'assurance']]);
    const res = await post(t, token, [['score', '9'], ['comment', 'draft text'], ['dimensions', ''], ['dimensions', 'empathy']]);
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('draft text');
    expect(html).toContain('value="empathy" checked');
    expect(await answerOf(t, token)).toMatchObject({ score: 4, dimensions: ['assurance'], comment: null });
    expect((await t.store.listEvents(t.site.id)).length).toBe(1);
  });

  it('speaks French and Arabic (right to left) with the vocabulary’s words', async () => {
    for (const locale of ['fr', 'ar'] as const) {
      const { t, token } = await survey('nps', null, locale);
      const html = await page(t, `/s/${token}`);
      expect(html).toContain(`lang="${locale}" dir="${locale === 'ar' ? 'rtl' : 'ltr'}"`);
      expect(html).toContain(VOCABULARY[locale].question.nps);
      expect(scoreButtons(html)[3]!.name).toBe(VOCABULARY[locale].valueOf.replace('{value}', '3').replace('{max}', '10'));
      await post(t, token, [['score', '3']]);
      const answered = await page(t, `/s/${token}`);
      expect(answered).toContain(VOCABULARY[locale].followUp.nps.negative);
      expect(answered).toContain(VOCABULARY[locale].dimensions.empathy);
    }
  });

  it('the one-click link of a numbered survey counts toward the scanner rules by class', async () => {
    const { t, token } = await survey('nps');
    // A scanner opens every number: links of different classes within moments mark the survey scanned.
    for (const v of [0, 7, 10]) await t.app.request(`/s/${token}?r=${v}`);
    const res = await post(t, token, [['score', '10'], ['auto', '1']]);
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).toBe(`/s/${token}`); // held, not counted
    expect(await answerOf(t, token)).toBeNull();
    const confirm = await page(t, `/s/${token}`);
    expect(confirm).toContain('Please confirm your answer');
    expect(confirm).toContain('Your answer: 10 out of 10');
    expect(confirm).toMatch(/<button type="submit" name="score" value="10"[^>]*>Confirm<\/button>/);
    expect((await post(t, token, [['score', '10']])).status).toBe(303);
    expect(await answerOf(t, token)).toMatchObject({ reaction: 'positive', score: 10 });
  });
});
