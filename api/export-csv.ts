// Responses as CSV (RFC 4180, CRLF), one line at a time, for the HTTP export and `csat export` alike.
// Spreadsheet formulas in any cell are neutralised (domain/spreadsheet.ts).
import { stringify } from 'csv-stringify/sync';
import { neutralizeFormula } from './domain/spreadsheet.js';
import type { InboxItem } from './store/types.js';

export const CSV_COLUMNS = [
  'id', 'createdAt', 'updatedAt', 'ticketRef', 'reaction', 'comment', 'followUp', 'team', 'technician', 'contactEmail', 'contactName', 'source',
] as const;

const line = (cells: Array<string | null>) =>
  stringify([cells.map((cell) => (cell === null ? '' : neutralizeFormula(cell)))], { record_delimiter: 'windows' });

export function* responsesCsv(items: Iterable<InboxItem>): Generator<string> {
  yield line([...CSV_COLUMNS]);
  for (const item of items) {
    yield line([
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
    ]);
  }
}
