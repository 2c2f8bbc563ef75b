// `csat migrate-store`: the demo database copied to PostgreSQL and back keeps every site's score, chain
// head and counts; the copy verifies; a target that is not empty is refused and left as it was.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliIo } from '../../api/cli/main.js';
import { seedDemo } from '../../api/demo/seed.js';
import { dayOf } from '../../api/domain/window.js';
import { publicScore } from '../../api/services/public-score.js';
import { openPgStore } from '../../api/store/pg/index.js';
import { openSqliteStore } from '../../api/store/sqlite.js';
import type { Store } from '../../api/store/types.js';
import { T0, tempDir } from '../api/helpers.js';
import { freshPgDatabase, type PgDatabase } from '../pg-database.js';

function cli(): CliIo & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: (l) => lines.push(l), write: (t) => lines.push(t), err: (l) => errors.push(l), env: {}, now: () => T0 };
}

/** Per site: what a copy must keep. */
async function figures(store: Store) {
  const out: Record<string, unknown> = {};
  for (const site of await store.listSites()) {
    const events = await store.listEvents(site.id);
    const score = await publicScore(store, site, T0);
    out[site.slug] = {
      events: events.length,
      head: events.at(-1)?.hash,
      counts: await store.countsBetween(site.id, 0, dayOf(T0)),
      score: score.score,
      total: score.counts.total,
      log: score.log,
    };
  }
  return out;
}

describe('csat migrate-store', () => {
  let dir: string;
  let sqliteFile: string;
  let pg: PgDatabase;
  let before: Record<string, unknown>;

  beforeAll(async () => {
    dir = tempDir();
    sqliteFile = path.join(dir, 'demo.db');
    const store = openSqliteStore(sqliteFile);
    await seedDemo(store, T0);
    before = await figures(store);
    await store.close();
    pg = await freshPgDatabase();
  });
  afterAll(async () => {
    await pg?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('copies the demo database to PostgreSQL with the same score, chain head and counts, and says so', async () => {
    const io = cli();
    expect(await runCli(['migrate-store', sqliteFile, pg.url], io)).toBe(0);
    expect(io.errors).toEqual([]);
    expect(Object.keys(before).length).toBeGreaterThanOrEqual(3);
    for (const slug of Object.keys(before)) {
      expect(io.lines.some((l) => l.startsWith(`Site "${slug}"`) && l.endsWith('the same on the copy.'))).toBe(true);
    }
    expect(io.lines.join('\n')).toContain('intact');
    // The password of the target's URL is never printed.
    expect(io.lines.join('\n')).not.toContain(':csat@');

    const copy = await openPgStore(pg.url);
    try {
      expect(await figures(copy)).toEqual(before);
    } finally {
      await copy.close();
    }
  });

  it('refuses a target that already holds a deployment, and leaves it as it was', async () => {
    const io = cli();
    expect(await runCli(['migrate-store', sqliteFile, pg.url], io)).not.toBe(0);
    expect(io.errors.join('\n')).toMatch(/not empty/);
    const copy = await openPgStore(pg.url);
    try {
      expect(await figures(copy)).toEqual(before);
    } finally {
      await copy.close();
    }
  });

  it('copies back from PostgreSQL into a new SQLite file with the same figures', async () => {
    const back = path.join(dir, 'back.db');
    const io = cli();
    expect(await runCli(['migrate-store', pg.url, back], io)).toBe(0);
    const store = openSqliteStore(back);
    try {
      expect(await figures(store)).toEqual(before);
    } finally {
      await store.close();
    }
  });

  it('needs one SQLite file and one PostgreSQL database', async () => {
    const io = cli();
    expect(await runCli(['migrate-store', sqliteFile, path.join(dir, 'other.db')], io)).toBe(2);
    expect(io.errors.join('\n')).toMatch(/SQLite file to a postgres/);
    expect(fs.existsSync(path.join(dir, 'other.db'))).toBe(false);
  });
});
