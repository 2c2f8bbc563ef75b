// Online backup of the SQLite store and a check of a copy. SQLite's backup API copies the database page
// by page from a read snapshot of the given connection, so the server keeps writing meanwhile (WAL
// readers never block writers). The copy is written to a temporary file beside the destination and
// renamed into place only when complete, so a crash mid-backup never leaves a half copy under the name.
import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { verifyChain } from '../domain/chain.js';
import { openSqliteStore } from './sqlite.js';
import type { Store } from './types.js';

/** Every page in one step: one consistent snapshot, and no restart when the server writes meanwhile. */
const ALL_PAGES = 0x7fffffff;

const sidecars = (file: string) => [`${file}-wal`, `${file}-shm`, `${file}-journal`];

function removeIfPresent(file: string): void {
  fs.rmSync(file, { force: true });
}

function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Not every platform can fsync a directory (Windows); the rename itself is still atomic.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Copies the database behind `db` to `destination`, replacing whatever is there (the caller decides
 * whether that is allowed). */
/** The online copy of an open SQLite store (the CLI holds it as a plain Store). */
export async function backupStore(store: Store, destination: string): Promise<{ bytes: number; pages: number }> {
  const { db } = store as Store & { db?: Database.Database };
  if (!db) throw new Error('only a SQLite store can be backed up this way');
  return backupDatabase(db, destination);
}

export async function backupDatabase(db: Database.Database, destination: string): Promise<{ bytes: number; pages: number }> {
  const target = path.resolve(destination);
  if (path.resolve(db.name) === target) throw new Error('the backup destination is the database itself');
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.partial`);
  for (const file of [temp, ...sidecars(temp)]) removeIfPresent(file);
  try {
    // SQLite keeps the mode of an existing file: the copy holds the same secrets as the database.
    fs.closeSync(fs.openSync(temp, 'wx', 0o600));
    const { totalPages } = await db.backup(temp, { progress: () => ALL_PAGES });
    fs.chmodSync(temp, 0o600);
    // A stale WAL beside the destination would be replayed onto the copy when it is opened.
    for (const file of [target, ...sidecars(target)]) removeIfPresent(file);
    fs.renameSync(temp, target);
    fsyncDir(path.dirname(target));
    return { bytes: fs.statSync(target).size, pages: totalPages };
  } catch (error) {
    for (const file of [temp, ...sidecars(temp)]) removeIfPresent(file);
    throw error;
  }
}

export interface SiteCheck {
  slug: string;
  responses: number;
  events: number;
  chainValid: boolean;
  /** Why the chain does not verify (absent when it does). */
  chainProblem?: string;
  /** Days whose stored counts differ from a recount. */
  mismatches: number;
}

/** Opens a database file (migration check and pragmas included), runs SQLite's integrity check, and
 * verifies every site's event chain and daily counts. `integrity` is 'ok' when the file is sound. */
export async function checkDatabase(file: string): Promise<{ integrity: string; sites: SiteCheck[] }> {
  if (!fs.existsSync(file)) throw new Error(`there is no database at ${file}`);
  const store = openSqliteStore(file);
  try {
    const rows = store.db.pragma('integrity_check') as Array<{ integrity_check: string }>;
    const integrity = rows.map((r) => r.integrity_check).join('\n');
    const countResponses = store.db.prepare<[number], { n: number }>('SELECT count(*) AS n FROM responses WHERE site_id = ?');
    const sites: SiteCheck[] = [];
    for (const site of await store.listSites()) {
      const chain = verifyChain(await store.listEvents(site.id));
      sites.push({
        slug: site.slug,
        responses: countResponses.get(site.id)!.n,
        events: chain.length,
        chainValid: chain.valid,
        ...(chain.valid ? {} : { chainProblem: `broken at event ${chain.brokenAt}: ${chain.reason}` }),
        mismatches: (await store.countMismatches(site.id)).length,
      });
    }
    return { integrity, sites };
  } finally {
    await store.close();
  }
}
