import { describe, expect, it } from 'vitest';
import { importedAnswer, importOrder, importProblems, type ImportTicketState } from '../../../api/domain/import-plan.js';
import type { ImportRow } from '../../../api/store/types.js';

const row = (line: number, ticketRef: string, over: Partial<ImportRow> = {}): ImportRow => ({ line, ticketRef, respondedAt: 1000 - line, reaction: 'positive', comment: null, ...over });

describe('importProblems', () => {
  it('names repeated tickets, tickets already surveyed or rated, and tickets another import is staging', () => {
    const state = (ref: string): ImportTicketState => (ref === 'T-9' ? 'taken' : ref === 'T-8' ? 'staged' : 'free');
    expect(importProblems([row(1, 'T-1'), row(2, 'T-9'), row(3, 'T-1'), row(4, 'T-8')], state)).toEqual([
      { line: 2, message: 'ticket T-9 already has a survey or rating on this site' },
      { line: 3, message: 'ticket T-1 already appears on line 1' },
      { line: 4, message: 'ticket T-8 is in another import that is under way' },
    ]);
  });

  it('remembers tickets across batches of one file', () => {
    const seen = new Map<string, number>();
    expect(importProblems([row(1, 'T-1')], () => 'free', seen)).toEqual([]);
    expect(importProblems([row(7, 'T-1')], () => 'free', seen)).toEqual([{ line: 7, message: 'ticket T-1 already appears on line 1' }]);
  });
});

describe('importOrder and importedAnswer', () => {
  it('orders by the time of the answer, then by line', () => {
    expect(importOrder([row(1, 'a', { respondedAt: 5 }), row(2, 'b', { respondedAt: 3 }), row(3, 'c', { respondedAt: 3 })]).map((r) => r.line)).toEqual([2, 3, 1]);
  });

  it('classes a value on the site scale and defaults the moment', () => {
    expect(importedAnswer(row(1, 'a', { reaction: undefined, value: 6 }), { kind: 'nps', scale: null })).toEqual({ reaction: 'negative', value: 6, moment: 'ticket-closed' });
    expect(importedAnswer(row(1, 'a', { reaction: 'neutral', moment: 'project' }), { kind: 'reaction', scale: null })).toEqual({ reaction: 'neutral', value: 0, moment: 'project' });
  });
});
