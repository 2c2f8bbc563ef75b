// "What mattered most?": the five service-quality dimensions (SERVQUAL) a respondent may name after
// answering, and the report of how often each is named per answer class.
import type { AnswerClass } from './kinds.js';

export const DIMENSIONS = ['reliability', 'responsiveness', 'assurance', 'empathy', 'tangibles'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export function isDimension(value: unknown): value is Dimension {
  return typeof value === 'string' && (DIMENSIONS as readonly string[]).includes(value);
}

/** A respondent's choice as stored: known names only, each once, in the canonical order. */
export function normaliseDimensions(values: readonly unknown[]): Dimension[] | null {
  if (values.length > DIMENSIONS.length || !values.every(isDimension) || new Set(values).size !== values.length) return null;
  return DIMENSIONS.filter((d) => values.includes(d));
}

export interface DimensionTally {
  /** Answers of the class (those that named no dimension included). */
  answers: number;
  /** How many of them named each dimension. */
  named: Record<Dimension, number>;
}

export interface DimensionRow {
  dimension: Dimension;
  /** Share of each class's answers naming this dimension, percent with one decimal; null for a class
   * without answers. */
  percent: Record<AnswerClass, number | null>;
  count: Record<AnswerClass, number>;
}

/** Turns per-class tallies into one row per dimension ("responsiveness: named by 60% of detractors"). */
export function dimensionReport(tallies: Readonly<Record<AnswerClass, DimensionTally>>): DimensionRow[] {
  const classes = ['positive', 'neutral', 'negative'] as const;
  return DIMENSIONS.map((dimension) => {
    const count = {} as Record<AnswerClass, number>;
    const percent = {} as Record<AnswerClass, number | null>;
    for (const c of classes) {
      const t = tallies[c];
      count[c] = t.named[dimension];
      percent[c] = t.answers === 0 ? null : Math.round((1000 * t.named[dimension]) / t.answers) / 10;
    }
    return { dimension, count, percent };
  });
}

export function emptyTally(): DimensionTally {
  return { answers: 0, named: { reliability: 0, responsiveness: 0, assurance: 0, empathy: 0, tangibles: 0 } };
}
