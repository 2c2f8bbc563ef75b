// The SQLite store against real database files: connection pragmas (on creation and on reopening),
// migrations, and each part of the Store contract, looking underneath with a raw better-sqlite3
// connection where the contract alone cannot show what was stored.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { Reaction } from '../../../api/domain/reaction.js';
import { newAdminKey, newTokenId } from '../../../api/domain/tokens.js';
import { DAY_MS, dayOf } from '../../../api/domain/window.js';
import { ConflictError, ImportError } from '../../../api/store/errors.js';
import { MIGRATIONS, SCHEMA_VERSION, SchemaTooNewError, migrate, type Migration } from '../../../api/store/migrations.js';
import { configureConnection, openSqliteStore, StoreSetupError } from '../../../api/store/sqlite.js';
import { BUSY_TIMEOUT_MS } from '../../../api/store/sqlite-busy.js';
import type { ImportRow } from '../../../api/store/types.js';
import { newFile, open, raw, survey } from './fixtures.js';
import { siteWithKey, T0 } from '../helpers.js';

const ZERO = { positive: 0, neutral: 0, negative: 0, imported: 0 };

function importRow(line: number, ticketRef: string, reaction: Reaction, respondedAt: number, comment: string | null = null): ImportRow {
  return { line, ticketRef, reaction, respondedAt, comment };
}

const count = (db: Database.Database, sql: string, ...params: unknown[]) =>
  (db.prepare(sql).pluck().get(...params) as number);

describe('openSqliteStore: connection settings', () => {
  it('creates a new file in WAL mode with synchronous=FULL, foreign keys, a busy timeout and the latest schema', () => {
    const store = open(newFile());
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('synchronous', { simple: true })).toBe(2);
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
    // Short: a busy database is waited for with timers, not by blocking the thread (sqlite-busy.ts).
    expect(store.db.pragma('busy_timeout', { simple: true })).toBe(BUSY_TIMEOUT_MS);
    expect(store.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
  });

  it('sets synchronous=FULL again when an existing file is reopened (the setting is per connection)', async () => {
    const file = newFile();
    const first = open(file);
    await first.createSite({ slug: 'acme', name: 'Acme IT' }, T0);
    await first.close();
    expect(first.db.open).toBe(false);

    const again = open(file);
    expect(again.db.pragma('synchronous', { simple: true })).toBe(2);
    expect(again.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(again.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(again.db.pragma('busy_timeout', { simple: true })).toBe(BUSY_TIMEOUT_MS);
    expect(again.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect((await again.getSite('acme'))?.name).toBe('Acme IT');
  });

  it('creates the folder of the database file when it is missing', () => {
    const file = path.join(path.dirname(newFile()), 'nested', 'deeper', 'csat.db');
    open(file);
    expect(fs.existsSync(file)).toBe(true);
  });

  it('refuses an in-memory database (WAL needs a file)', () => {
    expect(() => openSqliteStore(':memory:')).toThrow(StoreSetupError);
    expect(() => openSqliteStore('')).toThrow(StoreSetupError);
  });

  it('configureConnection throws StoreSetupError naming the pragma that could not be set', () => {
    // The one case where SQLite silently keeps another value instead of raising its own error: an
    // in-memory database answers `journal_mode = WAL` with 'memory'.
    const db = new Database(':memory:');
    try {
      expect(() => configureConnection(db)).toThrow(StoreSetupError);
      expect(() => configureConnection(db)).toThrow(/journal_mode is memory, expected wal/);
    } finally {
      db.close();
    }
  });

  it('configureConnection does not quietly accept a read-only file it cannot switch to WAL', () => {
    const file = newFile();
    const writer = raw(file);
    writer.exec('CREATE TABLE t (x INTEGER)');
    writer.close();
    const readonly = raw(file, { readonly: true, fileMustExist: true });
    expect(() => configureConnection(readonly)).toThrow();
  });
});

describe('migrations', () => {
  it('refuses a database whose schema is newer than this version, without touching it', () => {
    const file = newFile();
    const db = raw(file);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();

    expect(() => openSqliteStore(file)).toThrow(SchemaTooNewError);

    const after = raw(file);
    expect(after.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION + 1);
    expect(count(after, "SELECT count(*) FROM sqlite_master WHERE type = 'table'")).toBe(0);
    expect(() => migrate(after)).toThrow(SchemaTooNewError);
  });

  it('runs each step in its own transaction: a failing step leaves the previous version and none of its changes', () => {
    const db = raw(newFile());
    configureConnection(db);
    const step1: Migration = { version: 1, description: 'one', up: (d) => d.exec('CREATE TABLE one (x INTEGER)') };
    const failing: Migration = {
      version: 2,
      description: 'two, broken',
      up(d) {
        d.exec('CREATE TABLE two (x INTEGER)');
        throw new Error('step two failed');
      },
    };
    expect(() => migrate(db, [step1, failing])).toThrow('step two failed');
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    expect(tables).toEqual(['one']);
    expect(db.inTransaction).toBe(false);

    // A fixed step 2 is applied on the next run, and step 1 is not applied again.
    const fixed: Migration = { version: 2, description: 'two', up: (d) => d.exec('CREATE TABLE two (x INTEGER)') };
    expect(migrate(db, [step1, fixed])).toEqual([2]);
    expect(db.pragma('user_version', { simple: true })).toBe(2);
  });

  it('applies nothing when run again', () => {
    const db = raw(newFile());
    configureConnection(db);
    expect(migrate(db)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(migrate(db)).toEqual([]);

    const store = open(newFile());
    expect(migrate(store.db)).toEqual([]);
    expect(store.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
  });
});

describe('sites', () => {
  it('fills in the defaults', async () => {
    const store = open(newFile());
    const site = await store.createSite({ slug: 'acme', name: 'Acme IT' }, T0);
    expect(site).toMatchObject({
      slug: 'acme',
      name: 'Acme IT',
      kind: 'reaction',
      windowDays: 90,
      changeWindowDays: 7,
      tokenTtlDays: 30,
      industry: null,
      createdAt: T0,
    });
    expect(await store.getSite('acme')).toEqual(site);
    expect(await store.getSiteById(site.id)).toEqual(site);
    expect(await store.getSite('nope')).toBeNull();
    expect(await store.getSiteById(site.id + 1)).toBeNull();
  });

  it('keeps explicit settings', async () => {
    const store = open(newFile());
    const site = await store.createSite(
      { slug: 'b', name: 'B', windowDays: 30, changeWindowDays: 0, tokenTtlDays: 3, industry: 'education' },
      T0,
    );
    expect(site).toMatchObject({ windowDays: 30, changeWindowDays: 0, tokenTtlDays: 3, industry: 'education' });
  });

  it('rejects a duplicate slug with ConflictError site_exists and keeps the first site', async () => {
    const store = open(newFile());
    const first = await store.createSite({ slug: 'acme', name: 'Acme IT' }, T0);
    const second = store.createSite({ slug: 'acme', name: 'Other' }, T0 + 1);
    await expect(second).rejects.toBeInstanceOf(ConflictError);
    await expect(store.createSite({ slug: 'acme', name: 'Other' }, T0 + 1)).rejects.toMatchObject({ code: 'site_exists' });
    expect(await store.getSite('acme')).toEqual(first);
    expect(count(store.db, 'SELECT count(*) FROM sites')).toBe(1);
  });

  it.each([
    { windowDays: 0 },
    { windowDays: 731 },
    { changeWindowDays: -1 },
    { tokenTtlDays: 0 },
  ])('rejects out-of-range settings %o without creating a site', async (settings) => {
    const store = open(newFile());
    await expect(store.createSite({ slug: 'bad', name: 'Bad', ...settings }, T0)).rejects.toThrow();
    expect(await store.getSite('bad')).toBeNull();
    expect(count(store.db, 'SELECT count(*) FROM sites')).toBe(0);
  });
});

describe('admin keys', () => {
  it('adds, reads, lists and revokes keys, each only once and only on its own site', async () => {
    const store = open(newFile());
    const { site: a } = await siteWithKey(store, { slug: 'a' });
    const { site: b } = await siteWithKey(store, { slug: 'b' });
    const second = newAdminKey();
    await store.addAdminKey({ id: second.id, siteId: a.id, hash: second.hash, label: 'ci' }, T0 + 10);

    const keysA = await store.listAdminKeys(a.id);
    expect(keysA).toHaveLength(2);
    expect(keysA[1]).toEqual({ id: second.id, siteId: a.id, scope: 'admin', hash: second.hash, label: 'ci', createdAt: T0 + 10, revokedAt: null });
    const firstA = keysA[0]!;
    expect(firstA).toMatchObject({ siteId: a.id, label: null, createdAt: T0, revokedAt: null });
    expect(await store.getAdminKey(second.id)).toEqual(keysA[1]);
    expect(await store.getAdminKey('000000000000')).toBeNull();

    const keysB = await store.listAdminKeys(b.id);
    expect(keysB).toHaveLength(1);
    const keyB = keysB[0]!;

    // Another site's key cannot be revoked through this site.
    expect(await store.revokeAdminKey(a.id, keyB.id, T0 + 20)).toBe(false);
    expect((await store.getAdminKey(keyB.id))?.revokedAt).toBeNull();

    expect(await store.revokeAdminKey(a.id, second.id, T0 + 30)).toBe(true);
    expect(await store.revokeAdminKey(a.id, second.id, T0 + 40)).toBe(false);
    expect((await store.getAdminKey(second.id))?.revokedAt).toBe(T0 + 30);
    expect((await store.getAdminKey(firstA.id))?.revokedAt).toBeNull();
    expect(await store.revokeAdminKey(a.id, 'ffffffffffff', T0)).toBe(false);
  });

  it('stores a 32-byte hash and never the plaintext key', async () => {
    const file = newFile();
    const store = open(file);
    const { key } = await siteWithKey(store);
    const rows = store.db.prepare('SELECT key_hash, length(key_hash) AS len FROM admin_keys').all() as Array<{ key_hash: Buffer; len: number }>;
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row.len).toBe(32);
    expect(row.key_hash).toHaveLength(32);
    expect(row.key_hash.includes(key)).toBe(false);
    // The secret part is base64url and may itself contain '_'.
    const secret = key.slice('csat_'.length + 12 + 1);
    expect(secret).toHaveLength(43);
    await store.close();
    // Neither the database nor its WAL holds the key or its secret part anywhere.
    for (const f of [file, `${file}-wal`]) {
      if (!fs.existsSync(f)) continue;
      const bytes = fs.readFileSync(f);
      expect(bytes.includes(key)).toBe(false);
      expect(bytes.includes(secret)).toBe(false);
    }
  });

  it('rejects a hash that is not 32 bytes', async () => {
    const store = open(newFile());
    const { site } = await siteWithKey(store);
    await expect(store.addAdminKey({ id: 'abcdefabcdef', siteId: site.id, hash: Buffer.alloc(16) }, T0)).rejects.toThrow();
    expect(await store.getAdminKey('abcdefabcdef')).toBeNull();
  });
});

describe('createSurvey', () => {
  it('is idempotent per (site, ticketRef): the first survey and its tokenId come back', async () => {
    const store = open(newFile());
    const { site } = await siteWithKey(store);
    const tokenId = newTokenId();
    const first = await store.createSurvey(
      { siteId: site.id, ticketRef: 'T-1', tokenId, team: 'desk', technician: 'ann', contactEmail: 'c@example.com', contactName: 'C', expiresAt: T0 + 30 * DAY_MS },
      T0,
    );
    expect(first.created).toBe(true);
    expect(first.survey).toMatchObject({
      siteId: site.id,
      ticketRef: 'T-1',
      team: 'desk',
      technician: 'ann',
      contactEmail: 'c@example.com',
      contactName: 'C',
      createdAt: T0,
      expiresAt: T0 + 30 * DAY_MS,
    });
    expect(first.survey.tokenId.equals(tokenId)).toBe(true);

    const otherToken = newTokenId();
    const second = await store.createSurvey({ siteId: site.id, ticketRef: 'T-1', tokenId: otherToken, expiresAt: T0 + 99 * DAY_MS }, T0 + 5);
    expect(second.created).toBe(false);
    expect(second.survey.id).toBe(first.survey.id);
    expect(second.survey.tokenId.equals(tokenId)).toBe(true);
    expect(second.survey).toEqual(first.survey);
    expect(await store.getSurveyByTokenId(otherToken)).toBeNull();
    expect(await store.getSurveyByTokenId(tokenId)).toEqual(first.survey);
    expect(count(store.db, 'SELECT count(*) FROM surveys')).toBe(1);
  });

  it('creates a separate survey for the same ticketRef on another site', async () => {
    const store = open(newFile());
    const { site: a } = await siteWithKey(store, { slug: 'a' });
    const { site: b } = await siteWithKey(store, { slug: 'b' });
    const sa = await store.createSurvey({ siteId: a.id, ticketRef: 'T-1', tokenId: newTokenId(), expiresAt: T0 + DAY_MS }, T0);
    const sb = await store.createSurvey({ siteId: b.id, ticketRef: 'T-1', tokenId: newTokenId(), expiresAt: T0 + DAY_MS }, T0);
    expect(sa.created).toBe(true);
    expect(sb.created).toBe(true);
    expect(sb.survey.id).not.toBe(sa.survey.id);
    expect(sb.survey.siteId).toBe(b.id);
  });

  it('refuses a ticket whose rating was imported, with ConflictError ticket_already_rated', async () => {
    const store = open(newFile());
    const { site } = await siteWithKey(store);
    await store.importResponses(site.id, [importRow(2, 'T-9', 'positive', T0 - DAY_MS)], T0);
    const attempt = store.createSurvey({ siteId: site.id, ticketRef: 'T-9', tokenId: newTokenId(), expiresAt: T0 + DAY_MS }, T0);
    await expect(attempt).rejects.toBeInstanceOf(ConflictError);
    await expect(
      store.createSurvey({ siteId: site.id, ticketRef: 'T-9', tokenId: newTokenId(), expiresAt: T0 + DAY_MS }, T0),
    ).rejects.toMatchObject({ code: 'ticket_already_rated' });
    expect(count(store.db, 'SELECT count(*) FROM surveys')).toBe(0);
  });
});

describe('submitResponse', () => {
  it('creates, changes inside the change window, and refuses from exactly createdAt + changeWindowMs', async () => {
    const store = open(newFile());
    const { site } = await siteWithKey(store);
    const s = await survey(store, site, 'T-1');
    const changeWindowMs = site.changeWindowDays * DAY_MS;
    const t1 = T0 + 1000;

    const created = await store.submitResponse({ survey: s, reaction: 'positive', comment: 'great', changeWindowMs }, t1);
    expect(created.status).toBe('created');
    expect(created.response).toMatchObject({
      siteId: site.id,
      surveyId: s.id,
      ticketRef: 'T-1',
      reaction: 'positive',
      comment: 'great',
      source: 'survey',
      createdAt: t1,
      updatedAt: t1,
    });
    expect(await store.getResponseForSurvey(s.id)).toEqual(created.response);

    // The same reaction with a new comment: only the window decides, not the counts.
    const changed = await store.submitResponse({ survey: s, reaction: 'positive', comment: 'still great', changeWindowMs }, t1 + changeWindowMs - 1);
    expect(changed.status).toBe('changed');
    expect(changed.response).toMatchObject({
      id: created.response.id,
      reaction: 'positive',
      comment: 'still great',
      createdAt: t1,
      updatedAt: t1 + changeWindowMs - 1,
    });

    const closed = await store.submitResponse({ survey: s, reaction: 'negative', comment: 'too late', changeWindowMs }, t1 + changeWindowMs);
    expect(closed.status).toBe('window_closed');
    expect(closed.response).toEqual(changed.response);
    expect(await store.getResponseForSurvey(s.id)).toEqual(changed.response);

    expect(await store.countsBetween(site.id, dayOf(t1), dayOf(t1))).toEqual({ ...ZERO, positive: 1 });
    expect((await store.listEvents(site.id)).map((e) => [e.type, e.reaction, e.at])).toEqual([
      ['submit', 'positive', t1],
      ['change', 'positive', t1 + changeWindowMs - 1],
    ]);
    expect(await store.lastEventAt(site.id)).toBe(t1 + changeWindowMs - 1);
  });

  it('refuses every change when the change window is zero', async () => {
    const store = open(newFile());
    const { site } = await siteWithKey(store, { changeWindowDays: 0 });
    const s = await survey(store, site, 'T-1');
    expect((await store.submitResponse({ survey: s, reaction: 'neutral', changeWindowMs: 0 }, T0)).status).toBe('created');
    expect((await store.submitResponse({ survey: s, reaction: 'neutral', changeWindowMs: 0 }, T0)).status).toBe('window_closed');
    expect(await store.listEvents(site.id)).toHaveLength(1);
  });

  it('moves the count from the old reaction to the new one when an answer is changed', async () => {
    const store = open(newFile());
    const { site } = await siteWithKey(store);
    const s = await survey(store, site, 'T-1');
    const changeWindowMs = site.changeWindowDays * DAY_MS;
    const day = dayOf(T0);

    await store.submitResponse({ survey: s, reaction: 'positive', changeWindowMs }, T0);
    expect(await store.countsBetween(site.id, day, day)).toEqual({ ...ZERO, positive: 1 });

    const changed = await store.submitResponse({ survey: s, reaction: 'neutral', changeWindowMs }, T0 + 1000);
    expect(changed.status).toBe('changed');
    expect(changed.response.reaction).toBe('neutral');
    expect(await store.countsBetween(site.id, day, day)).toEqual({ ...ZERO, neutral: 1 });
    expect((await store.getResponseForSurvey(s.id))?.reaction).toBe('neutral');
    expect((await store.listEvents(site.id)).map((e) => [e.type, e.reaction])).toEqual([
      ['submit', 'positive'],
      ['change', 'neutral'],
    ]);
    expect(await store.countMismatches(site.id)).toEqual([]);
  });

  it('keeps the comment when none is given and clears it on null', async () => {
    const store = open(newFile());
    const { site } = await siteWithKey(store);
    const s = await survey(store, site, 'T-1');
    const changeWindowMs = DAY_MS;
    const first = await store.submitResponse({ survey: s, reaction: 'negative', comment: 'slow', changeWindowMs }, T0);
    expect(first.response.comment).toBe('slow');

    // The reaction stays the same throughout: this test is about the comment only.
    const kept = await store.submitResponse({ survey: s, reaction: 'negative', comment: undefined, changeWindowMs }, T0 + 1);
    expect(kept.status).toBe('changed');
    expect(kept.response.comment).toBe('slow');

    const replaced = await store.submitResponse({ survey: s, reaction: 'negative', comment: 'better now', changeWindowMs }, T0 + 2);
    expect(replaced.response.comment).toBe('better now');

    const cleared = await store.submitResponse({ survey: s, reaction: 'negative', comment: null, changeWindowMs }, T0 + 3);
    expect(cleared.status).toBe('changed');
    expect(cleared.response.comment).toBeNull();
    expect((await store.getResponseForSurvey(s.id))?.comment).toBeNull();

    const noComment = await store.submitResponse({ survey: await survey(store, site, 'T-2'), reaction: 'positive', changeWindowMs }, T0);
    expect(noComment.response.comment).toBeNull();
  });

  it('keeps counting a changed answer on the day of the first answer', async () => {
    const store = open(newFile());
    const { site } = await siteWithKey(store);
    const s = await survey(store, site, 'T-1');
    const changeWindowMs = site.changeWindowDays * DAY_MS;
    const day = dayOf(T0);

    await store.submitResponse({ survey: s, reaction: 'positive', changeWindowMs }, T0);
    expect(await store.countsBetween(site.id, day, day)).toEqual({ ...ZERO, positive: 1 });

    const later = T0 + 2 * DAY_MS;
    const changed = await store.submitResponse({ survey: s, reaction: 'negative', changeWindowMs }, later);
    expect(changed.status).toBe('changed');
    expect(await store.countsBetween(site.id, day, day)).toEqual({ ...ZERO, negative: 1 });
    expect(await store.countsBetween(site.id, dayOf(later), dayOf(later))).toEqual(ZERO);
    expect(await store.countsBetween(site.id, day - 10, day + 10)).toEqual({ ...ZERO, negative: 1 });
    expect(count(store.db, 'SELECT day FROM responses WHERE survey_id = ?', s.id)).toBe(day);
    expect(await store.countMismatches(site.id)).toEqual([]);
  });
});

describe('importResponses', () => {
  it('imports nothing when one row is bad: the problem names both lines, and no response, event or count is left', async () => {
    const store = open(newFile());
    const { site } = await siteWithKey(store);
    const rows = [
      importRow(2, 'A-1', 'positive', T0 - 3 * DAY_MS),
      importRow(3, 'A-2', 'negative', T0 - 2 * DAY_MS),
      importRow(4, 'A-3', 'neutral', T0 - DAY_MS),
      importRow(5, 'A-1', 'neutral', T0 - DAY_MS),
    ];
    let error: unknown;
    try {
      await store.importResponses(site.id, rows, T0);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ImportError);
    const problems = (error as ImportError).problems;
    expect(problems).toHaveLength(1);
    expect(problems[0]!.line).toBe(5);
    expect(problems[0]!.message).toMatch(/\bline 2\b/);
    expect((error as ImportError).message).toMatch(/line 5/);
    expect((error as ImportError).message).toMatch(/line 2/);

    expect(count(store.db, 'SELECT count(*) FROM responses')).toBe(0);
    expect(count(store.db, 'SELECT count(*) FROM response_events')).toBe(0);
    expect(await store.listEvents(site.id)).toEqual([]);
    expect(await store.countsBetween(site.id, dayOf(T0) - 400, dayOf(T0) + 400)).toEqual(ZERO);
    expect(await store.lastEventAt(site.id)).toBeNull();
    expect(await store.countMismatches(site.id)).toEqual([]);
  });

  it('rolls back rows already written when the database refuses a later one', async () => {
    const store = open(newFile());
    const { site } = await siteWithKey(store);
    const rows = [
      importRow(2, 'A-1', 'positive', T0 - 3 * DAY_MS),
      importRow(3, 'A-2', 'negative', T0 - 2 * DAY_MS),
      // Written last (rows go in by date) and refused by the reaction CHECK constraint.
      importRow(4, 'A-3', 'meh' as Reaction, T0 - DAY_MS),
    ];
    await expect(store.importResponses(site.id, rows, T0)).rejects.toThrow();
    expect(count(store.db, 'SELECT count(*) FROM responses')).toBe(0);
    expect(count(store.db, 'SELECT count(*) FROM response_events')).toBe(0);
    expect(count(store.db, 'SELECT count(*) FROM daily_counts')).toBe(0);
    expect(store.db.inTransaction).toBe(false);
  });

  it('names every line whose ticket already has a survey or a rating', async () => {
    const store = open(newFile());
    const { site } = await siteWithKey(store);
    await survey(store, site, 'S-1');
    await store.importResponses(site.id, [importRow(2, 'I-1', 'positive', T0 - DAY_MS)], T0);
    const attempt = store.importResponses(
      site.id,
      [importRow(2, 'S-1', 'positive', T0 - DAY_MS), importRow(3, 'OK', 'positive', T0 - DAY_MS), importRow(4, 'I-1', 'negative', T0 - DAY_MS)],
      T0 + 1,
    );
    await expect(attempt).rejects.toBeInstanceOf(ImportError);
    await attempt.catch((e: ImportError) => expect(e.problems.map((p) => p.line)).toEqual([2, 4]));
    expect(count(store.db, 'SELECT count(*) FROM responses')).toBe(1);
  });

  it('imports a good batch, counted on each answer’s own day and marked as imported', async () => {
    const store = open(newFile());
    const { site } = await siteWithKey(store);
    const d1 = T0 - 5 * DAY_MS;
    const d2 = T0 - 2 * DAY_MS;
    const rows = [
      importRow(2, 'A-1', 'positive', d2, 'ok'),
      importRow(3, 'A-2', 'negative', d1),
      importRow(4, 'A-3', 'positive', d1 + 1000),
    ];
    expect(await store.importResponses(site.id, rows, T0)).toEqual({ imported: 3 });
    expect(await store.countsBetween(site.id, dayOf(d1), dayOf(d1))).toEqual({ positive: 1, neutral: 0, negative: 1, imported: 2 });
    expect(await store.countsBetween(site.id, dayOf(d2), dayOf(d2))).toEqual({ positive: 1, neutral: 0, negative: 0, imported: 1 });
    expect(await store.countsBetween(site.id, dayOf(T0), dayOf(T0))).toEqual(ZERO);
    expect(await store.countMismatches(site.id)).toEqual([]);

    const events = await store.listEvents(site.id);
    expect(events.map((e) => [e.type, e.respondedAt, e.at])).toEqual([
      ['import', d1, T0],
      ['import', d1 + 1000, T0],
      ['import', d2, T0],
    ]);
    const stored = store.db.prepare("SELECT ticket_ref, source, survey_id, comment FROM responses WHERE ticket_ref = 'A-1'").get();
    expect(stored).toEqual({ ticket_ref: 'A-1', source: 'import', survey_id: null, comment: 'ok' });
    expect(await store.importResponses(site.id, [], T0)).toEqual({ imported: 0 });
  });
});

describe('responses.day and the append-only event log', () => {
  it('stores the UTC day of the first answer (survey) or of the original answer (import)', async () => {
    const store = open(newFile());
    const { site } = await siteWithKey(store);
    const s = await survey(store, site, 'T-1');
    const lateEvening = Date.parse('2026-11-23T23:59:59.999Z');
    await store.submitResponse({ survey: s, reaction: 'positive', changeWindowMs: DAY_MS }, lateEvening);
    const earlyMorning = Date.parse('2026-11-20T00:00:00.000Z');
    await store.importResponses(site.id, [importRow(2, 'I-1', 'neutral', earlyMorning)], T0);
    const days = store.db.prepare('SELECT ticket_ref, day, created_at FROM responses ORDER BY ticket_ref').all();
    expect(days).toEqual([
      { ticket_ref: 'I-1', day: dayOf(earlyMorning), created_at: earlyMorning },
      { ticket_ref: 'T-1', day: dayOf(lateEvening), created_at: lateEvening },
    ]);
    expect(dayOf(lateEvening)).toBe(dayOf(T0));
  });

  it('refuses UPDATE and DELETE on response_events, even from another connection', async () => {
    const file = newFile();
    const store = open(file);
    const { site } = await siteWithKey(store);
    const s = await survey(store, site, 'T-1');
    await store.submitResponse({ survey: s, reaction: 'positive', changeWindowMs: DAY_MS }, T0);
    await store.submitResponse({ survey: s, reaction: 'positive', comment: 'again', changeWindowMs: DAY_MS }, T0 + 1);
    const before = await store.listEvents(site.id);

    for (const db of [store.db, raw(file)]) {
      expect(() => db.prepare("UPDATE response_events SET reaction = 'neutral' WHERE seq = 1").run()).toThrow(/append-only/);
      expect(() => db.prepare('UPDATE response_events SET hash = prev_hash').run()).toThrow(/append-only/);
      expect(() => db.prepare('DELETE FROM response_events WHERE seq = 2').run()).toThrow(/append-only/);
      expect(() => db.prepare('DELETE FROM response_events').run()).toThrow(/append-only/);
    }
    expect(await store.listEvents(site.id)).toEqual(before);
  });
});
