import { describe, expect, it } from 'vitest';
import { DIMENSIONS, dimensionReport, emptyTally, normaliseDimensions } from '../../../api/domain/dimensions.js';
import { KINDS } from '../../../api/domain/kinds.js';
import { LOCALES } from '../../../api/domain/locale.js';
import { isMoment, parseMoments } from '../../../api/domain/moments.js';
import { momentLabel, VOCABULARY } from '../../../api/domain/vocabulary.js';

/** Every leaf string of an object with its path. */
function leaves(value: unknown, path = ''): Array<[string, string]> {
  if (typeof value === 'string') return [[path, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => leaves(v, `${path}[${i}]`));
  return Object.entries(value as object).flatMap(([k, v]) => leaves(v, path ? `${path}.${k}` : k));
}

describe('the vocabulary', () => {
  it('has every word in every language, none empty, with the same placeholders', () => {
    const english = new Map(leaves(VOCABULARY.en));
    for (const locale of LOCALES) {
      const words = new Map(leaves(VOCABULARY[locale]));
      expect([...words.keys()].sort()).toEqual([...english.keys()].sort());
      for (const [path, text] of words) {
        expect(text.trim(), `${locale} ${path}`).not.toBe('');
        expect(text.match(/\{\w+\}/g)?.sort() ?? [], `${locale} ${path}`).toEqual(english.get(path)!.match(/\{\w+\}/g)?.sort() ?? []);
      }
    }
  });

  it('names the classes and the question of every kind, and every dimension', () => {
    for (const locale of LOCALES) {
      expect(Object.keys(VOCABULARY[locale].classes).sort()).toEqual([...KINDS].sort());
      expect(Object.keys(VOCABULARY[locale].dimensions)).toEqual([...DIMENSIONS]);
    }
  });

  it('translates built-in moments and keeps a site\'s own name as given', () => {
    expect(momentLabel('onboarding', 'fr')).toBe('Mise en service');
    expect(momentLabel('quarterly-review', 'fr')).toBe('quarterly-review');
  });
});

describe('moments and dimensions', () => {
  it('accepts moment names that fit URLs and CSV cells, refuses the rest', () => {
    expect(['ticket-closed', 'q3-review', 'a'].every(isMoment)).toBe(true);
    expect(['', 'Onboarding', '-x', 'a b', 'x'.repeat(41), 'é'].some(isMoment)).toBe(false);
    expect(parseMoments('onboarding,project')).toEqual(['onboarding', 'project']);
    expect(parseMoments('onboarding,onboarding')).toBeNull();
    expect(parseMoments('onboarding,')).toBeNull();
  });

  it('stores a choice of dimensions once each, in one order, and refuses unknown names', () => {
    expect(normaliseDimensions(['empathy', 'reliability'])).toEqual(['reliability', 'empathy']);
    expect(normaliseDimensions(['empathy', 'empathy'])).toBeNull();
    expect(normaliseDimensions(['speed'])).toBeNull();
    expect(normaliseDimensions([])).toEqual([]);
  });

  it('reports the share of each class naming each dimension, null for a class without answers', () => {
    const negative = emptyTally();
    negative.answers = 5;
    negative.named.responsiveness = 3;
    const rows = dimensionReport({ positive: emptyTally(), neutral: emptyTally(), negative });
    const responsiveness = rows.find((r) => r.dimension === 'responsiveness')!;
    expect(responsiveness.percent).toEqual({ positive: null, neutral: null, negative: 60 });
    expect(responsiveness.count.negative).toBe(3);
    expect(rows.map((r) => r.dimension)).toEqual([...DIMENSIONS]);
  });
});
