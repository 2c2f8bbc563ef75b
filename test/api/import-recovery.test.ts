// An import that stops for good part way (its process died: here its next batch never runs) is finished
// or discarded by the next store that opens the database (api/store/sqlite-import.ts): staging is
// discarded, a 'ready' import is rolled forward. Either way the database then equals "no import" or
// "the whole import" exactly, and `csat verify` finds it intact. The kill -9 of a real `csat import`
// process is test/reliability/import-crash.test.ts.
import { describe, expect, it } from 'vitest';
import { verifyLocal } from '../../api/cli/verify.js';
import { DAY_MS, dayOf } from '../../api/domain/window.js';
import { newTokenId } from '../../api/domain/tokens.js';
import { ConflictError } from '../../api/store/errors.js';
import { IMPORT_BATCH_ROWS, isAbandoned, IMPORT_ABANDONED_MS, sqliteImport, type BatchRunner } from '../../api/store/sqlite-import.js';
import { sqliteLog } from '../../api/store/sqlite-log.js';
import type { ImportRow, Site } from '../../api/store/types.js';
import { newFile, open, type SqliteStore } from './store/fixtures.js';
import { T0, testApi } from './helpers.js';

const ROWS = IMPORT_BATCH_ROWS * 3 + 17;
const STAGING_BATCHES = Math.ceil(ROWS / IMPORT_BATCH_ROWS);

function rows(): ImportRow[] {
  const reactions = ['positive', 'positive', 'neutral', 'negative'] as const;
  return Array.from({ length: ROWS }, (_, i) => ({
    line: i + 2,
    respondedAt: T0 - ((i * 7919) % 60) * DAY_MS - i * 1000,
    ticketRef: `T-${i}`,
    reaction: reactions[i % 4],
    comment: i % 7 === 0 ? `comment ${i}` : null,
  }));
}

/** What readers and verify see: score counts, responses, chain length, log size, and what is staged. */
function seen(store: SqliteStore, siteId: number) {
  const one = (sql: string) => Object.values(store.db.prepare(sql).get(siteId) as object)[0] as number;
  return {
    counts: store.db.prepare('SELECT day, positive, neutral, negative, imported FROM daily_counts WHERE site_id = ? ORDER BY day').all(siteId),
    responses: one('SELECT count(*) FROM responses WHERE site_id = ?'),
    events: one('SELECT count(*) FROM response_events WHERE site_id = ?'),
    log: one('SELECT count(*) FROM log_entries WHERE site_id = ?'),
    staged: one('SELECT count(*) FROM import_rows WHERE site_id = ?'),
    imports: one('SELECT count(*) FROM imports WHERE site_id = ?'),
  };
}

async function verified(store: SqliteStore, site: Site) {
  const lines: string[] = [];
  const code = await verifyLocal(store, site, T0, (l) => lines.push(l));
  return { code, lines: lines.join('\n') };
}

/** A site with one live answer, so the import's events follow an existing chain head. */
async function siteWithAnswer(store: SqliteStore) {
  const site = await store.createSite({ slug: 'acme', name: 'Acme' }, T0 - 100 * DAY_MS);
  const { survey } = await store.createSurvey({ siteId: site.id, ticketRef: 'LIVE-1', tokenId: newTokenId(), expiresAt: T0 + DAY_MS }, T0 - 2 * DAY_MS);
  await store.submitResponse({ survey, reaction: 'negative', changeWindowMs: DAY_MS }, T0 - 2 * DAY_MS);
  return site;
}

/** Starts an import whose process "dies" before its batch number `dieAt` (1-based): that batch never runs. */
function dyingImport(store: SqliteStore, siteId: number, dieAt: number, onBatch: (n: number) => void = () => {}) {
  let n = 0;
  let died!: () => void;
  const dead = new Promise<void>((resolve) => (died = resolve));
  const runner: BatchRunner = async (write) => {
    if (++n === dieAt) {
      died();
      return new Promise(() => {}); // never again
    }
    const result = store.db.transaction(write).immediate();
    onBatch(n);
    return result;
  };
  void sqliteImport(store.db, sqliteLog(store.db).catchUp, runner, IMPORT_BATCH_ROWS, { abandoned: () => false }).importResponses(siteId, rows(), T0);
  return dead;
}

/** The next process opening the database, for which the dead import's owner is gone. */
const reopen = (store: SqliteStore) => sqliteImport(store.db, sqliteLog(store.db).catchUp, async (write) => store.db.transaction(write).immediate(), IMPORT_BATCH_ROWS, { abandoned: () => true });

describe('a ticket staged by an import under way', () => {
  it('gets no survey through the API: 409 ticket_already_rated, and nothing written', async () => {
    const t = await testApi();
    const store = t.store;
    await dyingImport(store, t.site.id, 2);
    const { ticket_ref: staged } = store.db.prepare('SELECT ticket_ref FROM import_rows LIMIT 1').get() as { ticket_ref: string };
    const res = await t.json('POST', '/v1/sites/acme/surveys', { ticketRef: staged }, { Authorization: `Bearer ${t.key}` });
    expect(res.status).toBe(409);
    expect((await res.json()).error.code).toBe('ticket_already_rated');
    expect(store.db.prepare('SELECT count(*) AS n FROM surveys').get()).toEqual({ n: 0 });
    await t.store.close();
  });
});

describe('an import whose process dies', () => {
  it('while staging: nothing shows anywhere, and the next open discards the staged rows', async () => {
    const store = open(newFile());
    const site = await siteWithAnswer(store);
    const before = seen(store, site.id);
    await dyingImport(store, site.id, 3);

    const during = seen(store, site.id);
    expect(during.staged).toBe(2 * IMPORT_BATCH_ROWS);
    expect({ ...during, staged: 0, imports: 0 }).toEqual(before);
    // Staged tickets are taken: no survey can be issued for one while the import may still go on.
    const { ticket_ref: staged } = store.db.prepare('SELECT ticket_ref FROM import_rows LIMIT 1').get() as { ticket_ref: string };
    const refused = await store.createSurvey({ siteId: site.id, ticketRef: staged, tokenId: newTokenId(), expiresAt: T0 + DAY_MS }, T0).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'ticket_already_rated' });

    reopen(store);
    expect(seen(store, site.id)).toEqual(before);
    expect(await verified(store, site)).toMatchObject({ code: 0 });
    // The tickets are free again: the whole file goes in.
    await store.importResponses(site.id, rows(), T0);
    expect((await store.countsBetween(site.id, 0, dayOf(T0))).imported).toBe(ROWS);
  });

  it('after staging its last batch (ready): the next open completes it', async () => {
    const store = open(newFile());
    const site = await siteWithAnswer(store);
    const before = seen(store, site.id);
    await dyingImport(store, site.id, STAGING_BATCHES + 1);
    expect(store.db.prepare('SELECT state FROM imports').get()).toEqual({ state: 'ready' });
    expect({ ...seen(store, site.id), staged: 0, imports: 0 }).toEqual(before);

    reopen(store);
    const after = seen(store, site.id);
    expect(after).toMatchObject({ responses: ROWS + 1, events: ROWS + 1, log: ROWS + 1, staged: 0, imports: 0 });
    expect(await verified(store, site)).toMatchObject({ code: 0 });
  });

  it('mid-swap: the score has not moved; the next open completes it, equal to an import that never stopped', async () => {
    const store = open(newFile());
    const site = await siteWithAnswer(store);
    const before = seen(store, site.id);
    // Two swap batches in: part of the import is in the chain and the log, none of it in the score.
    await dyingImport(store, site.id, STAGING_BATCHES + 3);
    const during = seen(store, site.id);
    expect(during.counts).toEqual(before.counts);
    expect(during.events).toBe(1 + 2 * IMPORT_BATCH_ROWS);
    expect(during.staged).toBe(ROWS - 2 * IMPORT_BATCH_ROWS);
    expect(await store.countsBetween(site.id, 0, dayOf(T0))).toEqual({ positive: 0, neutral: 0, negative: 1, imported: 0 });

    reopen(store);
    const complete = open(newFile());
    const reference = await siteWithAnswer(complete);
    await complete.importResponses(reference.id, rows(), T0);
    expect(seen(store, site.id)).toEqual(seen(complete, reference.id));
    expect(await store.countsBetween(site.id, 0, dayOf(T0))).toEqual(await complete.countsBetween(reference.id, 0, dayOf(T0)));
    expect(await verified(store, site)).toMatchObject({ code: 0 });
  });

  it('is left alone while its owner is alive, and taken over only once', async () => {
    const store = open(newFile());
    const site = await siteWithAnswer(store);
    await dyingImport(store, site.id, STAGING_BATCHES + 2);
    const owner = (store.db.prepare('SELECT owner FROM imports').get() as { owner: string }).owner;
    // The dying import ran in this process, which is alive, and it wrote just now.
    expect(isAbandoned(owner, Date.now())).toBe(false);
    expect(isAbandoned(owner, Date.now() - IMPORT_ABANDONED_MS - 1)).toBe(true);
    expect(isAbandoned(owner.replace(`:${process.pid}:`, ':999999999:'), Date.now())).toBe(true);
    sqliteImport(store.db, sqliteLog(store.db).catchUp, async (write) => store.db.transaction(write).immediate());
    expect(seen(store, site.id).imports).toBe(1);
    reopen(store);
    reopen(store);
    expect(seen(store, site.id)).toMatchObject({ responses: ROWS + 1, events: ROWS + 1, imports: 0 });
    expect(await verified(store, site)).toMatchObject({ code: 0 });
  });

  it('a survey for a ticket staged by an import under way is refused as already rated, and the import completes', async () => {
    const store = open(newFile());
    const site = await siteWithAnswer(store);
    const tries: unknown[] = [];
    // The oldest row is staged by the first batch.
    const first = rows().sort((a, b) => a.respondedAt - b.respondedAt)[0]!;
    await dyingImport(store, site.id, STAGING_BATCHES + 2, (n) => {
      if (n === 1) tries.push(store.createSurvey({ siteId: site.id, ticketRef: first.ticketRef, tokenId: newTokenId(), expiresAt: T0 + DAY_MS }, T0).catch((e: unknown) => e));
    });
    const refused = await tries[0];
    expect(refused).toBeInstanceOf(ConflictError);
    expect((refused as ConflictError).code).toBe('ticket_already_rated');
    expect(store.db.prepare('SELECT count(*) AS n FROM surveys WHERE ticket_ref = ?').get(first.ticketRef)).toEqual({ n: 0 });
    reopen(store);
    expect(seen(store, site.id).responses).toBe(ROWS + 1);
    expect(await verified(store, site)).toMatchObject({ code: 0 });
  });
});
