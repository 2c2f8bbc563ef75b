// The reaction score: positive = +100, neutral = 0, negative = -100, averaged over the window,
// i.e. %positive - %negative. Integer arithmetic until the last step so 97.5 never becomes 97.4999.
import type { ReactionCounts } from './reaction.js';

export interface ScoreFigures {
  /** Rounded score, -100..100; null when there are no ratings (never 0 for "nothing yet"). */
  score: number | null;
  /** The unrounded score to one decimal, null when there are no ratings. */
  exact: number | null;
  counts: { positive: number; neutral: number; negative: number; total: number; imported: number };
  /** Share of each reaction in percent, one decimal; all 0 when there are no ratings. */
  percent: { positive: number; neutral: number; negative: number };
}

/** Rounds numerator/denominator * 10^decimals to an integer, half away from zero. */
export function roundRatio(numerator: number, denominator: number, scale: number): number {
  const sign = numerator < 0 ? -1 : 1;
  const n = Math.abs(numerator) * scale;
  // floor((n + d/2) / d) written without fractions: floor((2n + d) / 2d).
  const rounded = Math.floor((2 * n + denominator) / (2 * denominator));
  return rounded === 0 ? 0 : sign * rounded;
}

/** Percentage with one decimal, rounded half away from zero. */
function percentOf(part: number, total: number): number {
  return roundRatio(part, total, 1000) / 10;
}

export function reactionScore(counts: ReactionCounts): ScoreFigures {
  const { positive, neutral, negative, imported } = counts;
  const total = positive + neutral + negative;
  const figures = { positive, neutral, negative, total, imported };
  if (total === 0) {
    return { score: null, exact: null, counts: figures, percent: { positive: 0, neutral: 0, negative: 0 } };
  }
  const net = positive - negative;
  return {
    score: roundRatio(net, total, 100),
    exact: roundRatio(net, total, 1000) / 10,
    counts: figures,
    percent: {
      positive: percentOf(positive, total),
      neutral: percentOf(neutral, total),
      negative: percentOf(negative, total),
    },
  };
}
