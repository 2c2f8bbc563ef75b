// Databases of imported responses for the benchmarks that need many of them (the score's computation and
// its reads at 1,000,000 stored responses), seeded through the store's own import.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { systemClock } from '../api/clock.js';
import { DAY_MS } from '../api/domain/window.js';
import { withoutDiskWaits } from '../api/store/bulk-load.js';
import { openSqliteStore } from '../api/store/sqlite.js';
import { fmt, importRows, removeTempDir, tempDbFile } from './lib.js';

/** The site every seeded database holds. */
export const SEEDED_SITE = 'acme';
/** Rows per importResponses call. */
const CALL_ROWS = 25_000;
/** importResponses calls in flight: the import rests between its batches (so that a server on the same
 * database gets the write lock); the other calls' batches use those rests. */
const PARALLEL = 4;
/** Databases this large are seeded once and kept between runs (see seededDatabase). */
export const KEEP_FROM = 100_000;

/** Seeds `count` responses (importRows over the 365 days before now) into a new database file. */
export async function seedResponses(file: string, count: number, log: (s: string) => void = () => {}): Promise<void> {
  const store = openSqliteStore(file);
  try {
    const now = systemClock.now();
    const site = await store.createSite({ slug: SEEDED_SITE, name: 'Acme IT' }, now - 400 * DAY_MS);
    const started = performance.now();
    let next = 0;
    let done = 0;
    const importer = async () => {
      while (next < count) {
        const start = next;
        const n = Math.min(CALL_ROWS, count - start);
        next += n;
        await store.importResponses(site.id, importRows(count, now, 365, start, n), now);
        done += n;
        if (count >= KEEP_FROM && done % 100_000 === 0) log(`  seeding: ${fmt.int(done)} of ${fmt.int(count)} rows in ${((performance.now() - started) / 1000).toFixed(0)} s`);
      }
    };
    // Commits without waiting for the disk (nothing is measured while seeding); put back to FULL after.
    await withoutDiskWaits(store, async () => {
      await Promise.all(Array.from({ length: PARALLEL }, importer));
    });
  } finally {
    await store.close();
  }
}

/**
 * A new database file (in a temp folder of this run) holding `count` imported responses of the site
 * "acme", spread over the 365 days before they were seeded; the rows' `now` is the site's last event
 * (store.lastEventAt). Large ones go through the store's import, which rests between its batches: a
 * first run seeds them once per schema version into os.tmpdir()/csat-bench-seeds, later runs copy it.
 */
export async function seededDatabase(count: number, log: (s: string) => void = console.log): Promise<{ file: string; seedMs: number | null; kept: string | null }> {
  const file = tempDbFile();
  const started = performance.now();
  if (count < KEEP_FROM) {
    await seedResponses(file, count, log);
    return { file, seedMs: performance.now() - started, kept: null };
  }
  const probeFile = tempDbFile();
  const probe = openSqliteStore(probeFile);
  const schema = probe.db.pragma('user_version', { simple: true }) as number;
  await probe.close();
  removeTempDir(probeFile);
  const dir = path.join(os.tmpdir(), 'csat-bench-seeds');
  const kept = path.join(dir, `score-read-${count}-schema-${schema}.db`);
  let seedMs: number | null = null;
  if (!fs.existsSync(kept)) {
    fs.mkdirSync(dir, { recursive: true });
    const partial = `${kept}.${process.pid}.partial`;
    log(`  seeding ${fmt.int(count)} responses once into ${kept} (kept for later runs)`);
    try {
      const older = olderKept(dir, count, schema);
      if (older) {
        // The same rows at an older schema: the store's migrations bring a copy up to date in seconds,
        // where seeding again takes minutes.
        log(`  upgrading ${older} to schema ${schema}`);
        fs.copyFileSync(older, partial);
        await openSqliteStore(partial).close();
      } else {
        await seedResponses(partial, count, log);
      }
      // Closing the store folded its WAL into the file: a copy of the file alone is the whole database.
      if (fs.existsSync(`${partial}-wal`) && fs.statSync(`${partial}-wal`).size > 0) throw new Error(`${partial}-wal still holds writes after close`);
      fs.renameSync(partial, kept);
    } finally {
      for (const suffix of ['', '-wal', '-shm']) fs.rmSync(partial + suffix, { force: true });
    }
    seedMs = performance.now() - started;
  }
  fs.copyFileSync(kept, file);
  return { file, seedMs, kept };
}

/** The kept database of `count` rows at the newest schema below `schema`, if any. */
function olderKept(dir: string, count: number, schema: number): string | null {
  const pattern = new RegExp(`^score-read-${count}-schema-(\\d+)\\.db$`);
  const versions = fs
    .readdirSync(dir)
    .map((name) => Number(pattern.exec(name)?.[1]))
    .filter((v) => Number.isInteger(v) && v < schema);
  return versions.length ? path.join(dir, `score-read-${count}-schema-${Math.max(...versions)}.db`) : null;
}
