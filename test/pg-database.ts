// A PostgreSQL database of its own for one test file, so files run in parallel: created from the server
// at CSAT_TEST_PG_URL (default: the local server README's development section starts) and dropped after.
// There is no silent skip: without a reachable server these tests fail, and say how to start one.
import postgres from 'postgres';
import { randomBytes } from 'node:crypto';

export const PG_ADMIN_URL = process.env.CSAT_TEST_PG_URL ?? 'postgres://csat:csat@127.0.0.1:5432/postgres';

export interface PgDatabase {
  /** postgres://... of the new, empty database. */
  url: string;
  name: string;
  drop(): Promise<void>;
}

const withDatabase = (url: string, name: string) => {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
};

export async function freshPgDatabase(): Promise<PgDatabase> {
  const admin = postgres(PG_ADMIN_URL, { max: 1, onnotice: () => {}, connect_timeout: 5 });
  const name = `csat_test_${randomBytes(6).toString('hex')}`;
  try {
    await admin.unsafe(`CREATE DATABASE ${name}`);
  } catch (error) {
    await admin.end({ timeout: 1 });
    throw new Error(
      `PostgreSQL tests need a server at ${PG_ADMIN_URL.replace(/:[^:@/]*@/, ':***@')} (set CSAT_TEST_PG_URL; ` +
        `README, Development, says how to start one): ${(error as Error).message}`,
    );
  }
  await admin.end({ timeout: 1 });
  return {
    url: withDatabase(PG_ADMIN_URL, name),
    name,
    async drop() {
      const sql = postgres(PG_ADMIN_URL, { max: 1, onnotice: () => {} });
      try {
        await sql.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await sql.end({ timeout: 1 });
      }
    },
  };
}
