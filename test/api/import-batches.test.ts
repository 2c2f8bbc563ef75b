// `importResponses` in batches (api/store/sqlite-import.ts) against the same rows imported in one
// transaction, the way the import was written before: the same score, daily counts and values, events and
// public log entries. And the batched import stays all-or-nothing when a ticket is taken while it runs.
// (A process that dies mid-import: import-recovery.test.ts.)
import { describe, expect, it } from 'vitest';
import { verifyLocal } from '../../api/cli/verify.js';
import { DAY_MS, dayOf } from '../../api/domain/window.js';
import { ImportError } from '../../api/store/errors.js';
import { IMPORT_BATCH_ROWS, sqliteImport, type BatchRunner } from '../../api/store/sqlite-import.js';
import { sqliteLog } from '../../api/store/sqlite-log.js';
import type { ImportRow, NewSite } from '../../api/store/types.js';
import { newTokenId } from '../../api/domain/tokens.js';
import { newFile, open, type SqliteStore } from './store/fixtures.js';
import { T0 } from './helpers.js';

const ROWS = IMPORT_BATCH_ROWS * 2 + 345;
const MOMENTS = [undefined, 'onboarding', 'project'];

/** Rows over 120 days, out of order, with moments, comments and (for scored kinds) every value. */
function rowsFor(kind: 'reaction' | 'nps'): ImportRow[] {
  const reactions = ['positive', 'positive', 'neutral', 'negative'] as const;
  return Array.from({ length: ROWS }, (_, i) => ({
    line: i + 2,
    respondedAt: T0 - ((i * 7919) % 120) * DAY_MS - (i % 1000) * 1000,
    ticketRef: `T-${i}`,
    ...(kind === 'reaction' ? { reaction: reactions[i % 4] } : { value: i % 11 }),
    moment: MOMENTS[i % 3],
    comment: i % 9 === 0 ? `comment ${i}` : null,
  }));
}

async function siteIn(store: SqliteStore, kind: 'reaction' | 'nps') {
  const input: NewSite = { slug: 'acme', name: 'Acme', ...(kind === 'nps' ? { kind: 'nps' } : {}) };
  return store.createSite(input, T0 - 200 * DAY_MS);
}

/** Everything an import leaves, without the random response ids and the hashes that depend on them. */
function state(store: SqliteStore, siteId: number) {
  const all = (sql: string) => store.db.prepare(sql).all(siteId);
  const ids = new Map((all('SELECT id, ticket_ref FROM responses WHERE site_id = ?') as Array<{ id: string; ticket_ref: string }>).map((r) => [r.id, r.ticket_ref]));
  return {
    responses: all(`SELECT ticket_ref, reaction, comment, source, day, created_at, updated_at, follow_up, changeable_until, seeded, kind, scale, value, moment, dimensions
      FROM responses WHERE site_id = ? ORDER BY ticket_ref`),
    dailyCounts: all('SELECT day, positive, neutral, negative, imported, seeded, sealed FROM daily_counts WHERE site_id = ? ORDER BY day'),
    dailyValues: all('SELECT kind, scale, day, moment, value, n, imported FROM daily_values WHERE site_id = ? ORDER BY day, moment, value'),
    events: (all('SELECT seq, type, response_id, reaction, value, responded_at, at FROM response_events WHERE site_id = ? ORDER BY seq') as Array<{ response_id: string }>)
      .map(({ response_id, ...e }) => ({ ...e, ticket: ids.get(response_id) })),
    // The survey field is an HMAC of the response id, which differs between two imports.
    logEntries: (all('SELECT idx, data FROM log_entries WHERE site_id = ? ORDER BY idx') as Array<{ idx: number; data: string }>)
      .map((e) => ({ idx: e.idx, data: e.data.replace(/"survey":"[^"]*"/, '') })),
  };
}

describe('a batched import', () => {
  for (const kind of ['reaction', 'nps'] as const) {
    it(`of ${ROWS} ${kind} rows leaves what a one-transaction import leaves (score, daily counts and values, events, log)`, async () => {
      const batched = open(newFile());
      const oneShot = open(newFile());
      const siteA = await siteIn(batched, kind);
      const siteB = await siteIn(oneShot, kind);
      // Both sites already have a live answer, so the import's events follow an existing chain head.
      for (const [store, site] of [[batched, siteA], [oneShot, siteB]] as const) {
        const { survey } = await store.createSurvey({ siteId: site.id, ticketRef: 'LIVE-1', tokenId: newTokenId(), expiresAt: T0 + DAY_MS }, T0 - 130 * DAY_MS);
        await store.submitResponse({ survey, ...(kind === 'nps' ? { value: 9 } : { reaction: 'positive' }), changeWindowMs: DAY_MS }, T0 - 130 * DAY_MS);
      }
      const rows = rowsFor(kind);

      let batches = 0;
      // What the score reads, after each batch: the import counts nowhere until its last transaction.
      const counted = () => (batched.db.prepare('SELECT sum(n) AS n FROM daily_values WHERE site_id = ?').get(siteA.id) as { n: number }).n;
      const seen: number[] = [];
      const counting: BatchRunner = async (write) => {
        batches++;
        const result = batched.db.transaction(write).immediate();
        seen.push(counted());
        return result;
      };
      const viaBatches = sqliteImport(batched.db, sqliteLog(batched.db).catchUp, counting);
      expect(await viaBatches.importResponses(siteA.id, rows, T0)).toEqual({ imported: ROWS });
      // Staging (the first batch also writes the import, the last marks it ready), then responses with
      // their events and log entries, a batch each, then the counts once.
      expect(batches).toBe(2 * Math.ceil(ROWS / IMPORT_BATCH_ROWS) + 1);
      expect(seen).toEqual([...Array(batches - 1).fill(1), ROWS + 1]);

      const whole = sqliteImport(oneShot.db, sqliteLog(oneShot.db).catchUp, async (write) => oneShot.db.transaction(write).immediate(), Infinity);
      await whole.importResponses(siteB.id, rows, T0);

      const a = state(batched, siteA.id);
      expect(a.responses).toHaveLength(ROWS + 1);
      expect(a.events).toHaveLength(ROWS + 1);
      expect(a.logEntries).toHaveLength(ROWS + 1);
      expect(a).toEqual(state(oneShot, siteB.id));
      expect(await batched.countMismatches(siteA.id)).toEqual([]);
      const lines: string[] = [];
      expect(await verifyLocal(batched, siteA, T0, (l) => lines.push(l)), lines.join('\n')).toBe(0);
      const scoreA = await batched.answersBetween(siteA.id, siteA, dayOf(T0) - 89, dayOf(T0), null);
      const scoreB = await oneShot.answersBetween(siteB.id, siteB, dayOf(T0) - 89, dayOf(T0), null);
      expect(scoreA).toEqual(scoreB);
      expect(scoreA.imported).toBeGreaterThan(0);
    });
  }

  it('through the store: counts every row once and keeps the chain intact', async () => {
    const store = open(newFile());
    const site = await siteIn(store, 'reaction');
    const rows = rowsFor('reaction');
    await store.importResponses(site.id, rows, T0);
    expect(await store.countsBetween(site.id, 0, dayOf(T0))).toEqual({
      positive: rows.filter((r) => r.reaction === 'positive').length,
      neutral: rows.filter((r) => r.reaction === 'neutral').length,
      negative: rows.filter((r) => r.reaction === 'negative').length,
      imported: ROWS,
    });
    const lines: string[] = [];
    expect(await verifyLocal(store, site, T0, (l) => lines.push(l)), lines.join('\n')).toBe(0);
  });

  it('is all-or-nothing when a survey is issued for one of its tickets while it runs', async () => {
    const store = open(newFile());
    const site = await siteIn(store, 'reaction');
    const rows = rowsFor('reaction');
    const before = state(store, site.id);
    // The ticket of a row in the last batch gets a survey after the first batch went in.
    const late = [...rows].sort((a, b) => a.respondedAt - b.respondedAt || a.line - b.line)[ROWS - 1]!;
    let batches = 0;
    const runner: BatchRunner = async (write) => {
      if (++batches === 2) await store.createSurvey({ siteId: site.id, ticketRef: late.ticketRef, tokenId: newTokenId(), expiresAt: T0 + DAY_MS }, T0);
      return store.db.transaction(write).immediate();
    };
    const importer = sqliteImport(store.db, sqliteLog(store.db).catchUp, runner);
    const failed = await importer.importResponses(site.id, rows, T0).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(ImportError);
    expect((failed as ImportError).problems).toEqual([{ line: late.line, message: `ticket ${late.ticketRef} already has a survey or rating on this site` }]);
    // Some batches had gone in before: they were taken out again, and nothing else was touched.
    expect(batches).toBeGreaterThan(2);
    expect(state(store, site.id)).toEqual(before);
    expect(await store.countsBetween(site.id, 0, dayOf(T0))).toEqual({ positive: 0, neutral: 0, negative: 0, imported: 0 });
    // The tickets are free again: the same file without the taken ticket goes in.
    await store.importResponses(site.id, rows.filter((r) => r !== late), T0);
    expect((await store.countsBetween(site.id, 0, dayOf(T0))).imported).toBe(ROWS - 1);
  });

  it('refuses a file whose tickets repeat or are taken, writing nothing', async () => {
    const store = open(newFile());
    const site = await siteIn(store, 'reaction');
    await store.createSurvey({ siteId: site.id, ticketRef: 'T-5', tokenId: newTokenId(), expiresAt: T0 + DAY_MS }, T0);
    const rows = rowsFor('reaction');
    rows.push({ ...rows[7]!, line: ROWS + 2 });
    const failed = await store.importResponses(site.id, rows, T0).catch((error: unknown) => error);
    expect((failed as ImportError).problems).toEqual([
      { line: 7, message: 'ticket T-5 already has a survey or rating on this site' },
      { line: ROWS + 2, message: 'ticket T-7 already appears on line 9' },
    ]);
    expect(store.db.prepare('SELECT count(*) AS n FROM responses').get()).toEqual({ n: 0 });
    expect(store.db.prepare('SELECT count(*) AS n FROM response_events').get()).toEqual({ n: 0 });
  });
});
