// The export's own read-only connection to the database file. better-sqlite3 runs one statement at a
// time per connection, so an export reading on the store's connection would share it with every write;
// on a connection of its own, WAL lets it read beside the writer, and a download that a client reads
// slowly (or not at all) never stands in a write's way.
//
// Each page is read in one short read transaction (the responses and their notes agree) and nothing is
// held between pages: a reader that kept its snapshot open for the whole download would stop WAL
// checkpoints from getting past it, and the WAL file would grow for as long as the client dawdles.
import Database from 'better-sqlite3';
import { BUSY_TIMEOUT_MS } from './sqlite-busy.js';
import { toNote, type NoteRow } from './rows.js';
import type { InboxCursor, InboxFilter, InboxItem, Note } from './types.js';

export type ExportPage = Array<InboxItem & { noteList: Note[] }>;

/** What the reader borrows from the store, so the inbox and the export select and map rows alike. */
export interface ReaderQueries<Row> {
  /** The inbox's SELECT, WHERE and ORDER BY for a filter and cursor, every value bound. */
  inboxQuery: (siteId: number, filter: InboxFilter, cursor: InboxCursor | null) => { sql: string; params: Record<string, unknown> };
  toItem: (row: Row) => InboxItem;
}

/**
 * Opens the reader beside `writer`. A database in memory cannot be opened twice (a second connection
 * would see another, empty database), so there the reader reads on the writer's connection: still a
 * page per query with no statement left open between pages, so a slow client holds nothing.
 */
export function sqliteReader<Row>(writer: Database.Database, queries: ReaderQueries<Row>) {
  const own = !writer.memory;
  const db = own ? new Database(writer.name, { readonly: true, fileMustExist: true }) : writer;
  if (own) db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  const notesOf = db.prepare<[number, string], NoteRow>(
    `SELECT n.response_id, n.author, n.text, n.follow_up, n.at FROM response_notes n JOIN responses r ON r.id = n.response_id
     WHERE r.site_id = ? AND n.response_id IN (SELECT value FROM json_each(?)) ORDER BY n.at, n.id`,
  );
  // The filter decides the WHERE clause, so its statement is prepared per filter shape and kept.
  const pageStatements = new Map<string, Database.Statement<[Record<string, unknown>], Row>>();
  const page = db.transaction((siteId: number, filter: InboxFilter, cursor: InboxCursor | null, limit: number): ExportPage => {
    const { sql, params } = queries.inboxQuery(siteId, filter, cursor);
    const text = `${sql} LIMIT @limit`;
    let statement = pageStatements.get(text);
    if (!statement) pageStatements.set(text, (statement = db.prepare<[Record<string, unknown>], Row>(text)));
    const items = statement.all({ ...params, limit }).map(queries.toItem);
    const notes = new Map<string, Note[]>();
    for (const n of notesOf.all(siteId, JSON.stringify(items.map((item) => item.id)))) {
      const list = notes.get(n.response_id) ?? notes.set(n.response_id, []).get(n.response_id)!;
      list.push(toNote(n));
    }
    return items.map((item) => ({ ...item, noteList: notes.get(item.id) ?? [] }));
  });
  return {
    /** Responses after `cursor`, newest first, with their notes oldest first. */
    exportPage(siteId: number, filter: InboxFilter, cursor: InboxCursor | null, limit: number): ExportPage {
      // A DEFERRED transaction: it takes a read snapshot only, never the write lock.
      return page.deferred(siteId, filter, cursor, limit);
    },
    /** Whether the reader has a connection of its own (false for a database in memory). */
    separate: own,
    close(): void {
      if (own) db.close();
    },
  };
}
