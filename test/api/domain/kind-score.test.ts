// Each kind's score against a simple model: count the classes by hand from the answers, apply the
// formula with exact fractions, round half away from zero.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { kindScore } from '../../../api/domain/kind-score.js';
import { answerValues, classOf, CSAT_SCALES, satisfiedFrom, type KindScale } from '../../../api/domain/kinds.js';

/** num/den rounded half away from zero, in exact integer arithmetic (den > 0). */
function roundHalfAway(num: number, den: number): number {
  const sign = num < 0 ? -1 : 1;
  const q = Math.floor((2 * Math.abs(num) + den) / (2 * den));
  return q === 0 ? 0 : sign * q;
}

/** The model: the kind's definition written out directly from the answers. */
function model(ks: KindScale, answers: number[]): number | null {
  if (answers.length === 0) return null;
  const n = answers.length;
  if (ks.kind === 'reaction') return roundHalfAway(100 * answers.reduce((s, v) => s + v, 0), n);
  if (ks.kind === 'nps') {
    const promoters = answers.filter((v) => v >= 9).length;
    const detractors = answers.filter((v) => v <= 6).length;
    return roundHalfAway(100 * (promoters - detractors), n);
  }
  return roundHalfAway(100 * answers.filter((v) => v >= satisfiedFrom(ks.scale!)).length, n);
}

const tally = (answers: number[]) => {
  const map = new Map<number, number>();
  for (const v of answers) map.set(v, (map.get(v) ?? 0) + 1);
  return map;
};

const KIND_SCALES: KindScale[] = [{ kind: 'reaction', scale: null }, { kind: 'nps', scale: null }, ...CSAT_SCALES.map((scale) => ({ kind: 'csat' as const, scale }))];

describe('kindScore, worked examples', () => {
  it('reaction: 1,045 positive, 9 neutral, 7 negative is 97.8, shown 98', () => {
    const f = kindScore({ kind: 'reaction', scale: null }, new Map([[1, 1045], [0, 9], [-1, 7]]));
    expect([f.score, f.exact, f.distribution]).toEqual([98, 97.8, null]);
  });

  it('CSAT 1-5: 4 and 5 are satisfied; 45 fives, 45 fours, 6 threes, 4 ones is 90% satisfied', () => {
    const f = kindScore({ kind: 'csat', scale: 5 }, new Map([[5, 45], [4, 45], [3, 6], [1, 4]]));
    expect(f.score).toBe(90);
    expect(f.counts).toEqual({ positive: 90, neutral: 6, negative: 4, total: 100, imported: 0 });
    expect(f.distribution).toEqual([1, 2, 3, 4, 5].map((value) => ({ value, count: ({ 1: 4, 3: 6, 4: 45, 5: 45 } as Record<number, number>)[value] ?? 0 })));
  });

  it('CSAT 1-3 counts only 3, CSAT 1-10 counts 8, 9 and 10', () => {
    expect(kindScore({ kind: 'csat', scale: 3 }, new Map([[3, 1], [2, 1]])).score).toBe(50);
    expect(kindScore({ kind: 'csat', scale: 10 }, new Map([[8, 1], [9, 1], [10, 1], [7, 1]])).score).toBe(75);
  });

  it('NPS: 18 promoters, 1 passive, 1 detractor of 20 is 90 - 5 = 85; 90% promoters and 15% detractors would be 75', () => {
    expect(kindScore({ kind: 'nps', scale: null }, new Map([[10, 10], [9, 8], [8, 1], [3, 1]])).score).toBe(85);
    // The figures as shares of a larger sample cannot add up (105%); the formula is the difference.
    const f = kindScore({ kind: 'nps', scale: null }, new Map([[10, 60], [7, 25], [0, 15]]));
    expect([f.score, f.percent.positive, f.percent.negative]).toEqual([45, 60, 15]);
  });

  it('NPS classes: 9-10 promoter, 7-8 passive, 0-6 detractor', () => {
    const ks: KindScale = { kind: 'nps', scale: null };
    expect(answerValues(ks).map((v) => classOf(ks, v))).toEqual([...Array(7).fill('negative'), 'neutral', 'neutral', 'positive', 'positive']);
  });

  it('no answers is null for every kind, never 0; one answer is that answer\'s class at full weight', () => {
    for (const ks of KIND_SCALES) {
      expect(kindScore(ks, new Map()).score).toBeNull();
      const values = answerValues(ks);
      const top = values[values.length - 1]!;
      expect(kindScore(ks, new Map([[top, 1]])).score).toBe(100);
      expect(kindScore(ks, new Map([[values[0]!, 1]])).score).toBe(ks.kind === 'csat' ? 0 : -100);
    }
  });

  it('rounds exact ties at .5 away from zero, both signs', () => {
    // 1 promoter, 0 passives... of 200: 0.5 -> 1; 1 detractor of 200: -0.5 -> -1.
    const nps: KindScale = { kind: 'nps', scale: null };
    expect(kindScore(nps, new Map([[10, 1], [8, 199]])).score).toBe(1);
    expect(kindScore(nps, new Map([[0, 1], [8, 199]])).score).toBe(-1);
    expect(kindScore({ kind: 'reaction', scale: null }, new Map([[-1, 1], [0, 199]])).score).toBe(-1);
    // 1 satisfied of 8 is 12.5% -> 13.
    expect(kindScore({ kind: 'csat', scale: 5 }, new Map([[5, 1], [2, 7]])).score).toBe(13);
  });

  it('ignores values outside the scale rather than counting them', () => {
    expect(kindScore({ kind: 'csat', scale: 5 }, new Map([[5, 1], [9, 100]])).score).toBe(100);
  });
});

describe('kindScore, property: equals the model for every kind and scale', () => {
  for (const ks of KIND_SCALES) {
    it(`${ks.kind}${ks.scale ?? ''}`, () => {
      const values = answerValues(ks);
      fc.assert(
        fc.property(fc.array(fc.constantFrom(...values), { maxLength: 400 }), (answers) => {
          const f = kindScore(ks, tally(answers));
          expect(f.score).toBe(model(ks, answers));
          expect(f.counts.total).toBe(answers.length);
          if (f.distribution) expect(f.distribution.reduce((s, d) => s + d.count, 0)).toBe(answers.length);
          expect(Object.is(f.score, -0)).toBe(false);
        }),
        { numRuns: 300 },
      );
    });
  }
});
