// What is about SQLite itself, against real database files: connection pragmas (on creation and on
// reopening), migrations, what the file and its WAL hold, and the store's own connection. The Store
// contract, which every store keeps, is tested on SQLite and PostgreSQL alike in contract/.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { Reaction } from '../../../api/domain/reaction.js';
import { DAY_MS } from '../../../api/domain/window.js';
import { MIGRATIONS, SCHEMA_VERSION, SchemaTooNewError, migrate, type Migration } from '../../../api/store/migrations.js';
import { configureConnection, openSqliteStore, StoreSetupError } from '../../../api/store/sqlite.js';
import { BUSY_TIMEOUT_MS } from '../../../api/store/sqlite-busy.js';
import type { ImportRow } from '../../../api/store/types.js';
import { newFile, open, raw, survey } from './fixtures.js';
import { siteWithKey, T0 } from '../helpers.js';

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

describe('the file and the store’s own connection', () => {
  it('holds neither the admin key nor its secret part anywhere in the database or its WAL', async () => {
    const file = newFile();
    const store = open(file);
    const { key } = await siteWithKey(store);
    const len = store.db.prepare('SELECT length(key_hash) FROM admin_keys').pluck().get();
    expect(len).toBe(32);
    // The secret part is base64url and may itself contain '_'.
    const secret = key.slice('csat_'.length + 12 + 1);
    expect(secret).toHaveLength(43);
    await store.close();
    for (const f of [file, `${file}-wal`]) {
      if (!fs.existsSync(f)) continue;
      const bytes = fs.readFileSync(f);
      expect(bytes.includes(key)).toBe(false);
      expect(bytes.includes(secret)).toBe(false);
    }
  });

  it('leaves no transaction open on its connection when the database refuses an imported row', async () => {
    const store = open(newFile());
    const { site } = await siteWithKey(store);
    const rows: ImportRow[] = [
      { line: 2, ticketRef: 'A-1', reaction: 'positive', respondedAt: T0 - 2 * DAY_MS, comment: null },
      { line: 3, ticketRef: 'A-2', reaction: 'meh' as Reaction, respondedAt: T0 - DAY_MS, comment: null },
    ];
    await expect(store.importResponses(site.id, rows, T0)).rejects.toThrow();
    expect(store.db.inTransaction).toBe(false);
    expect(count(store.db, 'SELECT count(*) FROM responses')).toBe(0);
  });

  it('refuses UPDATE and DELETE on response_events on the store’s own connection too', async () => {
    const store = open(newFile());
    const { site } = await siteWithKey(store);
    const s = await survey(store, site, 'T-1');
    await store.submitResponse({ survey: s, reaction: 'positive', changeWindowMs: DAY_MS }, T0);
    expect(() => store.db.prepare("UPDATE response_events SET reaction = 'neutral' WHERE seq = 1").run()).toThrow(/append-only/);
    expect(() => store.db.prepare('DELETE FROM response_events').run()).toThrow(/append-only/);
    expect(await store.listEvents(site.id)).toHaveLength(1);
  });
});
