// The survey kinds and their answers, defined once for the API, the pages, the badge, the wall and the
// admin page. Every answer is stored as an integer `value` on its kind's scale, and every value has a
// class (positive, neutral, negative: promoter, passive, detractor for NPS), which drives follow-ups.
import type { Reaction } from './reaction.js';

export const KINDS = ['reaction', 'csat', 'nps'] as const;
export type SurveyKind = (typeof KINDS)[number];

/** CSAT scales: the number of points, answered 1..scale. */
export const CSAT_SCALES = [3, 5, 10] as const;
export type CsatScale = (typeof CSAT_SCALES)[number];

/** A kind with its scale: `scale` is the number of points for CSAT and null for the other kinds. */
export interface KindScale {
  kind: SurveyKind;
  scale: number | null;
}

/** The class of an answer: the follow-up and the score work on these three. */
export type AnswerClass = Reaction;

export function isKind(value: unknown): value is SurveyKind {
  return typeof value === 'string' && (KINDS as readonly string[]).includes(value);
}

export function isCsatScale(value: unknown): value is CsatScale {
  return typeof value === 'number' && (CSAT_SCALES as readonly number[]).includes(value);
}

/** Checks a kind and scale pair; the error text names what is wrong. */
export function kindScaleProblem(kind: SurveyKind, scale: number | null | undefined): string | null {
  if (kind === 'csat') return isCsatScale(scale) ? null : `a csat survey needs scale 3, 5 or 10`;
  return scale === null || scale === undefined ? null : `only csat surveys take a scale`;
}

/** A reaction stored as a value: its weight in the score divided by 100. */
export const REACTION_VALUE: Readonly<Record<Reaction, number>> = { positive: 1, neutral: 0, negative: -1 };

export function reactionOfValue(value: number): Reaction {
  return value > 0 ? 'positive' : value < 0 ? 'negative' : 'neutral';
}

/** Every answer of a kind, lowest first (reactions: negative, neutral, positive). */
export function answerValues({ kind, scale }: KindScale): number[] {
  if (kind === 'reaction') return [-1, 0, 1];
  if (kind === 'nps') return Array.from({ length: 11 }, (_, i) => i);
  return Array.from({ length: scale ?? 5 }, (_, i) => i + 1);
}

export function isAnswerValue(ks: KindScale, value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && answerValues(ks).includes(value);
}

/** The lowest satisfied answer of a CSAT scale: 3 of 3; 4 and 5 of 5; 8, 9 and 10 of 10. */
export function satisfiedFrom(scale: number): number {
  return scale === 3 ? 3 : scale === 5 ? 4 : 8;
}

/**
 * NPS: 9-10 promoter, 7-8 passive, 0-6 detractor. CSAT: satisfied answers are positive, the answer just
 * below them neutral (2 of 3, 3 of 5, 6-7 of 10), the rest negative.
 */
export function classOf({ kind, scale }: KindScale, value: number): AnswerClass {
  if (kind === 'reaction') return reactionOfValue(value);
  if (kind === 'nps') return value >= 9 ? 'positive' : value >= 7 ? 'neutral' : 'negative';
  const s = scale ?? 5;
  const satisfied = satisfiedFrom(s);
  const neutralFrom = s === 10 ? 6 : satisfied - 1;
  return value >= satisfied ? 'positive' : value >= neutralFrom ? 'neutral' : 'negative';
}

/** The words for the three classes of each kind (promoters, passives, detractors for NPS). */
export const CLASS_NAMES: Readonly<Record<SurveyKind, Readonly<Record<AnswerClass, string>>>> = {
  reaction: { positive: 'positive', neutral: 'neutral', negative: 'negative' },
  csat: { positive: 'satisfied', neutral: 'neutral', negative: 'dissatisfied' },
  nps: { positive: 'promoter', neutral: 'passive', negative: 'detractor' },
};
