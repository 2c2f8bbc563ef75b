// Responses as CSV (RFC 4180, CRLF), one line at a time, for the HTTP export and `csat export` alike.
// Spreadsheet formulas in any cell are neutralised (domain/spreadsheet.ts).
import { stringify } from 'csv-stringify/sync';
import { neutralizeFormula } from '../domain/spreadsheet.js';
import { dayOf, isoDay } from '../domain/window.js';
import type { InboxCursor, InboxFilter, InboxItem, Note, Store } from '../store/types.js';

export const CSV_COLUMNS = [
  'id', 'createdAt', 'updatedAt', 'ticketRef', 'reaction', 'comment', 'followUp', 'team', 'technician', 'contactEmail', 'contactName', 'source', 'notes',
  // Added with survey kinds, after the older columns so existing spreadsheets keep their places.
  // `reaction` is the answer's class; `score` the CSAT or NPS answer (empty for reactions).
  'kind', 'scale', 'score', 'moment', 'dimensions',
] as const;

/** A response with its follow-up notes; without `noteList` the notes cell stays empty. */
export type ExportItem = InboxItem & { noteList?: readonly Note[] };

/** Responses read per query by the paged export. Pages are read in inbox order from an index, so a page
 * costs its own rows only, and each is read on the server's one thread: small pages keep every read
 * short, and other requests are served between two pages. */
const PAGE_SIZE = 200;

const line = (cells: Array<string | null>) =>
  stringify([cells.map((cell) => (cell === null ? '' : neutralizeFormula(cell)))], { record_delimiter: 'windows' });

/** "YYYY-MM-DD author: text" per note (UTC day), oldest first, one per line. A note's own line breaks
 * are indented, so every line that starts at the margin is a new note; and since each note starts with
 * its date, no line of the cell can start a formula. */
export function notesCell(notes: readonly Note[]): string {
  return notes.map((n) => `${isoDay(dayOf(n.at))} ${n.author}: ${n.text.replace(/\r?\n/g, '\n  ')}`).join('\n');
}

export const csvHeader = (): string => line([...CSV_COLUMNS]);

export function csvRow(item: ExportItem): string {
  return line([
    item.id,
    new Date(item.createdAt).toISOString(),
    new Date(item.updatedAt).toISOString(),
    item.ticketRef,
    item.reaction,
    item.comment,
    item.followUp,
    item.team,
    item.technician,
    item.contactEmail,
    item.contactName,
    item.source,
    item.noteList ? notesCell(item.noteList) : null,
    item.kind,
    item.scale === null ? null : String(item.scale),
    item.kind === 'reaction' ? null : String(item.value),
    item.moment,
    item.dimensions.join(' '),
  ]);
}

/**
 * The export with notes, one page of responses (and their notes) per read. The store reads each page
 * on a connection of its own where it has one, and holds nothing open between pages; so a client that
 * reads slowly holds up no write, and a response that arrives meanwhile is newer than the cursor and is
 * not exported twice. The caller pulls the next page only once the previous one is written out, so a
 * download that is not read stops the reading too (nothing piles up in memory).
 */
export async function* pagedResponsesCsv(store: Pick<Store, 'exportPage'>, siteId: number, filter: InboxFilter, pageSize = PAGE_SIZE): AsyncGenerator<string> {
  yield csvHeader();
  let cursor: InboxCursor | null = null;
  for (;;) {
    const page = await store.exportPage(siteId, filter, cursor, pageSize);
    if (page.length === 0) return;
    yield page.map(csvRow).join('');
    if (page.length < pageSize) return;
    const last = page[page.length - 1]!;
    cursor = { createdAt: last.createdAt, id: last.id };
  }
}
