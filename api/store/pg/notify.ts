// Tells every instance over the same database which site changed: the writer announces the change inside
// its own transaction (PostgreSQL delivers a NOTIFY only when that transaction commits, and drops it on
// rollback), and each instance's store keeps one LISTEN connection that passes site ids on to the live side.
import type { Sql, Tx } from './connection.js';
import type { ChangeFeed, ChangeListener } from '../types-changes.js';

const CHANGE_CHANNEL = 'csat_site_changed';

/** Announces, on commit of `tx`, that the site's responses (score, feed, comments) changed. Several
 * announcements of one site in one transaction reach listeners once (PostgreSQL folds duplicates). */
export async function notifyChange(tx: Tx, siteId: number): Promise<void> {
  await tx`SELECT pg_notify(${CHANGE_CHANNEL}, ${String(siteId)})`;
}

export interface PgChangeFeed extends ChangeFeed {
  close(): Promise<void>;
}

/**
 * Starts listening on `sql`'s dedicated LISTEN connection (postgres.js opens it, and connects it again
 * after a break). Every (re)connection is reported as `null`: notifications sent while the connection was
 * down are lost, so listeners must treat every site as changed.
 */
export async function listenChanges(sql: Sql): Promise<PgChangeFeed> {
  const listeners = new Set<ChangeListener>();
  const tell = (siteId: number | null) => {
    for (const listener of [...listeners]) {
      try {
        listener(siteId);
      } catch {
        // one listener's failure is its own
      }
    }
  };
  const { unlisten } = await sql.listen(
    CHANGE_CHANNEL,
    (payload) => {
      const siteId = Number(payload);
      if (Number.isSafeInteger(siteId)) tell(siteId);
    },
    () => tell(null),
  );
  let closed = false;
  return {
    onChange(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    async close() {
      if (closed) return;
      closed = true;
      listeners.clear();
      await unlisten().catch(() => {});
    },
  };
}
