// The CSV writer shared by the HTTP export and `csat export`: the paged reader's page boundaries and
// the notes cell.
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS, notesCell, pagedResponsesCsv } from '../../api/services/export-csv.js';
import { testApi } from './helpers.js';

async function collect(lines: AsyncIterable<string>) {
  let text = '';
  for await (const chunk of lines) text += chunk;
  return text;
}

describe('pagedResponsesCsv', () => {
  it('exports every response exactly once, newest first, across page boundaries, with its notes', async () => {
    const t = await testApi();
    for (let i = 1; i <= 5; i++) {
      const { token } = await t.createSurvey(`T-${i}`);
      await t.react(token, 'negative');
      // T-2 and T-3 share their time: the cursor's id must break the tie without losing either.
      if (i !== 2) t.clock.advance(60_000);
    }
    const tickets = (await t.store.listResponses(t.site.id, {}, null, 100)).map((r) => r.ticketRef);
    expect([...tickets].sort()).toEqual(['T-1', 'T-2', 'T-3', 'T-4', 'T-5']);
    const [first] = await t.store.listResponses(t.site.id, {}, null, 1);
    await t.store.updateFollowUp(t.site.id, first!.id, { note: { author: 'Sam', text: 'Called' } }, t.clock.ms);

    for (const pageSize of [1, 2, 5, 500]) {
      const rows = parse(await collect(pagedResponsesCsv(t.store, t.site.id, {}, pageSize)), { columns: true }) as Array<Record<string, string>>;
      expect(rows.map((r) => r.ticketRef), `page size ${pageSize}`).toEqual(tickets);
      expect(rows[0]!.notes).toMatch(/^\d{4}-\d{2}-\d{2} Sam: Called$/);
      expect(rows.slice(1).every((r) => r.notes === '')).toBe(true);
    }
  });

  it('applies the filter and writes only the header when nothing matches', async () => {
    const t = await testApi();
    const { token } = await t.createSurvey('T-1');
    await t.react(token, 'positive');
    expect(await collect(pagedResponsesCsv(t.store, t.site.id, { reaction: 'negative' }))).toBe(`${CSV_COLUMNS.join(',')}\r\n`);
  });
});

describe('the notes cell', () => {
  it('puts each note on a line of its own and indents a note’s own line breaks', () => {
    const at = Date.parse('2026-11-23T23:30:00Z');
    expect(notesCell([])).toBe('');
    expect(notesCell([
      { author: 'Sam', text: 'first\nsecond', followUp: 'contacted', at },
      { author: 'Dana', text: '-1 is not a formula here', followUp: null, at: at + 3_600_000 },
    ])).toBe('2026-11-23 Sam: first\n  second\n2026-11-24 Dana: -1 is not a formula here');
  });
});
