// The two databases the instances benchmark compares: a fresh SQLite file, and a fresh PostgreSQL
// database of its own on the server CSAT_TEST_PG_URL names (as the PostgreSQL tests find theirs), dropped
// after. Both are filled from the same seeded SQLite file, and count a site's responses on a connection
// of their own once the servers have stopped.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import postgres from 'postgres';
import { copyTables, pgSide, sqliteSide } from '../api/store/copy.js';
import { openSqliteStore } from '../api/store/sqlite.js';
import { openPgStore } from '../api/store/pg/index.js';
import { removeTempDir, tempDbFile } from './lib.js';

export const PG_ADMIN_URL = process.env.CSAT_TEST_PG_URL ?? 'postgres://csat:csat@127.0.0.1:5432/postgres';

export interface BenchDatabase {
  /** What CSAT_DB is set to. */
  target: string;
  /** Where it is, without a password, for the notes. */
  description: string;
  /** Fills the new database with a copy of the SQLite file `fixture` (closed, its WAL folded in). */
  load(fixture: string): Promise<void>;
  /** How the database commits once the servers run, read back on a connection of its own. */
  durability(): Promise<string>;
  /** Responses stored for the site `slug`. */
  countResponses(slug: string): Promise<number>;
  remove(): Promise<void>;
}

export function sqliteDatabase(): BenchDatabase {
  const file = tempDbFile();
  const withDb = async <T>(fn: (db: ReturnType<typeof openSqliteStore>['db']) => T): Promise<T> => {
    const store = openSqliteStore(file);
    try {
      return fn(store.db);
    } finally {
      await store.close();
    }
  };
  return {
    target: file,
    description: `a SQLite file in ${file.replace(/\/[^/]*$/, '')}`,
    async load(fixture) {
      if (fs.existsSync(`${fixture}-wal`) && fs.statSync(`${fixture}-wal`).size > 0) throw new Error(`${fixture}-wal still holds writes: close its store first`);
      fs.copyFileSync(fixture, file);
    },
    // The store sets these pragmas on every connection it opens, the server's included.
    durability: () => withDb((db) => `journal_mode=${String(db.pragma('journal_mode', { simple: true }))}, synchronous=${String(db.pragma('synchronous', { simple: true }))} (2 = FULL)`),
    countResponses: (slug) =>
      withDb((db) => (db.prepare('SELECT count(*) AS n FROM responses r JOIN sites s ON s.id = r.site_id WHERE s.slug = ?').get(slug) as { n: number }).n),
    remove: async () => removeTempDir(file),
  };
}

const withDatabase = (url: string, name: string) => {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
};
const hidePassword = (url: string) => url.replace(/:[^:@/]*@/, ':***@');

/** A new, empty PostgreSQL database; throws, saying where it looked, when the server cannot be reached. */
export async function pgDatabase(): Promise<BenchDatabase> {
  const name = `csat_bench_${randomBytes(6).toString('hex')}`;
  const admin = postgres(PG_ADMIN_URL, { max: 1, onnotice: () => {}, connect_timeout: 5 });
  try {
    await admin.unsafe(`CREATE DATABASE ${name}`);
  } catch (error) {
    throw new Error(`no PostgreSQL server to create a database on at ${hidePassword(PG_ADMIN_URL)} (set CSAT_TEST_PG_URL): ${(error as Error).message}`);
  } finally {
    await admin.end({ timeout: 1 });
  }
  const url = withDatabase(PG_ADMIN_URL, name);
  const own = <T>(fn: (sql: postgres.Sql) => Promise<T>) => {
    const sql = postgres(url, { max: 1, onnotice: () => {} });
    return fn(sql).finally(() => sql.end({ timeout: 1 }));
  };
  return {
    target: url,
    description: `a PostgreSQL database of its own at ${hidePassword(url)}`,
    async load(fixture) {
      // What `csat migrate-store` does: every table copied in one transaction, ids and chain hashes kept.
      const store = await openPgStore(url);
      const source = openSqliteStore(fixture);
      try {
        await copyTables(sqliteSide(source.db), pgSide(store.sql));
      } finally {
        await source.close();
        await store.close();
      }
    },
    durability: () =>
      own(async (sql) => {
        const [row] = await sql<Array<{ fsync: string; synchronous_commit: string; wal_sync_method: string }>>`
          SELECT current_setting('fsync') AS fsync, current_setting('synchronous_commit') AS synchronous_commit, current_setting('wal_sync_method') AS wal_sync_method`;
        return `fsync=${row!.fsync}, synchronous_commit=${row!.synchronous_commit}, wal_sync_method=${row!.wal_sync_method}`;
      }),
    countResponses: (slug) =>
      own(async (sql) => {
        const [row] = await sql<Array<{ n: number }>>`SELECT count(*)::int AS n FROM responses r JOIN sites s ON s.id = r.site_id WHERE s.slug = ${slug}`;
        return row!.n;
      }),
    async remove() {
      const sql = postgres(PG_ADMIN_URL, { max: 1, onnotice: () => {} });
      try {
        await sql.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await sql.end({ timeout: 1 });
      }
    },
  };
}
