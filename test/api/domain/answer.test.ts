import { describe, expect, it } from 'vitest';
import { answerOf, changeClosesAt, planAnswer, type ExistingAnswer } from '../../../api/domain/answer.js';
import { DAY_MS } from '../../../api/domain/window.js';
import type { StoredResponse, Submission, Survey } from '../../../api/store/types.js';

const T0 = Date.UTC(2026, 10, 2, 23, 30);
const WEEK = 7 * DAY_MS;

const survey = (over: Partial<Survey> = {}): Survey => ({
  id: 'sv_1', siteId: 4, ticketRef: 'T-1', tokenId: Buffer.alloc(16), team: 'desk', technician: 'ana',
  contactEmail: null, contactName: null, locale: null, createdAt: T0 - DAY_MS, expiresAt: T0 + 30 * DAY_MS,
  sealed: false, kind: 'reaction', scale: null, moment: 'ticket-closed', campaignId: null, ...over,
});
const submit = (over: Partial<Submission> = {}): Submission => ({ survey: survey(), reaction: 'negative', changeWindowMs: WEEK, ...over });

/** The stored answer a first plan describes, as a store would read it back. */
function stored(sub: Submission, now = T0): ExistingAnswer {
  const plan = planAnswer(null, sub, now, 'rs_1');
  if (plan.outcome !== 'created') throw new Error('expected a first answer');
  return { response: plan.response, followUp: plan.followUp, day: plan.day };
}

describe('planAnswer: a first answer', () => {
  it('stores the answer with its window fixed now, opens a follow-up, chains a submit and counts it on its day', () => {
    const plan = planAnswer(null, submit({ comment: 'slow', dimensions: ['responsiveness'], seeded: true }), T0, 'rs_new');
    expect(plan).toMatchObject({
      outcome: 'created',
      followUp: 'open',
      day: Math.floor(T0 / DAY_MS),
      webhook: 'response.created',
      previousReaction: null,
      response: { id: 'rs_new', siteId: 4, surveyId: 'sv_1', ticketRef: 'T-1', reaction: 'negative', value: -1, comment: 'slow',
        dimensions: ['responsiveness'], source: 'survey', createdAt: T0, updatedAt: T0, changeableUntil: T0 + WEEK },
      event: { type: 'submit', response: 'rs_new', reaction: 'negative', respondedAt: T0 },
      counts: { positive: 0, neutral: 0, negative: 1, seeded: 1, sealed: 0 },
      values: [{ kind: 'reaction', scale: null, moment: 'ticket-closed', value: -1, by: 1 }],
    });
    if (plan.outcome === 'created') expect(plan.event).not.toHaveProperty('value');
  });

  it('needs no follow-up for a positive answer and counts a sealed survey as sealed', () => {
    const plan = planAnswer(null, submit({ reaction: 'positive', survey: survey({ sealed: true }) }), T0, 'rs_2');
    expect(plan).toMatchObject({ followUp: 'none', counts: { positive: 1, sealed: 1, seeded: 0 } });
  });

  it('classes an NPS value and puts the value in the event', () => {
    const plan = planAnswer(null, { survey: survey({ kind: 'nps' }), value: 8, changeWindowMs: WEEK }, T0, 'rs_3');
    expect(plan).toMatchObject({ response: { reaction: 'neutral', value: 8 }, event: { value: 8 }, followUp: 'open' });
  });

  it('refuses a submission without an answer', () => {
    expect(() => answerOf({ survey: survey() })).toThrow(/value or a reaction/);
  });
});

describe('planAnswer: a change', () => {
  it('moves the class between counts of the first answer day, keeps the comment unless given, and chains a change', () => {
    const existing = stored(submit({ comment: 'slow' }));
    const later = T0 + 3 * DAY_MS;
    const plan = planAnswer(existing, submit({ reaction: 'positive' }), later, 'rs_unused');
    expect(plan).toMatchObject({
      outcome: 'changed',
      day: existing.day,
      webhook: 'response.changed',
      previousReaction: 'negative',
      followUp: 'open',
      response: { id: 'rs_1', reaction: 'positive', value: 1, comment: 'slow', createdAt: T0, updatedAt: later, changeableUntil: T0 + WEEK },
      event: { type: 'change', response: 'rs_1', reaction: 'positive', respondedAt: T0 },
      counts: { day: existing.day, positive: 1, neutral: 0, negative: -1, seeded: 0, sealed: 0 },
      values: [{ value: -1, by: -1, day: existing.day }, { value: 1, by: 1, day: existing.day }],
    });
  });

  it('moves no counts when only the comment changes, and null clears it', () => {
    const plan = planAnswer(stored(submit({ comment: 'slow' })), submit({ comment: null }), T0 + 1, 'x');
    expect(plan).toMatchObject({ outcome: 'changed', counts: null, values: [], response: { comment: null } });
  });

  it('opens a follow-up when a positive answer turns negative, and leaves a resolved one resolved', () => {
    const positive = stored(submit({ reaction: 'positive' }));
    expect(planAnswer(positive, submit(), T0 + 1, 'x')).toMatchObject({ followUp: 'open' });
    expect(planAnswer({ ...stored(submit()), followUp: 'resolved' }, submit({ reaction: 'neutral' }), T0 + 1, 'x')).toMatchObject({ followUp: 'resolved' });
  });

  it('closes at the window fixed at the first answer, whatever the window now asked for', () => {
    const existing = stored(submit());
    expect(planAnswer(existing, submit({ changeWindowMs: 30 * WEEK }), T0 + WEEK, 'x')).toEqual({ outcome: 'window_closed', response: existing.response });
    expect(planAnswer(existing, submit({ changeWindowMs: 1 }), T0 + WEEK - 1, 'x').outcome).toBe('changed');
  });

  it('falls back to the setting for answers stored before the window was fixed', () => {
    const old: StoredResponse = { ...stored(submit()).response, changeableUntil: null };
    expect(changeClosesAt(old, DAY_MS)).toBe(T0 + DAY_MS);
    expect(changeClosesAt({ createdAt: T0 }, DAY_MS)).toBe(T0 + DAY_MS);
  });
});
