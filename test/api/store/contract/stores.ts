// The stores every contract test runs against: the embedded SQLite store and the PostgreSQL store. A
// contract test file reads as one suite, `forEachStore('sites', 'core', (kind) => ...)`, and runs once
// per store. Nothing here is skipped silently: a part the PostgreSQL store does not have yet, and a
// PostgreSQL bug a test has found, show up as todo tests that say why.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, it, type TestFunction } from 'vitest';
import { openSqliteStore } from '../../../../api/store/sqlite.js';
import type { Store } from '../../../../api/store/types.js';
import { connect, type Sql } from '../../../../api/store/pg/connection.js';
import { openPgStore } from '../../../../api/store/pg/index.js';
import { freshPgDatabase, type PgDatabase } from '../../../pg-database.js';
import { siteWithKey, tempDbFile } from '../../helpers.js';

export type StoreName = 'sqlite' | 'postgres';

/** The parts of the Store contract, as the PostgreSQL store is written: one part per schema-*.ts. */
export type StorePart = 'core' | 'webhooks' | 'email' | 'connectors' | 'log' | 'held' | 'erasure' | 'campaigns';

const ALL_PARTS: ReadonlySet<StorePart> = new Set(['core', 'webhooks', 'email', 'connectors', 'log', 'held', 'erasure', 'campaigns']);

/** The parts the PostgreSQL store implements: every one, as openPgStore composes them all. */
const PG_PARTS: ReadonlySet<StorePart> = ALL_PARTS;

/** PostgreSQL bugs that contract tests have found, by full test name (`suite > test`), with the bug. These
 * tests run on SQLite and show as todo on PostgreSQL until the bug is fixed; then remove the entry. */
const PG_KNOWN_GAPS: ReadonlyMap<string, string> = new Map<string, string>([]);

/** One opened store, with what a test needs around it. */
export interface OpenedStore {
  store: Store;
  /** Another instance of the store on the same database (a second server, the CLI, or a restart). */
  another(): Promise<Store>;
  /** Rows of a query run beside the store on a connection of its own, to look at what it wrote. Write `?`
   * for parameters; the SQL must mean the same in both dialects (the table and column names do). */
  rows<T = Record<string, unknown>>(sql: string, ...params: unknown[]): Promise<T[]>;
  /** The first column of the first row of `rows(...)`, as a number (a count). */
  count(sql: string, ...params: unknown[]): Promise<number>;
  /** A write underneath the store with its guards off (the append-only triggers and the like), as someone
   * with access to the database could make it: for showing that tampering is detected. Returns the
   * number of rows changed. */
  underneath(sql: string, ...params: unknown[]): Promise<number>;
  /** Closes every instance opened here; the database is removed (SQLite) or emptied for the next test
   * of the file and dropped after the file (PostgreSQL). */
  close(): Promise<void>;
}

export interface StoreUnderTest {
  name: StoreName;
  parts: ReadonlySet<StorePart>;
  knownGaps: ReadonlyMap<string, string>;
  open(): Promise<OpenedStore>;
}

const closeQuietly = async (store: Store) => {
  try {
    await store.close();
  } catch {
    // Already closed by the test (a restart), which is fine.
  }
};

/** `count` over a store's `rows`: the first column of the first row, as a number. */
const countOf =
  (rows: OpenedStore['rows']): OpenedStore['count'] =>
  async (sql, ...params) =>
    Number(Object.values((await rows(sql, ...params))[0] ?? {})[0]);

const sqliteStore: StoreUnderTest = {
  name: 'sqlite',
  parts: ALL_PARTS,
  knownGaps: new Map(),
  async open() {
    const file = tempDbFile();
    const stores: Store[] = [openSqliteStore(file)];
    let raw: Database.Database | null = null;
    const db = () => {
      if (!raw) {
        raw = new Database(file);
        raw.pragma('busy_timeout = 5000');
      }
      return raw;
    };
    const rows = async <T>(sql: string, ...params: unknown[]) => {
      const statement = db().prepare(sql);
      if (statement.reader) return statement.all(...params) as T[];
      statement.run(...params);
      return [];
    };
    return {
      store: stores[0]!,
      async another() {
        const store = openSqliteStore(file);
        stores.push(store);
        return store;
      },
      rows,
      count: countOf(rows),
      async underneath(sql, ...params) {
        // The guards are triggers: dropped, and created again from their own text, in one transaction.
        const d = db();
        return d
          .transaction(() => {
            const triggers = d.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").all() as Array<{ name: string; sql: string }>;
            for (const t of triggers) d.exec(`DROP TRIGGER "${t.name}"`);
            const { changes } = d.prepare(sql).run(...params);
            for (const t of triggers) d.exec(t.sql);
            return changes;
          })
          .immediate();
      },
      async close() {
        for (const store of stores) await closeQuietly(store);
        (raw as Database.Database | null)?.close();
        fs.rmSync(path.dirname(file), { recursive: true, force: true });
      },
    };
  },
};

/** postgres.js numbers its parameters; the tests write `?` as better-sqlite3 does. */
const numbered = (sql: string) => {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
};

/** Databases of this test file, kept between tests: creating and migrating one takes seconds, emptying
 * one a fraction of that. Each is dropped when the file's tests are done. */
const pgDatabases: PgDatabase[] = [];
const idlePgDatabases: PgDatabase[] = [];
afterAll(async () => {
  idlePgDatabases.length = 0;
  for (const database of pgDatabases.splice(0)) await database.drop();
});

/** Empties every table and restarts every sequence, so the next test sees the database as new. A replica
 * session fires no triggers: neither the append-only guards nor the foreign keys' checks, so the order of
 * the DELETEs does not matter (DELETE, not TRUNCATE: on small tables it is several times faster). */
async function emptyPgDatabase(sql: Sql): Promise<void> {
  await sql.begin(async (tx) => {
    await tx`SET LOCAL session_replication_role = replica`;
    const tables = await tx<{ name: string }[]>`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_version'`;
    const sequences = await tx<{ name: string }[]>`SELECT sequencename AS name FROM pg_sequences WHERE schemaname = 'public'`;
    const statements = [...tables.map((t) => `DELETE FROM "${t.name}"`), ...sequences.map((q) => `ALTER SEQUENCE "${q.name}" RESTART`)];
    if (statements.length > 0) await tx.unsafe(statements.join(';\n'));
  });
}

async function pgDatabase(): Promise<PgDatabase> {
  const idle = idlePgDatabases.pop();
  if (idle) return idle;
  const database = await freshPgDatabase();
  pgDatabases.push(database);
  return database;
}

export const pgStore: StoreUnderTest = {
  name: 'postgres',
  parts: PG_PARTS,
  knownGaps: PG_KNOWN_GAPS,
  async open() {
    const database = await pgDatabase();
    const stores: Store[] = [];
    const look = connect(database.url, { max: 1 });
    const close = async () => {
      for (const store of stores) await closeQuietly(store);
      try {
        await emptyPgDatabase(look);
        idlePgDatabases.push(database);
      } catch {
        // Not reusable (e.g. never migrated): afterAll drops it with the others.
      }
      await look.end({ timeout: 1 });
    };
    try {
      stores.push(await openPgStore(database.url));
    } catch (error) {
      await close();
      throw error;
    }
    const rows = async <T>(sql: string, ...params: unknown[]) =>
      (await look.unsafe(numbered(sql), params as never[])) as unknown as T[];
    return {
      store: stores[0]!,
      async another() {
        const store = await openPgStore(database.url);
        stores.push(store);
        return store;
      },
      rows,
      count: countOf(rows),
      async underneath(sql, ...params) {
        // A replica session fires no triggers, and the guards are triggers.
        return look.begin(async (tx) => {
          await tx`SET LOCAL session_replication_role = replica`;
          return (await tx.unsafe(numbered(sql), params as never[])).count;
        }) as Promise<number>;
      },
      close,
    };
  },
};

export const STORES: readonly StoreUnderTest[] = [sqliteStore, pgStore];

/** The `it` of a contract suite on one store: a test listed as a known gap of this store (by `suite >
 * test`, the suite's name as given to forEachStore) is a todo that names the bug instead. */
export function storeIt(kind: StoreUnderTest, suite: string) {
  const run = (name: string, fn: TestFunction, timeout?: number) => {
    const gap = kind.knownGaps.get(`${suite} > ${name}`);
    if (gap) it.todo(`${name} [known ${kind.name} bug: ${gap}]`);
    else it(name, fn, timeout);
  };
  return run;
}

/** One suite per store, named `suite [store]`, for the contract tests of one part of the Store. On a
 * store without that part yet, one todo says so instead of the tests. */
export function forEachStore(suite: string, part: StorePart, body: (kind: StoreUnderTest, it: ReturnType<typeof storeIt>) => void): void {
  describe.each(STORES.map((kind) => [kind.name, kind] as const))(`${suite} [%s]`, (_name, kind) => {
    if (!kind.parts.has(part)) {
      it.todo(`the ${kind.name} store has no ${part} part yet (add it to PG_PARTS in contract/stores.ts when it lands)`);
      return;
    }
    body(kind, storeIt(kind, suite));
  });
}

/** `open()` for the tests of one suite: every store it opens is closed after its test, passed or failed.
 * Call it in the body given to forEachStore. */
export function storeOpener(kind: StoreUnderTest): () => Promise<OpenedStore> {
  const open = fileOpener();
  return () => open(kind);
}

/** `open(kind)` for a test file whose suites share their set-up across stores: every store it opens is
 * closed after its test. Call it once at the top of the file (its afterEach runs after the hooks the file
 * registers later, so what those stop goes first). */
export function fileOpener(): (kind: StoreUnderTest) => Promise<OpenedStore> {
  const opened: OpenedStore[] = [];
  afterEach(async () => {
    for (const o of opened.splice(0)) await o.close();
  });
  return async (kind) => {
    const o = await kind.open();
    opened.push(o);
    return o;
  };
}

/** `open()` for suites whose tests start from one site ('acme', with an admin key): each call opens a
 * store, closed after its test, and creates that site on it. */
export function acmeOpener(kind: StoreUnderTest) {
  const open = storeOpener(kind);
  return async () => {
    const o = await open();
    const { site } = await siteWithKey(o.store, { slug: 'acme' });
    return { o, store: o.store, site };
  };
}
