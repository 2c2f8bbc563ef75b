// `csat import` into SQLite in short transactions, so a server on the same database keeps answering
// while a large file goes in: an import in one transaction held the write lock for as long as the whole
// file took, and every write of the server waited that long.
//
// The import is still all-or-nothing towards the score, and towards bad input:
// 1. every row is checked (in the CSV reader, then here against the site's tickets) before any write;
// 2. the responses go in, a batch per transaction. They claim their tickets (no survey can be issued for
//    them meanwhile) but count nowhere: the score reads daily counts only. If a ticket was taken by a
//    survey issued in the meantime, every response this import wrote is removed again;
// 3. their events go into the site's chain and its public log, a batch per transaction, oldest first as a
//    one-shot import writes them (events and log entries are append-only: nothing after step 2 can fail
//    on input);
// 4. the daily counts and values of all rows are added in one short transaction: the score moves once,
//    from before the import to after it, and ends exactly where a one-shot import leaves it.
import type Database from 'better-sqlite3';
import { chainEvent, type ChainEvent } from '../domain/chain.js';
import { initialFollowUp } from '../domain/follow-up.js';
import { classOf, REACTION_VALUE, type KindScale, type SurveyKind } from '../domain/kinds.js';
import { DEFAULT_MOMENT } from '../domain/moments.js';
import { publicId } from '../domain/tokens.js';
import { dayOf } from '../domain/window.js';
import { ImportError, type ImportProblem } from './errors.js';
import type { ImportRow, StoredResponse } from './types.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { IMPORT_GAP_MS } from './sqlite-busy.js';
import { eventFromRow, type EventRow } from './sqlite-events.js';

/** Rows per transaction: small enough that a batch holds the lock for tens of milliseconds on a small
 * machine, large enough that the import is not slowed by its commits. The longest wait of a request
 * beside a 200,000-row import is what `npm run bench` reports (bench/import-beside-server.ts). */
export const IMPORT_BATCH_ROWS = 1000;


/** Runs `write` as one IMMEDIATE transaction, letting the event loop turn before it (so a server in the
 * same process answers between batches) and waiting for the lock without blocking (see busy.ts). */
export type BatchRunner = <T>(write: () => T) => Promise<T>;

export function sqliteImport(db: Database.Database, catchUpLog: (siteId: number) => void, runOne: BatchRunner, batchRows = IMPORT_BATCH_ROWS) {
  const q = {
    site: db.prepare<[number], { slug: string; survey_kind: SurveyKind; scale: number }>('SELECT slug, survey_kind, scale FROM sites WHERE id = ?'),
    responseByTicket: db.prepare<[number, string], { id: string }>('SELECT id FROM responses WHERE site_id = ? AND ticket_ref = ?'),
    surveyByTicket: db.prepare<[number, string], { id: string }>('SELECT id FROM surveys WHERE site_id = ? AND ticket_ref = ?'),
    insertResponse: db.prepare(
      `INSERT INTO responses (id, site_id, survey_id, ticket_ref, reaction, comment, source, day, created_at, updated_at, follow_up, changeable_until, seeded,
         kind, scale, value, moment, dimensions)
       VALUES (@id, @siteId, NULL, @ticketRef, @reaction, @comment, 'import', @day, @createdAt, @createdAt, @followUp, NULL, 0,
         @kind, @scale, @value, @moment, '')`,
    ),
    deleteResponses: db.prepare<[number, string]>(
      `DELETE FROM responses WHERE site_id = ? AND source = 'import' AND id IN (SELECT value FROM json_each(?))`,
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

  /** Every line whose ticket is repeated in the file or already has a survey or rating on the site. */
  const conflicts = (siteId: number, rows: readonly ImportRow[], seen: Map<string, number>): ImportProblem[] => {
    const problems: ImportProblem[] = [];
    for (const row of rows) {
      const first = seen.get(row.ticketRef);
      if (first !== undefined && first !== row.line) problems.push({ line: row.line, message: `ticket ${row.ticketRef} already appears on line ${first}` });
      else if (q.responseByTicket.get(siteId, row.ticketRef) || q.surveyByTicket.get(siteId, row.ticketRef)) {
        problems.push({ line: row.line, message: `ticket ${row.ticketRef} already has a survey or rating on this site` });
      }
      seen.set(row.ticketRef, first ?? row.line);
    }
    return problems;
  };


  /** Responses of one batch; a ticket taken since the check aborts the batch (and the import). */
  const insertResponses = (siteId: number, batch: Array<{ row: ImportRow; response: StoredResponse }>) => {
    const problems = conflicts(siteId, batch.map((b) => b.row), new Map());
    if (problems.length > 0) throw new ImportError(problems);
    for (const { response } of batch) {
      q.insertResponse.run({
        ...response,
        scale: response.scale ?? 0,
        day: dayOf(response.createdAt),
        followUp: initialFollowUp(response.reaction),
      });
    }
  };

  /** One 'import' event per response, after the chain's current head, then their public log entries. */
  const appendEvents = (siteId: number, slug: string, batch: readonly StoredResponse[], now: number) => {
    const last = q.lastEvent.get(siteId);
    let previous: ChainEvent | null = last ? eventFromRow(last, slug) : null;
    for (const response of batch) {
      const event = chainEvent(
        {
          site: slug,
          seq: (previous?.seq ?? 0) + 1,
          type: 'import',
          response: response.id,
          reaction: response.reaction,
          ...(response.kind === 'reaction' ? {} : { value: response.value }),
          respondedAt: response.createdAt,
          at: now,
        },
        previous,
      );
      q.insertEvent.run({ value: null, ...event, siteId });
      previous = event;
    }
    catchUpLog(siteId);
  };

  /** The counts of all rows, summed per day and per (day, moment, value): a few hundred upserts at most. */
  const addCounts = (siteId: number, responses: readonly StoredResponse[]) => {
    const days = new Map<number, { positive: number; neutral: number; negative: number; imported: number }>();
    const values = new Map<string, { kind: SurveyKind; scale: number; day: number; moment: string; value: number; n: number }>();
    for (const r of responses) {
      const day = dayOf(r.createdAt);
      const d = days.get(day) ?? days.set(day, { positive: 0, neutral: 0, negative: 0, imported: 0 }).get(day)!;
      d[r.reaction] += 1;
      d.imported += 1;
      const key = `${day}\u0000${r.moment}\u0000${r.value}`;
      const v = values.get(key) ?? values.set(key, { kind: r.kind, scale: r.scale ?? 0, day, moment: r.moment, value: r.value, n: 0 }).get(key)!;
      v.n += 1;
    }
    for (const [day, d] of days) q.addDay.run({ siteId, day, ...d });
    for (const v of values.values()) q.addValue.run({ siteId, ...v });
  };

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
    const problems = conflicts(siteId, rows, new Map());
    if (problems.length > 0) throw new ImportError(problems);

    // Chronological order keeps the log readable; the chain itself only needs a stable order.
    const ordered = [...rows].sort((a, b) => a.respondedAt - b.respondedAt || a.line - b.line);
    const ks: KindScale = { kind: site.survey_kind, scale: site.scale || null };
    const staged = ordered.map((row) => {
      const value = row.value ?? REACTION_VALUE[row.reaction ?? 'neutral'];
      const response: StoredResponse = {
        id: publicId('rs'),
        siteId,
        surveyId: null,
        ticketRef: row.ticketRef,
        reaction: classOf(ks, value),
        ...ks,
        value,
        moment: row.moment ?? DEFAULT_MOMENT,
        dimensions: [],
        comment: row.comment,
        source: 'import',
        createdAt: row.respondedAt,
        updatedAt: row.respondedAt,
      };
      return { row, response };
    });
    const batches = <T>(list: readonly T[]) => {
      const size = Math.max(1, Math.min(batchRows, list.length));
      return Array.from({ length: Math.ceil(list.length / size) }, (_, i) => list.slice(i * size, (i + 1) * size));
    };

    const written: string[] = [];
    try {
      for (const batch of batches(staged)) {
        await runBatch(() => insertResponses(siteId, batch));
        for (const b of batch) written.push(b.response.id);
      }
    } catch (error) {
      // Nothing of this import counts yet and no event names it: its responses can go.
      for (const ids of batches(written)) await runBatch(() => q.deleteResponses.run(siteId, JSON.stringify(ids)));
      throw error;
    }
    const responses = staged.map((s) => s.response);
    for (const batch of batches(responses)) await runBatch(() => appendEvents(siteId, site.slug, batch, now));
    await runBatch(() => addCounts(siteId, responses));
    return { imported: rows.length };
  }

  return { importResponses };
}
