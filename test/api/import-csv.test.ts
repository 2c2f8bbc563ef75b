import { describe, expect, it } from 'vitest';
import { parseImportCsv } from '../../api/services/import-csv.js';
import { T0 } from './helpers.js';

const header = 'date,ticketRef,reaction,comment\n';

describe('parseImportCsv', () => {
  it('reads dates, date-times with offsets, reactions in any case, quoted comments and a BOM', () => {
    const csv = '\uFEFF' + header + '2026-03-01,T-1,Positive,\n2026-03-02T23:30:00-02:00,T-2,negative,"Slow, and ""rude"""\n\n2026-03-03,T-3,neutral,"two\nlines"\n';
    const result = parseImportCsv(csv, T0);
    expect(result).toEqual({
      ok: true,
      rows: [
        { line: 2, respondedAt: Date.parse('2026-03-01T00:00:00Z'), ticketRef: 'T-1', reaction: 'positive', comment: null },
        { line: 3, respondedAt: Date.parse('2026-03-03T01:30:00Z'), ticketRef: 'T-2', reaction: 'negative', comment: 'Slow, and "rude"' },
        { line: 6, respondedAt: Date.parse('2026-03-03T00:00:00Z'), ticketRef: 'T-3', reaction: 'neutral', comment: 'two\nlines' },
      ],
    });
  });

  it('accepts a file without the comment column', () => {
    const result = parseImportCsv('date,ticketRef,reaction\n2026-03-01,T-1,positive\n', T0);
    expect(result.ok && result.rows[0]!.comment).toBeNull();
  });

  it('names the line and the problem of every bad row', () => {
    const csv =
      header +
      '2026-03-01,T-1,positive,\n' +
      '03/01/2026,T-2,positive,\n' +
      '2026-02-30,T-3,positive,\n' +
      '2026-03-01,,positive,\n' +
      '2026-03-01,T-5,great,\n' +
      '2099-01-01,T-6,positive,\n' +
      `2026-03-01,T-7,positive,${'x'.repeat(2001)}\n`;
    const result = parseImportCsv(csv, T0);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => p.line)).toEqual([3, 4, 5, 6, 7, 8]);
    expect(result.problems[0]!.message).toContain('03/01/2026');
    expect(result.problems[1]!.message).toContain('2026-02-30');
    expect(result.problems[2]!.message).toContain('ticketRef is empty');
    expect(result.problems[3]!.message).toContain('"great" is not one of positive, neutral, negative');
    expect(result.problems[4]!.message).toContain('in the future');
    expect(result.problems[5]!.message).toContain('2000 characters');
  });

  it('refuses a wrong header, broken quoting, a ragged row and an empty file', () => {
    const wrongHeader = parseImportCsv('when,ticket,reaction\n2026-03-01,T-1,positive\n', T0);
    expect(!wrongHeader.ok && wrongHeader.problems[0]!.message).toMatch(/missing column\(s\) date, ticketRef; unknown column\(s\) when, ticket/);
    const quote = parseImportCsv(header + '2026-03-01,T-1,positive,"unclosed\n', T0);
    expect(!quote.ok && quote.problems[0]!.message).toMatch(/not valid CSV/);
    const ragged = parseImportCsv(header + '2026-03-01,T-1,positive,,extra\n', T0);
    expect(!ragged.ok && ragged.problems[0]).toMatchObject({ line: 2 });
    const empty = parseImportCsv(header, T0);
    expect(!empty.ok && empty.problems[0]!.message).toMatch(/no rows/);
  });
});
