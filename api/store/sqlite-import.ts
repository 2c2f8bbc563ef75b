// `csat import` into SQLite in short transactions, so a server on the same database keeps answering
// while a large file goes in, and all-or-nothing even when the importing process dies part way.
//
// 1. Every row is checked (in the CSV reader, then here against the site's tickets) before any write.
// 2. Staging: the rows go into import_rows, a batch per transaction, each batch checked again against the
//    site's surveys and responses in its own transaction. From then on a trigger refuses a survey for a
//    staged ticket, and a unique key refuses the ticket to another import, so nothing can take it.
//    Nothing staged counts anywhere or shows in the chain, the log or the inbox.
// 3. The import is marked 'ready' (all rows staged and checked).
// 4. The swap: staged rows move into responses, the site's chain and its public log, a batch per
//    transaction, oldest first; each moved row leaves staging in the same transaction.
// 5. The daily counts and values of all rows are added in one short transaction, which also ends the
//    import: the score moves once, from before the import to after it.
//
// A crash is recovered by the next process that opens the store (sqliteImport runs at every open): an
// import still staging is discarded, a 'ready' one is rolled forward to its end. Events and log entries
// are append-only, so an import whose swap began can only be completed, never taken back.
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import { chainEvent, type ChainEvent } from '../domain/chain.js';
import { initialFollowUp } from '../domain/follow-up.js';
import { importedAnswer, importOrder, importProblems, type ImportTicketState } from '../domain/import-plan.js';
import type { KindScale, SurveyKind } from '../domain/kinds.js';
import type { Reaction } from '../domain/reaction.js';
import { publicId } from '../domain/tokens.js';
import { dayOf } from '../domain/window.js';
import { ConflictError, ImportError, type ImportProblem } from './errors.js';
import type { ImportRow } from './types.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { IMPORT_GAP_MS } from './sqlite-busy.js';
import { eventFromRow, type EventRow } from './sqlite-events.js';

/** Migration 13. import_rows repeats site_id so the trigger and the unique key need no join. IF NOT EXISTS:
 * a database whose user_version was set back to replay an older step keeps these tables. */
export const IMPORT_SCHEMA = `
  -- An import under way. owner names the process writing it; alive_at (wall-clock ms) is renewed by its
  -- every batch, so another process can tell an abandoned import from a running one.
  CREATE TABLE IF NOT EXISTS imports (
    id INTEGER PRIMARY KEY,
    site_id INTEGER NOT NULL REFERENCES sites(id),
    state TEXT NOT NULL CHECK (state IN ('staging', 'ready')),
    kind TEXT NOT NULL,
    scale INTEGER NOT NULL,
    at INTEGER NOT NULL,
    owner TEXT NOT NULL,
    alive_at INTEGER NOT NULL
  ) STRICT;

  CREATE TABLE IF NOT EXISTS import_rows (
    import_id INTEGER NOT NULL REFERENCES imports(id),
    ord INTEGER NOT NULL,
    site_id INTEGER NOT NULL,
    ticket_ref TEXT NOT NULL,
    response_id TEXT NOT NULL,
    reaction TEXT NOT NULL CHECK (reaction IN ('positive', 'neutral', 'negative')),
    value INTEGER NOT NULL,
    moment TEXT NOT NULL,
    comment TEXT,
    responded_at INTEGER NOT NULL,
    PRIMARY KEY (import_id, ord)
  ) STRICT, WITHOUT ROWID;
  -- One ticket, one response: a ticket is staged by one import at most.
  CREATE UNIQUE INDEX IF NOT EXISTS import_rows_ticket ON import_rows(site_id, ticket_ref);

  -- What the import adds to the daily counts and values, summed while staging: the last transaction of
  -- the swap adds a few hundred rows instead of reading every staged one.
  CREATE TABLE IF NOT EXISTS import_counts (
    import_id INTEGER NOT NULL REFERENCES imports(id),
    day INTEGER NOT NULL,
    moment TEXT NOT NULL,
    value INTEGER NOT NULL,
    reaction TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (import_id, day, moment, value)
  ) STRICT, WITHOUT ROWID;

  -- A survey issued between an import's check of a ticket and its swap would give the ticket two ratings.
  CREATE TRIGGER IF NOT EXISTS surveys_not_for_staged_tickets BEFORE INSERT ON surveys
    WHEN EXISTS (SELECT 1 FROM import_rows WHERE site_id = NEW.site_id AND ticket_ref = NEW.ticket_ref)
    BEGIN SELECT RAISE(ABORT, 'ticket staged by an import'); END;
`;

const STAGED_MESSAGE = 'ticket staged by an import';

/** The ConflictError for a survey refused by the trigger above, or null for any other error. */
export function stagedTicketConflict(error: unknown, ticketRef: string): ConflictError | null {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (code !== 'SQLITE_CONSTRAINT_TRIGGER' || message !== STAGED_MESSAGE) return null;
  return new ConflictError('ticket_already_rated', `ticket ${ticketRef} is being imported with a rating`);
}

/** Rows per transaction, staging and swap alike. A swap batch writes a response, an event and a log
 * entry per row and takes the rows out of staging: 1,000 events with their log entries alone held the
 * lock 283 ms at the 99th percentile beside a loaded server, so a batch is 300. The longest wait of a
 * request beside a 200,000-row import is what `npm run bench` reports (bench/import-beside-server.ts). */
export const IMPORT_BATCH_ROWS = 300;

/** An import whose owner wrote nothing for this long is abandoned even if its process seems alive (a
 * process on another host or in another container, whose id means nothing here). */
export const IMPORT_ABANDONED_MS = 60_000;

/** Runs `write` as one IMMEDIATE transaction, letting the event loop turn before it (so a server in the
 * same process answers between batches) and waiting for the lock without blocking (see busy.ts). */
export type BatchRunner = <T>(write: () => T) => Promise<T>;

interface ImportRecord {
  id: number;
  site_id: number;
  state: 'staging' | 'ready';
  kind: SurveyKind;
  scale: number;
  at: number;
  owner: string;
  alive_at: number;
}

interface StagedRow {
  ord: number;
  ticket_ref: string;
  response_id: string;
  reaction: Reaction;
  value: number;
  moment: string;
  comment: string | null;
  responded_at: number;
}

/** The import's owner was taken over by another process (this one had stopped for too long). */
export class ImportTakenOverError extends Error {
  override name = 'ImportTakenOverError';
}

const processAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** An owner is `host:pid:random`. Dead if it ran on this host and its process is gone, or silent too long. */
export function isAbandoned(owner: string, aliveAt: number, nowMs = Date.now()): boolean {
  if (nowMs - aliveAt > IMPORT_ABANDONED_MS) return true;
  const [host, pid] = owner.split(':');
  return host === hostname() && pid !== String(process.pid) && !processAlive(Number(pid));
}

/** Blocks the thread: recovery runs while the store opens, before anything else in the process. */
const pause = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

export interface ImportOptions {
  /** Whether an import found at open was left by a process that is gone (tests replace it). */
  abandoned?: (owner: string, aliveAt: number) => boolean;
}

export function sqliteImport(
  db: Database.Database,
  catchUpLog: (siteId: number) => void,
  runOne: BatchRunner,
  batchRows = IMPORT_BATCH_ROWS,
  options: ImportOptions = {},
) {
  // SQLite's LIMIT -1 is no limit: a one-transaction import (batchRows Infinity) in tests.
  const limit = Number.isFinite(batchRows) ? batchRows : -1;
  const q = {
    site: db.prepare<[number], { slug: string; survey_kind: SurveyKind; scale: number }>('SELECT slug, survey_kind, scale FROM sites WHERE id = ?'),
    responseByTicket: db.prepare<[number, string], { id: string }>('SELECT id FROM responses WHERE site_id = ? AND ticket_ref = ?'),
    surveyByTicket: db.prepare<[number, string], { id: string }>('SELECT id FROM surveys WHERE site_id = ? AND ticket_ref = ?'),
    stagedByTicket: db.prepare<[number, string], { import_id: number }>('SELECT import_id FROM import_rows WHERE site_id = ? AND ticket_ref = ?'),
    imports: db.prepare<[], ImportRecord>('SELECT * FROM imports ORDER BY id'),
    importById: db.prepare<[number], ImportRecord>('SELECT * FROM imports WHERE id = ?'),
    insertImport: db.prepare<[number, string, number, number, string, number], { id: number }>(
      "INSERT INTO imports (site_id, state, kind, scale, at, owner, alive_at) VALUES (?, 'staging', ?, ?, ?, ?, ?) RETURNING id",
    ),
    // Every batch starts here: a batch of an owner that lost the import to another process changes nothing.
    claim: db.prepare<[number, number, string]>('UPDATE imports SET alive_at = ? WHERE id = ? AND owner = ?'),
    takeOver: db.prepare<[string, number, number, string]>('UPDATE imports SET owner = ?, alive_at = ? WHERE id = ? AND owner = ?'),
    markReady: db.prepare<[number]>("UPDATE imports SET state = 'ready' WHERE id = ? AND state = 'staging'"),
    stage: db.prepare(
      `INSERT INTO import_rows (import_id, ord, site_id, ticket_ref, response_id, reaction, value, moment, comment, responded_at)
       VALUES (@importId, @ord, @siteId, @ticketRef, @responseId, @reaction, @value, @moment, @comment, @respondedAt)`,
    ),
    count: db.prepare(
      `INSERT INTO import_counts (import_id, day, moment, value, reaction, n) VALUES (@importId, @day, @moment, @value, @reaction, @n)
       ON CONFLICT (import_id, day, moment, value) DO UPDATE SET n = n + excluded.n`,
    ),
    nextStaged: db.prepare<[number, number], StagedRow>('SELECT * FROM import_rows WHERE import_id = ? ORDER BY ord LIMIT ?'),
    unstage: db.prepare<[number, number]>('DELETE FROM import_rows WHERE import_id = ? AND ord <= ?'),
    counts: db.prepare<[number], { day: number; moment: string; value: number; reaction: Reaction; n: number }>(
      'SELECT day, moment, value, reaction, n FROM import_counts WHERE import_id = ?',
    ),
    dropCounts: db.prepare<[number]>('DELETE FROM import_counts WHERE import_id = ?'),
    dropImport: db.prepare<[number]>('DELETE FROM imports WHERE id = ?'),
    insertResponse: db.prepare(
      `INSERT INTO responses (id, site_id, survey_id, ticket_ref, reaction, comment, source, day, created_at, updated_at, follow_up, changeable_until, seeded,
         kind, scale, value, moment, dimensions)
       VALUES (@id, @siteId, NULL, @ticketRef, @reaction, @comment, 'import', @day, @createdAt, @createdAt, @followUp, NULL, 0,
         @kind, @scale, @value, @moment, '')`,
    ),
    lastEvent: db.prepare<[number], EventRow>('SELECT * FROM response_events WHERE site_id = ? ORDER BY seq DESC LIMIT 1'),
    insertEvent: db.prepare(
      `INSERT INTO response_events (site_id, seq, type, response_id, reaction, value, responded_at, at, prev_hash, hash)
       VALUES (@siteId, @seq, @type, @response, @reaction, @value, @respondedAt, @at, @prevHash, @hash)`,
    ),
    addDay: db.prepare(
      `INSERT INTO daily_counts (site_id, day, positive, neutral, negative, imported, seeded, sealed)
       VALUES (@siteId, @day, @positive, @neutral, @negative, @imported, 0, 0)
       ON CONFLICT (site_id, day) DO UPDATE SET
         positive = positive + excluded.positive, neutral = neutral + excluded.neutral,
         negative = negative + excluded.negative, imported = imported + excluded.imported`,
    ),
    addValue: db.prepare(
      `INSERT INTO daily_values (site_id, kind, scale, day, moment, value, n, imported)
       VALUES (@siteId, @kind, @scale, @day, @moment, @value, @n, @n)
       ON CONFLICT (site_id, kind, scale, day, moment, value) DO UPDATE SET n = n + excluded.n, imported = imported + excluded.imported`,
    ),
  };

  /** Where a ticket stands on the site; the rules on it are the domain's (import-plan.ts). */
  const ticketState = (siteId: number) => (ticketRef: string): ImportTicketState =>
    q.responseByTicket.get(siteId, ticketRef) || q.surveyByTicket.get(siteId, ticketRef) ? 'taken'
      : q.stagedByTicket.get(siteId, ticketRef) ? 'staged' : 'free';
  const conflicts = (siteId: number, rows: readonly ImportRow[]): ImportProblem[] => importProblems(rows, ticketState(siteId));

  const claim = (id: number, owner: string) => {
    if (q.claim.run(Date.now(), id, owner).changes !== 1) {
      throw new ImportTakenOverError(`import ${id} was taken over by another process after this one stopped for over ${IMPORT_ABANDONED_MS / 1000} s; that process completes or discards it`);
    }
  };

  /** One batch of staged rows, checked against the site in the same transaction that stages them. */
  const stageBatch = (record: ImportRecord, batch: ReadonlyArray<{ row: ImportRow; ord: number; staged: Omit<StagedRow, 'ord'> }>) => {
    claim(record.id, record.owner);
    const problems = conflicts(record.site_id, batch.map((b) => b.row));
    if (problems.length > 0) throw new ImportError(problems);
    for (const { ord, staged } of batch) {
      q.stage.run({
        importId: record.id,
        ord,
        siteId: record.site_id,
        ticketRef: staged.ticket_ref,
        responseId: staged.response_id,
        reaction: staged.reaction,
        value: staged.value,
        moment: staged.moment,
        comment: staged.comment,
        respondedAt: staged.responded_at,
      });
      q.count.run({ importId: record.id, day: dayOf(staged.responded_at), moment: staged.moment, value: staged.value, reaction: staged.reaction, n: 1 });
    }
  };

  /** The next staged rows into responses, the chain and the public log; when none are left, the counts
   * (finish) and false. */
  const swapBatch = (record: ImportRecord, owner: string, slug: string): boolean => {
    claim(record.id, owner);
    const rows = q.nextStaged.all(record.id, limit);
    if (rows.length === 0) {
      finish(record);
      return false;
    }
    const last = q.lastEvent.get(record.site_id);
    let previous: ChainEvent | null = last ? eventFromRow(last, slug) : null;
    for (const r of rows) {
      q.insertResponse.run({
        id: r.response_id,
        siteId: record.site_id,
        ticketRef: r.ticket_ref,
        reaction: r.reaction,
        comment: r.comment,
        day: dayOf(r.responded_at),
        createdAt: r.responded_at,
        followUp: initialFollowUp(r.reaction),
        kind: record.kind,
        scale: record.scale,
        value: r.value,
        moment: r.moment,
      });
      const event = chainEvent(
        {
          site: slug,
          seq: (previous?.seq ?? 0) + 1,
          type: 'import',
          response: r.response_id,
          reaction: r.reaction,
          ...(record.kind === 'reaction' ? {} : { value: r.value }),
          respondedAt: r.responded_at,
          at: record.at,
        },
        previous,
      );
      q.insertEvent.run({ value: null, ...event, siteId: record.site_id });
      previous = event;
    }
    catchUpLog(record.site_id);
    q.unstage.run(record.id, rows[rows.length - 1]!.ord);
    return true;
  };

  /** The last transaction: the counts of all rows at once, and the import is over. */
  const finish = (record: ImportRecord) => {
    const days = new Map<number, { positive: number; neutral: number; negative: number; imported: number }>();
    for (const c of q.counts.all(record.id)) {
      const d = days.get(c.day) ?? days.set(c.day, { positive: 0, neutral: 0, negative: 0, imported: 0 }).get(c.day)!;
      d[c.reaction] += c.n;
      d.imported += c.n;
      q.addValue.run({ siteId: record.site_id, kind: record.kind, scale: record.scale, day: c.day, moment: c.moment, value: c.value, n: c.n });
    }
    for (const [day, d] of days) q.addDay.run({ siteId: record.site_id, day, ...d });
    q.dropCounts.run(record.id);
    q.dropImport.run(record.id);
  };

  /** Takes staged rows out, a batch per transaction, then the import itself. */
  const discardBatch = (record: ImportRecord, owner: string): boolean => {
    claim(record.id, owner);
    const rows = q.nextStaged.all(record.id, limit);
    if (rows.length > 0) {
      q.unstage.run(record.id, rows[rows.length - 1]!.ord);
      return true;
    }
    q.dropCounts.run(record.id);
    q.dropImport.run(record.id);
    return false;
  };

  const newOwner = () => `${hostname()}:${process.pid}:${randomBytes(6).toString('hex')}`;

  // Recovery, while the store opens: imports whose process is gone are rolled forward ('ready') or
  // discarded ('staging'). Short transactions with a pause between them, as the import itself, so a
  // server already running on the database goes on answering meanwhile.
  const abandoned = options.abandoned ?? ((owner: string, aliveAt: number) => isAbandoned(owner, aliveAt));
  const recover = () => {
    for (const found of q.imports.all()) {
      if (!abandoned(found.owner, found.alive_at)) continue;
      const owner = newOwner();
      const taken = db.transaction(() => q.takeOver.run(owner, Date.now(), found.id, found.owner).changes === 1).immediate();
      if (!taken) continue; // another process got there first
      const record = q.importById.get(found.id)!;
      const slug = q.site.get(record.site_id)!.slug;
      for (;;) {
        const started = performance.now();
        const more = db.transaction(() => (record.state === 'ready' ? swapBatch(record, owner, slug) : discardBatch(record, owner))).immediate();
        if (!more) break;
        pause(Math.max(IMPORT_GAP_MS, performance.now() - started));
      }
    }
  };
  recover();

  async function importResponses(siteId: number, rows: ImportRow[], now: number): Promise<{ imported: number }> {
    // Between two batches of this import the lock stays free for as long as the previous batch held it,
    // and at least IMPORT_GAP_MS: longer than a waiting writer sleeps between its tries (sqlite-busy.ts),
    // so the server's writes get in between batches. Nothing waits after the last batch.
    let freeAt = 0;
    const runBatch: BatchRunner = async (write) => {
      const wait = freeAt - performance.now();
      if (wait > 0) await sleep(wait);
      const started = performance.now();
      const result = await runOne(write);
      freeAt = performance.now() + Math.max(IMPORT_GAP_MS, performance.now() - started);
      return result;
    };
    const site = q.site.get(siteId);
    if (!site) throw new Error(`no site with id ${siteId}`);
    // Reads only: no lock is held while every line is checked against the site.
    const problems = conflicts(siteId, rows);
    if (problems.length > 0) throw new ImportError(problems);
    if (rows.length === 0) return { imported: 0 };

    const ks: KindScale = { kind: site.survey_kind, scale: site.scale || null };
    const staged = importOrder(rows).map((row, ord) => {
      const { reaction, value, moment } = importedAnswer(row, ks);
      return {
        row,
        ord,
        staged: { ticket_ref: row.ticketRef, response_id: publicId('rs'), reaction, value, moment, comment: row.comment, responded_at: row.respondedAt },
      };
    });
    const batches = <T>(list: readonly T[]) => {
      const size = Math.max(1, Math.min(batchRows, list.length));
      return Array.from({ length: Math.ceil(list.length / size) }, (_, i) => list.slice(i * size, (i + 1) * size));
    };

    const owner = newOwner();
    // The import's own row is written with its first batch, and it is marked 'ready' by its last one.
    const create = () => q.importById.get(q.insertImport.get(siteId, site.survey_kind, site.scale, now, owner, Date.now())!.id)!;
    const list = batches(staged);
    let record: ImportRecord | undefined;
    try {
      for (const [i, batch] of list.entries()) {
        record = await runBatch(() => {
          const r = record ?? create();
          stageBatch(r, batch);
          if (i === list.length - 1) q.markReady.run(r.id);
          return r;
        });
      }
    } catch (error) {
      // Nothing staged counts or shows anywhere: it can go. (Taken over: the other process discards it.)
      const started = record;
      if (started && !(error instanceof ImportTakenOverError)) while (await runBatch(() => discardBatch(started, owner)));
      throw error;
    }
    // From here on the import only goes forward: a failure leaves it 'ready' for the next open to finish.
    const ready = record!;
    while (await runBatch(() => swapBatch(ready, owner, site.slug)));
    return { imported: rows.length };
  }

  return { importResponses };
}
