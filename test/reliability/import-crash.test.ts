// `csat import` SIGKILLed part way, as a real process, then the database opened again by the next
// process: a `csat` command, or the server. Killed while staging, the import leaves nothing: the score,
// the daily counts, the chain and the log are as before. Killed mid-swap (after 'ready'), the score has
// not moved yet, and the next open completes the import: all of its rows count, and `csat verify` finds
// the chain, the log and the counts intact. The phase is watched on a read-only connection of our own.
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../api/helpers.js';
import { freePort, killServers, root, startServer } from '../e2e/server-process.js';

afterEach(killServers);

const run = promisify(execFile);
const DAY_MS = 86_400_000;
const ROWS = 8_000;
const REACTIONS = ['positive', 'positive', 'neutral', 'negative'] as const;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A history file of `rows` ratings over the last 60 days; `lastLine` replaces the final row. */
function writeCsv(file: string, prefix: string, rows: number, lastLine?: string) {
  const now = Date.now();
  const counts = { positive: 0, neutral: 0, negative: 0 };
  const lines = ['date,ticketRef,reaction,comment'];
  for (let i = 0; i < rows; i++) {
    const reaction = REACTIONS[i % REACTIONS.length]!;
    counts[reaction]++;
    lines.push(`${new Date(now - DAY_MS - (i % 60) * DAY_MS - i * 11).toISOString()},${prefix}-${i},${reaction},${i % 13 === 0 ? 'from the old tool' : ''}`);
  }
  if (lastLine !== undefined) lines[lines.length - 1] = lastLine;
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return counts;
}

async function setUp() {
  const dir = tempDir();
  const db = path.join(dir, 'csat.db');
  const env = { ...process.env, CSAT_DB: db };
  const csat = (...args: string[]) => run(process.execPath, ['bin/csat.js', ...args], { cwd: root, env, maxBuffer: 1 << 24 });
  await csat('site', 'create', 'acme', '--name', 'Acme IT', '--quiet');
  // Some history already in: the import's events follow an existing chain head.
  const earlier = path.join(dir, 'earlier.csv');
  writeCsv(earlier, 'EARLY', 25);
  await csat('import', 'acme', earlier);
  return { dir, db, env, csat };
}

/** What the score, the chain and the log hold, read behind the store's back. */
function state(db: string) {
  const conn = new Database(db, { readonly: true });
  try {
    const one = (sql: string) => (conn.prepare(sql).get() as { n: number }).n;
    return {
      counts: conn.prepare('SELECT sum(positive) AS positive, sum(neutral) AS neutral, sum(negative) AS negative, sum(imported) AS imported FROM daily_counts').get(),
      responses: one('SELECT count(*) AS n FROM responses'),
      events: one('SELECT count(*) AS n FROM response_events'),
      log: one('SELECT count(*) AS n FROM log_entries'),
      staged: one('SELECT count(*) AS n FROM import_rows'),
      imports: conn.prepare('SELECT state FROM imports').all() as Array<{ state: string }>,
    };
  } finally {
    conn.close();
  }
}

/** Runs `csat import` and SIGKILLs it once `when` holds on the database; resolves with the state then. */
async function importKilledWhen(env: NodeJS.ProcessEnv, file: string, db: string, when: (s: ReturnType<typeof state>) => boolean) {
  const child = spawn(process.execPath, ['bin/csat.js', 'import', 'acme', file], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));
  let done = false;
  void exited.then(() => (done = true));
  for (;;) {
    if (done) throw new Error(`the import ended before the moment to kill it:\n${output}`);
    let seen: ReturnType<typeof state> | null = null;
    try {
      seen = state(db);
    } catch {
      // the import's first migration or transaction can hold the file a moment
    }
    if (seen && when(seen)) {
      child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');
      return state(db);
    }
    await sleep(2);
  }
}

describe('csat import killed with SIGKILL', () => {
  it('while staging: nothing of it counts or shows, and the next csat command discards it', async () => {
    const { dir, db, env, csat } = await setUp();
    const before = state(db);
    const file = path.join(dir, 'history.csv');
    writeCsv(file, 'OLD', ROWS);

    const killed = await importKilledWhen(env, file, db, (s) => s.staged >= 1_000 && s.imports.length === 1);
    expect(killed.imports).toEqual([{ state: 'staging' }]);
    expect({ ...killed, staged: 0, imports: [] }).toEqual(before);

    const verified = await csat('verify', 'acme');
    expect(verified.stdout).toContain(`Event chain: ${before.events} events, intact`);
    expect(state(db)).toEqual(before);
    // Its tickets are free: the same file imports in full now.
    expect((await csat('import', 'acme', file)).stdout).toContain(`Imported ${ROWS} rating(s)`);
    expect(state(db)).toMatchObject({ responses: before.responses + ROWS, events: before.events + ROWS, staged: 0, imports: [] });
  });

  it('mid-swap: the score has not moved, and the server opening the database next completes the import', async () => {
    const { dir, db, env, csat } = await setUp();
    const before = state(db);
    const file = path.join(dir, 'history.csv');
    const imported = writeCsv(file, 'OLD', ROWS);

    const killed = await importKilledWhen(env, file, db, (s) => s.imports[0]?.state === 'ready' && s.events >= before.events + 800 && s.staged > 0);
    expect(killed.counts).toEqual(before.counts);
    expect(killed.events).toBeLessThan(before.events + ROWS);
    expect(killed.log).toBe(killed.events);

    const port = await freePort();
    await startServer({ PORT: String(port), CSAT_DB: db, CSAT_DEMO: '0', CSAT_RATE_LIMIT: '0' });
    const score = (await (await fetch(`http://127.0.0.1:${port}/v1/sites/acme/score`)).json()) as { counts: Record<string, number> };
    const had = before.counts as { positive: number; neutral: number; negative: number; imported: number };
    expect(score.counts).toEqual({
      positive: had.positive + imported.positive,
      neutral: had.neutral + imported.neutral,
      negative: had.negative + imported.negative,
      total: had.imported + ROWS,
      imported: had.imported + ROWS,
    });
    expect(state(db)).toMatchObject({ responses: before.responses + ROWS, events: before.events + ROWS, log: before.log + ROWS, staged: 0, imports: [] });
    const verified = await csat('verify', 'acme');
    expect(verified.stdout).toContain(`Event chain: ${before.events + ROWS} events, intact`);
  });

  it('mid-swap, then a csat command first: it completes the import before doing its own work', async () => {
    const { dir, db, env, csat } = await setUp();
    const before = state(db);
    const file = path.join(dir, 'history.csv');
    writeCsv(file, 'OLD', ROWS);
    await importKilledWhen(env, file, db, (s) => s.imports[0]?.state === 'ready' && s.events >= before.events + 400 && s.staged > 0);
    const verified = await csat('verify', 'acme');
    expect(verified.stdout).toContain(`Event chain: ${before.events + ROWS} events, intact`);
    expect(state(db)).toMatchObject({ responses: before.responses + ROWS, staged: 0, imports: [] });
  });

  it('a bad last line still changes nothing', async () => {
    const { dir, db, csat } = await setUp();
    const before = state(db);
    const file = path.join(dir, 'history.csv');
    writeCsv(file, 'OLD', ROWS, `${new Date().toISOString().slice(0, 10)},OLD-LAST,maybe,`);
    const failed = await csat('import', 'acme', file).then(() => null, (error: { code: number; stderr: string }) => error);
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toContain('Nothing was imported.');
    expect(state(db)).toEqual(before);
  });
});
