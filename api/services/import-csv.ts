// Reads another tool's history into import rows, or explains every bad line: `date,ticketRef,reaction,comment`
// for reaction sites, `date,ticketRef,score,comment` for CSAT and NPS sites, each with an optional `moment`
// column. No I/O: the CLI reads the file and hands the text over.
import { parse } from 'csv-parse/sync';
import { commentLength, MAX_COMMENT_CHARS, normalizeComment } from '../domain/comment.js';
import { isReaction } from '../domain/reaction.js';
import { answerValues, isAnswerValue, type KindScale } from '../domain/kinds.js';
import { isMoment } from '../domain/moments.js';
import type { ImportProblem } from '../store/errors.js';
import type { ImportRow } from '../store/types.js';

/** The columns of a site's kind: the answer is a reaction, or a score on the site's scale. */
const columnsOf = (ks: KindScale) => {
  const required = ['date', 'ticketRef', ks.kind === 'reaction' ? 'reaction' : 'score'];
  return { required, known: new Set([...required, 'comment', 'moment']), header: `${required.join(',')},comment` };
};
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

export function parseImportCsv(text: string, now: number, ks: KindScale = { kind: 'reaction', scale: null }): CsvImport {
  const { required, known, header } = columnsOf(ks);
  const values = answerValues(ks);
  let records: Array<{ record: Record<string, string>; info: { lines: number } }>;
  try {
    records = parse(text, { columns: true, skip_empty_lines: true, info: true, bom: true, trim: true });
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 1;
    return { ok: false, problems: [{ line, message: `not valid CSV: ${(error as Error).message}` }] };
  }
  if (records.length === 0) return { ok: false, problems: [{ line: 1, message: `no rows to import (the first line must be the header ${header})` }] };

  const columns = Object.keys(records[0]!.record);
  const problems: ImportProblem[] = [];
  const missing = required.filter((c) => !columns.includes(c));
  const unknown = columns.filter((c) => !known.has(c));
  if (missing.length || unknown.length) {
    const parts = [missing.length ? `missing column(s) ${missing.join(', ')}` : '', unknown.length ? `unknown column(s) ${unknown.join(', ')}` : ''];
    return { ok: false, problems: [{ line: 1, message: `${parts.filter(Boolean).join('; ')}; expected ${header} (and optionally moment)` }] };
  }

  const rows: ImportRow[] = [];
  for (const { record, info } of records) {
    const line = info.lines;
    const fail = (message: string) => problems.push({ line, message });
    const respondedAt = parseDate(record.date ?? '');
    const reaction = (record.reaction ?? '').toLowerCase();
    const score = /^\d{1,2}$/.test(record.score ?? '') ? Number(record.score) : NaN;
    const moment = record.moment || undefined;
    const ticketRef = record.ticketRef ?? '';
    const comment = record.comment ?? '';
    const answered = ks.kind === 'reaction' ? isReaction(reaction) : isAnswerValue(ks, score);
    if (respondedAt === null) fail(`date "${record.date}" is not a date like 2026-03-01 or 2026-03-01T14:30:00Z`);
    else if (respondedAt > now) fail(`date ${record.date} is in the future`);
    else if (respondedAt < EARLIEST) fail(`date ${record.date} is before 2000`);
    if (ticketRef === '') fail('ticketRef is empty');
    else if (ticketRef.length > 200) fail('ticketRef is longer than 200 characters');
    if (ks.kind === 'reaction' && !answered) fail(`reaction "${record.reaction}" is not one of positive, neutral, negative`);
    if (ks.kind !== 'reaction' && !answered) fail(`score "${record.score}" is not a whole number from ${values[0]} to ${values[values.length - 1]}`);
    if (moment !== undefined && !isMoment(moment)) fail(`moment "${moment}" is not a moment name (a-z, 0-9 and -, at most 40)`);
    if (commentLength(comment) > MAX_COMMENT_CHARS) fail(`comment is longer than ${MAX_COMMENT_CHARS} characters`);
    if (respondedAt !== null && answered && ticketRef !== '') {
      const answer = ks.kind === 'reaction' ? { reaction: reaction as ImportRow['reaction'] } : { value: score };
      rows.push({ line, respondedAt, ticketRef, ...answer, moment, comment: normalizeComment(comment) });
    }
  }
  return problems.length ? { ok: false, problems } : { ok: true, rows };
}
