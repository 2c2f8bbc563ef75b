// `csat migrate-store <from> <to>`: moves a deployment between SQLite (a file) and PostgreSQL
// (postgres://...), then proves the copy: every site's event chain verifies on the target (the checks of
// `csat verify`), and its chain head, counts and public score are the same on both sides.
import fs from 'node:fs';
import { publicScore } from '../services/public-score.js';
import { copyTables, pgSide, sqliteSide, type TableSide } from '../store/copy.js';
import { openPgStore } from '../store/pg/index.js';
import { openSqliteStore } from '../store/sqlite.js';
import { describeTarget, isPostgresUrl } from '../store/open.js';
import type { Store } from '../store/types.js';
import { secretFileFor } from '../server-secret.js';
import { dayOf } from '../domain/window.js';
import { verifyLocal } from './verify.js';

export const MIGRATE_STORE_USAGE =
  '  migrate-store <from> <to>        copy a deployment between a SQLite file and a PostgreSQL database\n' +
  '                                   (postgres://user:pass@host:port/db) into an empty target, then verify it';

interface Io {
  out(line: string): void;
  err(line: string): void;
  env: Record<string, string | undefined>;
  now(): number;
}

interface Opened {
  store: Store;
  side: TableSide;
  name: string;
}

async function open(target: string, role: 'source' | 'target'): Promise<Opened> {
  if (isPostgresUrl(target)) {
    const store = await openPgStore(target);
    return { store, side: pgSide(store.sql), name: describeTarget(target) };
  }
  if (role === 'source' && !fs.existsSync(target)) throw new MigrateStoreError(`there is no database at ${target}`);
  const store = openSqliteStore(target);
  return { store, side: sqliteSide(store.db), name: target };
}

export class MigrateStoreError extends Error {
  override name = 'MigrateStoreError';
}

/** What a copy must keep, per site: the chain head, all-time counts and today's public score. */
async function fingerprint(store: Store, siteSlug: string, now: number) {
  const site = (await store.getSite(siteSlug))!;
  const events = await store.listEvents(site.id);
  const counts = await store.countsBetween(site.id, 0, dayOf(now));
  const score = await publicScore(store, site, now);
  return {
    events: events.length,
    head: events.at(-1)?.hash ?? null,
    counts: `${counts.positive}/${counts.neutral}/${counts.negative} (${counts.imported} imported)`,
    score: score.score,
  };
}

export async function migrateStore(from: string, to: string, io: Io): Promise<number> {
  if (isPostgresUrl(from) === isPostgresUrl(to)) throw new MigrateStoreError('copy from a SQLite file to a postgres:// database or back (csat backup copies SQLite to SQLite)');
  const source = await open(from, 'source');
  let target: Opened | undefined;
  try {
    target = await open(to, 'target');
    const started = performance.now();
    const copied = await copyTables(source.side, target.side);
    const rows = copied.reduce((n, t) => n + t.rows, 0);
    io.out(`Copied ${rows} row(s) in ${copied.length} table(s) from ${source.name} to ${target.name} in ${((performance.now() - started) / 1000).toFixed(1)} s.`);

    const now = io.now();
    let problems = 0;
    for (const site of await source.store.listSites()) {
      const before = await fingerprint(source.store, site.slug, now);
      const after = await fingerprint(target.store, site.slug, now);
      const lines: string[] = [];
      const verified = await verifyLocal(target.store, (await target.store.getSite(site.slug))!, now, (line) => lines.push(line));
      const same = JSON.stringify(before) === JSON.stringify(after);
      if (verified !== 0 || !same) problems++;
      io.out(`Site "${site.slug}": ${before.events} event(s), chain head ${before.head ?? 'none'}, counts ${before.counts}, score ${before.score ?? 'none'}: ` +
        (same ? 'the same on the copy.' : `the copy differs: ${after.events} event(s), head ${after.head ?? 'none'}, counts ${after.counts}, score ${after.score ?? 'none'}.`));
      for (const line of lines) io.out(`  ${line}`);
    }
    if (problems > 0) {
      io.err(`The copy does not match for ${problems} site(s): do not switch to it.`);
      return 1;
    }
    // Survey links and sealed settings are keyed by the server secret, which lives outside the database.
    if (!io.env.CSAT_SECRET) {
      const file = isPostgresUrl(from) ? null : secretFileFor(from);
      io.out(file
        ? `Survey links and sealed settings need the same server secret: give every instance CSAT_SECRET set to the contents of ${file}.`
        : 'Survey links and sealed settings need the same server secret: run the server on the copy with CSAT_SECRET set to the instances\' value.');
    }
    return 0;
  } finally {
    await target?.store.close();
    await source.store.close();
  }
}
