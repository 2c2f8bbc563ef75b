import { describe, expect, it } from 'vitest';
import { canMove, FOLLOW_UP_STATES, followUpAfterChange, initialFollowUp } from '../../../api/domain/follow-up.js';
import { neutralizeFormula } from '../../../api/domain/spreadsheet.js';

describe('follow-up state machine', () => {
  it('allows exactly the forward moves and reopening', () => {
    const allowed = FOLLOW_UP_STATES.flatMap((from) => FOLLOW_UP_STATES.filter((to) => canMove(from, to)).map((to) => `${from}->${to}`));
    expect(allowed).toEqual(['none->open', 'open->contacted', 'open->resolved', 'contacted->resolved', 'resolved->open']);
  });

  it('starts open for non-positive reactions and opens when a respondent turns non-positive', () => {
    expect([initialFollowUp('positive'), initialFollowUp('neutral'), initialFollowUp('negative')]).toEqual(['none', 'open', 'open']);
    expect(followUpAfterChange('none', 'negative')).toBe('open');
    expect(followUpAfterChange('none', 'positive')).toBe('none');
    expect(followUpAfterChange('resolved', 'negative')).toBe('resolved');
  });
});

describe('neutralizeFormula', () => {
  it.each([
    ['=HYPERLINK("http://x")', `'=HYPERLINK("http://x")`],
    ['+1', "'+1"],
    ['-2', "'-2"],
    ['@sum', "'@sum"],
    ['\t=1', "'\t=1"],
    ['plain text', 'plain text'],
    ['', ''],
  ])('%j -> %j', (input, output) => {
    expect(neutralizeFormula(input)).toBe(output);
  });
});
