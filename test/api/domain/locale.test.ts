import { describe, expect, it } from 'vitest';
import { negotiateLocale } from '../../../api/domain/locale.js';

describe('negotiateLocale', () => {
  it.each([
    [undefined, 'en', 'en'],
    ['', 'fr', 'fr'],
    ['fr-CA,fr;q=0.9,en;q=0.8', 'en', 'fr'],
    ['de-DE,de;q=0.9,ar;q=0.5,en;q=0.4', 'fr', 'ar'],
    ['en;q=0.2,fr;q=0.8', 'ar', 'fr'],
    ['de,it', 'fr', 'fr'],
    ['*', 'ar', 'ar'],
    ['fr;q=0,en', 'ar', 'en'],
    ['AR-sa', 'en', 'ar'],
    ['en;q=abc, fr;q=0.5', 'ar', 'en'],
  ] as const)('%s with fallback %s -> %s', (header, fallback, expected) => {
    expect(negotiateLocale(header, fallback)).toBe(expected);
  });

  it('stays bounded on a hostile header', () => {
    expect(negotiateLocale(`${'xx,'.repeat(10_000)}fr`, 'en')).toBe('en');
  });
});
