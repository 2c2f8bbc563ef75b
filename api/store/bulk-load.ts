// Loading a fresh database in bulk (the demo seed) without waiting for the disk on every commit. Kept
// in store/ because it is a setting of the SQLite connection: nothing outside store/ speaks SQL.
import type { Store } from './types.js';

/**
 * The SQLite store waits for the disk on every commit (synchronous=FULL); the seed makes ~3,400 of them
 * on a database that holds nothing else yet, each a wait for the disk. Committing without waiting during the
 * seed is safe: a crash mid-seed loses only demo history on a fresh demo database. The setting is put
 * back, and read back, whatever happens; other stores are left alone.
 */
export async function withoutDiskWaits(store: Store, seed: () => Promise<void>): Promise<void> {
  const db = (store as { db?: { pragma?: (source: string, options?: { simple: boolean }) => unknown } }).db;
  if (typeof db?.pragma !== 'function') return seed();
  const before = db.pragma('synchronous', { simple: true });
  db.pragma('synchronous = OFF');
  try {
    await seed();
  } finally {
    db.pragma(`synchronous = ${Number(before)}`);
    if (db.pragma('synchronous', { simple: true }) !== before) throw new Error('could not restore the SQLite synchronous setting after the demo seed');
  }
}
