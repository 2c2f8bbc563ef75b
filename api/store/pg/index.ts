// The PostgreSQL store: the store for several instances of the server over one database. Its core
// (sites, surveys, responses, chain, counts, inbox) and its parts (webhooks, email, connectors, log, held
// answers, erasure, campaigns) share one pool; hooks let a response's transaction queue what it causes.
import type { Store } from '../types.js';
import { connect, type Sql } from './connection.js';
import { migratePg } from './migrations.js';
import { createSurveyTx, pgSites } from './core-sites.js';
import { pgAnswers } from './core-answers.js';
import { pgReads } from './core-reads.js';
import { pgInbox } from './inbox.js';
import { pgWebhooks } from './webhooks.js';
import { pgEmail } from './email.js';
import { pgConnectors } from './connectors.js';
import { pgLog } from './log.js';
import { pgHeld } from './held.js';
import { pgErasure } from './erasure.js';
import { pgCampaigns } from './campaigns.js';
import { listenChanges, notifyChange, type PgChangeFeed } from './notify.js';

export { createSurveyTx, lockSite, bumpVersion } from './core-sites.js';

/** Connects to `url` (postgres://user:pass@host:port/db), brings its schema up to date (several instances
 * may do so at once: the migration runs under an advisory lock) and returns the store with its pool.
 * `changes` tells which site another instance (or this one) changed, as soon as it commits. */
export async function openPgStore(url: string): Promise<Store & { sql: Sql; changes: PgChangeFeed }> {
  const sql = connect(url);
  let changes: PgChangeFeed;
  try {
    await migratePg(sql);
    changes = await listenChanges(sql);
  } catch (error) {
    await sql.end({ timeout: 1 });
    throw error;
  }
  const webhooks = pgWebhooks(sql);
  const connectors = pgConnectors(sql);
  const log = pgLog(sql);
  const store = {
    ...pgSites(sql, notifyChange),
    ...pgAnswers(sql, { enqueueWebhooks: webhooks.enqueue, afterResponse: connectors.afterResponse, catchUpLog: log.catchUp, notifyChange }),
    ...pgReads(sql),
    ...pgInbox(sql),
    ...webhooks.methods,
    ...pgEmail(sql, createSurveyTx).methods,
    ...connectors.methods,
    ...log.methods,
    ...pgHeld(sql),
    ...pgErasure(sql),
    ...pgCampaigns(sql),
    async close() {
      await changes.close();
      await sql.end({ timeout: 5 });
    },
  };
  const complete: Store = store;
  return Object.assign(complete, { sql, changes });
}
