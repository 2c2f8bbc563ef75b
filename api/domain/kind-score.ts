// The score of each survey kind from the counts per answer value (pure; the store sums at most one row
// per day, value and moment). Reaction: %positive - %negative. CSAT: % satisfied, 0..100. NPS:
// %promoters - %detractors, -100..100. All rounded half away from zero; null when there are no answers.
import { answerValues, classOf, type KindScale, type SurveyKind } from './kinds.js';
import type { ReactionCounts } from './reaction.js';
import { reactionScore, roundRatio, type ScoreFigures } from './score.js';

export interface KindFigures extends ScoreFigures {
  /** Answers per value of the scale, lowest first; null for reactions (their counts say it all). */
  distribution: Array<{ value: number; count: number }> | null;
}

/** A kind's score from its class counts alone (what the public log carries): CSAT is the satisfied share,
 * reactions and NPS are %positive - %negative. */
export function classScore(kind: SurveyKind, counts: ReactionCounts): ScoreFigures {
  const figures = reactionScore(counts);
  const total = figures.counts.total;
  if (kind === 'csat' && total > 0) {
    figures.score = roundRatio(counts.positive, total, 100);
    figures.exact = roundRatio(counts.positive, total, 1000) / 10;
  }
  return figures;
}

/** `values`: answers per value; values outside the scale are ignored (never counted). */
export function kindScore(ks: KindScale, values: ReadonlyMap<number, number>, imported = 0): KindFigures {
  const classes = { positive: 0, neutral: 0, negative: 0 };
  const distribution = answerValues(ks).map((value) => {
    const count = values.get(value) ?? 0;
    classes[classOf(ks, value)] += count;
    return { value, count };
  });
  // NPS is %promoters - %detractors: the reaction formula over its classes.
  const figures = classScore(ks.kind, { ...classes, imported });
  return { ...figures, distribution: ks.kind === 'reaction' ? null : distribution };
}
