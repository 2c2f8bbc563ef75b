// Reads another tool's history (`date,ticketRef,reaction,comment`) into import rows, or explains every
// bad line. No I/O: the CLI reads the file and hands the text over.
import { parse } from 'csv-parse/sync';
import { commentLength, MAX_COMMENT_CHARS, normalizeComment } from './domain/comment.js';
import { isReaction } from './domain/reaction.js';
import type { ImportProblem } from './store/errors.js';
import type { ImportRow } from './store/types.js';

const REQUIRED = ['date', 'ticketRef', 'reaction'] as const;
const KNOWN = new Set<string>([...REQUIRED, 'comment']);
const EARLIEST = Date.parse('2000-01-01T00:00:00Z');
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

export type CsvImport = { ok: true; rows: ImportRow[] } | { ok: false; problems: ImportProblem[] };

/** A date (`2026-03-01`, taken as 00:00 UTC) or a date-time with its offset; anything ambiguous is refused. */
function parseDate(text: string): number | null {
  if (DATE_ONLY.test(text)) {
    const ms = Date.parse(`${text}T00:00:00Z`);
    return Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== text ? null : ms;
  }
  if (DATE_TIME.test(text)) {
    const ms = Date.parse(text);
    return Number.isNaN(ms) ? null : ms;
  }
  return null;
}

export function parseImportCsv(text: string, now: number): CsvImport {
  let records: Array<{ record: Record<string, string>; info: { lines: number } }>;
  try {
    records = parse(text, { columns: true, skip_empty_lines: true, info: true, bom: true, trim: true });
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 1;
    return { ok: false, problems: [{ line, message: `not valid CSV: ${(error as Error).message}` }] };
  }
  if (records.length === 0) return { ok: false, problems: [{ line: 1, message: 'no rows to import (the first line must be the header date,ticketRef,reaction,comment)' }] };

  const columns = Object.keys(records[0]!.record);
  const problems: ImportProblem[] = [];
  const missing = REQUIRED.filter((c) => !columns.includes(c));
  const unknown = columns.filter((c) => !KNOWN.has(c));
  if (missing.length || unknown.length) {
    const parts = [missing.length ? `missing column(s) ${missing.join(', ')}` : '', unknown.length ? `unknown column(s) ${unknown.join(', ')}` : ''];
    return { ok: false, problems: [{ line: 1, message: `${parts.filter(Boolean).join('; ')}; expected date,ticketRef,reaction,comment` }] };
  }

  const rows: ImportRow[] = [];
  for (const { record, info } of records) {
    const line = info.lines;
    const fail = (message: string) => problems.push({ line, message });
    const respondedAt = parseDate(record.date ?? '');
    const reaction = (record.reaction ?? '').toLowerCase();
    const ticketRef = record.ticketRef ?? '';
    const comment = record.comment ?? '';
    if (respondedAt === null) fail(`date "${record.date}" is not a date like 2026-03-01 or 2026-03-01T14:30:00Z`);
    else if (respondedAt > now) fail(`date ${record.date} is in the future`);
    else if (respondedAt < EARLIEST) fail(`date ${record.date} is before 2000`);
    if (ticketRef === '') fail('ticketRef is empty');
    else if (ticketRef.length > 200) fail('ticketRef is longer than 200 characters');
    if (!isReaction(reaction)) fail(`reaction "${record.reaction}" is not one of positive, neutral, negative`);
    if (commentLength(comment) > MAX_COMMENT_CHARS) fail(`comment is longer than ${MAX_COMMENT_CHARS} characters`);
    if (respondedAt !== null && isReaction(reaction) && ticketRef !== '') {
      rows.push({ line, respondedAt, ticketRef, reaction, comment: normalizeComment(comment) });
    }
  }
  return problems.length ? { ok: false, problems } : { ok: true, rows };
}
