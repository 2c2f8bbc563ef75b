import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reactionScore } from '../../../api/domain/score.js';
import type { ReactionCounts } from '../../../api/domain/reaction.js';

function counts(positive: number, neutral: number, negative: number, imported = 0): ReactionCounts {
  return { positive, neutral, negative, imported };
}

/** True when the integer k is `num/den` (den > 0) rounded half away from zero, checked with exact
 * BigInt arithmetic: |num/den - k| <= 1/2, and on an exact tie |k| is the larger magnitude. */
function isHalfAwayRounding(k: number, num: bigint, den: bigint): boolean {
  if (!Number.isInteger(k)) return false;
  const K = BigInt(k);
  const diff = num - K * den; // (x - k) * den
  const absDiff2 = 2n * (diff < 0n ? -diff : diff);
  if (absDiff2 > den) return false; // more than half away
  if (absDiff2 === den) {
    // tie: must round away from zero, i.e. |k| > |x|  <=>  |k| * den > |num|
    const absK = K < 0n ? -K : K;
    const absNum = num < 0n ? -num : num;
    return absK * den > absNum;
  }
  return true;
}

function expectNoNegativeZero(...values: (number | null)[]) {
  for (const v of values) expect(Object.is(v, -0)).toBe(false);
}

describe('reactionScore', () => {
  it('reproduces the DESIGN.md worked example: 1,045 / 9 / 7 -> 97.8 -> 98', () => {
    const figures = reactionScore(counts(1045, 9, 7));
    expect(figures.score).toBe(98);
    expect(figures.exact).toBe(97.8);
    expect(figures.counts).toEqual({ positive: 1045, neutral: 9, negative: 7, total: 1061, imported: 0 });
    // 1045/1061 = 98.49..%, 9/1061 = 0.848..%, 7/1061 = 0.659..%
    expect(figures.percent).toEqual({ positive: 98.5, neutral: 0.8, negative: 0.7 });
  });

  it('treats zero responses as "no ratings yet": score and exact are null, never 0', () => {
    const figures = reactionScore(counts(0, 0, 0));
    expect(figures.score).toBeNull();
    expect(figures.exact).toBeNull();
    expect(figures.counts).toEqual({ positive: 0, neutral: 0, negative: 0, total: 0, imported: 0 });
    expect(figures.percent).toEqual({ positive: 0, neutral: 0, negative: 0 });
  });

  it('scores all-negative as -100 and all-positive as 100', () => {
    const neg = reactionScore(counts(0, 0, 12));
    expect(neg.score).toBe(-100);
    expect(neg.exact).toBe(-100);
    expect(neg.percent).toEqual({ positive: 0, neutral: 0, negative: 100 });
    const pos = reactionScore(counts(3, 0, 0));
    expect(pos.score).toBe(100);
    expect(pos.exact).toBe(100);
    expect(pos.percent).toEqual({ positive: 100, neutral: 0, negative: 0 });
  });

  it('all neutral is a real score of 0 (not null, not -0)', () => {
    const figures = reactionScore(counts(0, 5, 0));
    expect(figures.score).toBe(0);
    expect(figures.exact).toBe(0);
    expectNoNegativeZero(figures.score, figures.exact);
    expect(figures.percent).toEqual({ positive: 0, neutral: 100, negative: 0 });
  });

  it('rounds an exact +2.5 up to 3 (half away from zero)', () => {
    // 1 positive out of 40 = +2.5 exactly
    const figures = reactionScore(counts(1, 39, 0));
    expect(figures.exact).toBe(2.5);
    expect(figures.score).toBe(3);
    expect(figures.percent).toEqual({ positive: 2.5, neutral: 97.5, negative: 0 });
  });

  it('rounds an exact -2.5 down to -3 (half away from zero, not towards +infinity)', () => {
    const figures = reactionScore(counts(0, 39, 1));
    expect(figures.exact).toBe(-2.5);
    expect(figures.score).toBe(-3);
    expect(figures.percent).toEqual({ positive: 0, neutral: 97.5, negative: 2.5 });
  });

  it('rounds other .5 ties away from zero on both signs (97.5 -> 98, -97.5 -> -98)', () => {
    // 97.5 = 39 positive, 1 neutral out of 40
    expect(reactionScore(counts(39, 1, 0)).score).toBe(98);
    expect(reactionScore(counts(0, 1, 39)).score).toBe(-98);
    // 0.5 = 1/200
    expect(reactionScore(counts(1, 199, 0)).score).toBe(1);
    expect(reactionScore(counts(0, 199, 1)).score).toBe(-1);
  });

  it('rounds the one-decimal figures half away from zero too (0.05 -> 0.1, -0.05 -> -0.1)', () => {
    const up = reactionScore(counts(1, 1999, 0));
    expect(up.exact).toBe(0.1);
    expect(up.percent.positive).toBe(0.1);
    expect(up.score).toBe(0);
    const down = reactionScore(counts(0, 1999, 1));
    expect(down.exact).toBe(-0.1);
    expect(down.percent.negative).toBe(0.1);
    expect(down.score).toBe(0);
    expectNoNegativeZero(down.score, down.exact);
  });

  it('never yields -0 for small negative nets that round to zero', () => {
    const slightly = reactionScore(counts(0, 999, 1)); // -0.1
    expect(slightly.exact).toBe(-0.1);
    expect(slightly.score).toBe(0);
    expectNoNegativeZero(slightly.score, slightly.exact);

    const tiny = reactionScore(counts(0, 2999, 1)); // -0.0333..
    expect(tiny.score).toBe(0);
    expect(tiny.exact).toBe(0);
    expectNoNegativeZero(tiny.score, tiny.exact, tiny.percent.positive, tiny.percent.negative);

    const balanced = reactionScore(counts(4, 0, 4));
    expect(balanced.score).toBe(0);
    expectNoNegativeZero(balanced.score, balanced.exact);
  });

  it('passes the imported count through into counts without affecting the score', () => {
    const figures = reactionScore(counts(10, 5, 5, 7));
    expect(figures.counts).toEqual({ positive: 10, neutral: 5, negative: 5, total: 20, imported: 7 });
    expect(figures.score).toBe(25);
    const empty = reactionScore(counts(0, 0, 0, 3));
    expect(empty.counts.imported).toBe(3);
    expect(empty.score).toBeNull();
  });

  it('property: score in -100..100, exact half-away rounding, percentages within 0.05 of the true share', () => {
    const count = fc.oneof(fc.nat({ max: 50 }), fc.nat({ max: 5_000_000 }));
    fc.assert(
      fc.property(count, count, count, fc.nat({ max: 1000 }), (positive, neutral, negative, imported) => {
        fc.pre(positive + neutral + negative > 0);
        const figures = reactionScore(counts(positive, neutral, negative, imported));
        const total = positive + neutral + negative;
        const T = BigInt(total);
        const net = BigInt(positive - negative);

        expect(figures.counts).toEqual({ positive, neutral, negative, total, imported });
        expect(figures.score).not.toBeNull();
        expect(figures.exact).not.toBeNull();
        const score = figures.score as number;
        const exact = figures.exact as number;
        expect(score).toBeGreaterThanOrEqual(-100);
        expect(score).toBeLessThanOrEqual(100);
        expectNoNegativeZero(score, exact);

        // score = round_half_away(100 * net / total)
        expect(isHalfAwayRounding(score, 100n * net, T)).toBe(true);
        // exact * 10 = round_half_away(1000 * net / total)
        const exactTenths = Math.round(exact * 10);
        expect(Math.abs(exact * 10 - exactTenths)).toBeLessThan(1e-6);
        expect(isHalfAwayRounding(exactTenths, 1000n * net, T)).toBe(true);

        for (const [part, pct] of [
          [positive, figures.percent.positive],
          [neutral, figures.percent.neutral],
          [negative, figures.percent.negative],
        ] as const) {
          expectNoNegativeZero(pct);
          expect(pct).toBeGreaterThanOrEqual(0);
          expect(pct).toBeLessThanOrEqual(100);
          const tenths = Math.round(pct * 10);
          expect(Math.abs(pct * 10 - tenths)).toBeLessThan(1e-6);
          // |pct - 100*part/total| <= 0.05  <=>  2 * |tenths*total - 1000*part| <= total
          const d = BigInt(tenths) * T - 1000n * BigInt(part);
          expect(2n * (d < 0n ? -d : d) <= T).toBe(true);
          expect(isHalfAwayRounding(tenths, 1000n * BigInt(part), T)).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
