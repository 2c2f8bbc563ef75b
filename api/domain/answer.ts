// A respondent's answer, decided once for every store: first answer or change, the change window, the
// response to store, its follow-up state, the chained event, the webhook event and how the per-day
// counts move. A store reads the existing answer, calls planAnswer and writes what the plan says.
import { classOf, REACTION_VALUE } from './kinds.js';
import { followUpAfterChange, initialFollowUp, type FollowUp } from './follow-up.js';
import { responseEventFields, type ResponseEventFields } from './response-event.js';
import type { Reaction } from './reaction.js';
import type { WebhookEvent } from './webhook.js';
import { dayOf } from './window.js';
import type { StoredResponse, Submission } from '../store/types.js';

/** The answer already stored for the survey, as the store reads it. */
export interface ExistingAnswer {
  /** With its `changeableUntil` as stored (null or absent only on rows older than that column). */
  response: StoredResponse;
  followUp: FollowUp;
  /** The UTC day the response counts on (its first answer's day; a change never moves it). */
  day: number;
}

/** +1/-1 per class on one day's counts. `seeded` and `sealed` (0 or 1) only ever grow with a first answer. */
export interface DayCountMove {
  day: number;
  positive: number;
  neutral: number;
  negative: number;
  seeded: 0 | 1;
  sealed: 0 | 1;
}

/** One answer added to (+1) or taken from (-1) the per-day, per-value counts. */
export interface DayValueMove {
  day: number;
  kind: StoredResponse['kind'];
  /** As on the response: null except for CSAT (stores keep null as 0 in the key). */
  scale: number | null;
  moment: string;
  value: number;
  by: 1 | -1;
}

interface Written {
  /** The response as it is to be stored (and returned to the caller). */
  response: StoredResponse;
  followUp: FollowUp;
  /** The day its counts live on. */
  day: number;
  /** The chained event's fields; the store adds site, seq, at (= now) and prevHash (chain.ts chainEvent). */
  event: ResponseEventFields;
  webhook: WebhookEvent;
  /** The day's class counts: an upsert for a first answer, an update of the existing day for a change;
   * null when a change keeps the class. */
  counts: DayCountMove | null;
  /** Per-value counts, in this order (a drop before its replacement); empty when the value stays. */
  values: DayValueMove[];
  /** The class before this answer (null for a first answer), for the help-desk write-back rule. */
  previousReaction: Reaction | null;
}

export type AnswerPlan =
  | ({ outcome: 'created' } & Written)
  | ({ outcome: 'changed'; previous: StoredResponse } & Written)
  | { outcome: 'window_closed'; response: StoredResponse };

/** The value and class of a submission on its survey's kind and scale. */
export function answerOf(submission: Pick<Submission, 'survey' | 'value' | 'reaction'>): { value: number; reaction: Reaction } {
  if (submission.value === undefined && submission.reaction === undefined) throw new Error('a submission needs a value or a reaction');
  const value = submission.value ?? REACTION_VALUE[submission.reaction ?? 'neutral'];
  return { value, reaction: classOf({ kind: submission.survey.kind, scale: submission.survey.scale }, value) };
}

/** When the respondent can no longer change the answer. The window is fixed at the first answer: a later
 * site setting neither reopens nor shortens it (only rows from before that rule fall back to the setting). */
export function changeClosesAt(response: Pick<StoredResponse, 'createdAt' | 'changeableUntil'>, changeWindowMs: number): number {
  return response.changeableUntil ?? response.createdAt + changeWindowMs;
}

const classMove = (day: number, add: Reaction, remove: Reaction | null, origin: { seeded: 0 | 1; sealed: 0 | 1 }): DayCountMove => {
  const move: DayCountMove = { day, positive: 0, neutral: 0, negative: 0, ...origin };
  move[add] += 1;
  if (remove) move[remove] -= 1;
  return move;
};

const valueMove = (r: StoredResponse, day: number, by: 1 | -1): DayValueMove => ({ day, kind: r.kind, scale: r.scale, moment: r.moment, value: r.value, by });

/**
 * What a submission does, given the answer already stored for its survey (null: none yet).
 * `newId` is the id a first answer gets (unused otherwise). Pure: the store persists the plan in one
 * transaction, the event before the response update (a SQLite trigger checks a changed class against it).
 */
export function planAnswer(existing: ExistingAnswer | null, submission: Submission, now: number, newId: string): AnswerPlan {
  const { survey } = submission;
  const { value, reaction } = answerOf(submission);
  if (!existing) {
    const day = dayOf(now);
    const response: StoredResponse = {
      id: newId,
      siteId: survey.siteId,
      surveyId: survey.id,
      ticketRef: survey.ticketRef,
      reaction,
      kind: survey.kind,
      scale: survey.scale,
      value,
      moment: survey.moment,
      dimensions: submission.dimensions ?? [],
      comment: submission.comment ?? null,
      source: 'survey',
      createdAt: now,
      updatedAt: now,
      changeableUntil: now + submission.changeWindowMs,
    };
    return {
      outcome: 'created',
      response,
      followUp: initialFollowUp(reaction),
      day,
      event: responseEventFields('submit', response),
      webhook: 'response.created',
      counts: classMove(day, reaction, null, { seeded: submission.seeded ? 1 : 0, sealed: survey.sealed ? 1 : 0 }),
      values: [valueMove(response, day, 1)],
      previousReaction: null,
    };
  }
  const current = existing.response;
  if (now >= changeClosesAt(current, submission.changeWindowMs)) return { outcome: 'window_closed', response: current };
  const changed: StoredResponse = {
    ...current,
    reaction,
    value,
    dimensions: submission.dimensions ?? current.dimensions,
    comment: submission.comment === undefined ? current.comment : submission.comment,
    updatedAt: now,
  };
  const { day } = existing;
  return {
    outcome: 'changed',
    previous: current,
    response: changed,
    followUp: followUpAfterChange(existing.followUp, reaction),
    day,
    event: responseEventFields('change', changed),
    webhook: 'response.changed',
    counts: reaction === current.reaction ? null : classMove(day, reaction, current.reaction, { seeded: 0, sealed: 0 }),
    values: value === current.value ? [] : [valueMove(current, day, -1), valueMove(changed, day, 1)],
    previousReaction: current.reaction,
  };
}
