// The PostgreSQL store: the store for several instances of the server over one database. Its core
// (sites, surveys, responses, chain, counts, inbox) and its parts (webhooks, email, connectors, log, held
// answers, erasure, campaigns) share one pool; hooks let a response's transaction queue what it causes.
import type { Store } from '../types.js';
import { connect, type Sql } from './connection.js';
import { migratePg } from './migrations.js';
import { pgSites } from './core-sites.js';

export { createSurveyTx, lockSite, bumpVersion } from './core-sites.js';

/** Connects to `url` (postgres://user:pass@host:port/db), brings its schema up to date (several instances
 * may do so at once: the migration runs under an advisory lock) and returns the store with its pool. */
export async function openPgStore(url: string): Promise<Store & { sql: Sql }> {
  const sql = connect(url);
  try {
    await migratePg(sql);
  } catch (error) {
    await sql.end({ timeout: 1 });
    throw error;
  }
  const store = {
    ...pgSites(sql),
    async close() {
      await sql.end({ timeout: 5 });
    },
  };
  // Parts not written yet are left out until their files land.
  return Object.assign(store as unknown as Store, { sql });
}
