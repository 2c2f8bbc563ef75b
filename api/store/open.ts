// Which store a CSAT_DB value names: a postgres:// or postgresql:// URL is a PostgreSQL database (the
// store for several instances), anything else a SQLite file.
import type { Store } from './types.js';
import { openSqliteStore } from './sqlite.js';
import { openPgStore } from './pg/index.js';

export function isPostgresUrl(target: string): boolean {
  return /^postgres(ql)?:\/\//i.test(target);
}

/** The target without its password, for logs and messages. */
export function describeTarget(target: string): string {
  if (!isPostgresUrl(target)) return target;
  try {
    const url = new URL(target);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return 'a PostgreSQL URL that does not parse';
  }
}

/** Opens and migrates the store `target` names. */
export async function openStore(target: string): Promise<Store> {
  return isPostgresUrl(target) ? openPgStore(target) : openSqliteStore(target);
}
