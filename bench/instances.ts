// One instance or several: the built server over a fresh SQLite file (one instance, as SQLite allows)
// side by side with two built servers over one fresh PostgreSQL database, the load split evenly over
// both. Score reads at 50 connections, durable first answers at 16, each phase a few seconds; after the
// servers stop, every acknowledged answer (201) must be a row in the database. The figures carry no
// target of their own: they show what a second instance costs or buys on this machine. A side that
// cannot run (no PostgreSQL server, a store method missing) is reported as not completed, with why.
// Run alone: `npm run build:api && npx tsx bench/instances.ts [seconds]`.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { systemClock } from '../api/clock.js';
import { newTokenId, surveyToken } from '../api/domain/tokens.js';
import { DAY_MS } from '../api/domain/window.js';
import { withoutDiskWaits } from '../api/store/bulk-load.js';
import { openSqliteStore } from '../api/store/sqlite.js';
import { pgDatabase, sqliteDatabase, type BenchDatabase } from './bench-databases.js';
import { fmt, importRows, removeTempDir, ROOT, TEMP_DIRS, tempDbFile, type BenchOutput, type LoadResult, type Row } from './lib.js';
import { splitLoad } from './split-load.js';

const BENCH = 'instances';
/** The site whose score is read, with this many imported responses. */
const READ_SITE = 'acme';
const READ_RESPONSES = 1_000;
/** The site the answers go to: one help desk, so on PostgreSQL every answer takes the same site's lock. */
const WRITE_SITE = 'answers';
const READ_CONNECTIONS = 50;
const WRITE_CONNECTIONS = 16;
/** Survey tokens made: enough for this many first answers a second over the phase, so none is
 * used twice (a second use would be a change, 200, not a first answer). */
const TOKENS_PER_SECOND = 3_000;
const START_TIMEOUT_MS = 60_000;
const SETUP_REQUEST = path.join(import.meta.dirname, 'writes-setup-request.cjs');

/** The server as `npm start` runs it: the bundled module when the build made one. */
function serverEntry(): string {
  const bundle = path.join(ROOT, 'dist/api/server.bundle.js');
  return fs.existsSync(bundle) ? bundle : path.join(ROOT, 'dist/api/server.js');
}

/** The built server on `db` in a child process, as a reverse proxy's backend; resolves once it listens. */
function startServer(entry: string, db: string, secret: Buffer): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [entry], {
    cwd: ROOT,
    // The rate limit stays at its default: each answer comes from an address of its own.
    env: { ...process.env, PORT: '0', CSAT_DB: db, CSAT_DEMO: '0', CSAT_TRUST_PROXY: '1', CSAT_SECRET: secret.toString('base64') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    // A server stuck before listening (a database that never answers) would hold the whole run.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not listen within ${START_TIMEOUT_MS / 1000} s: ${output.trim()}`));
    }, START_TIMEOUT_MS);
    child.stdout!.on('data', (d) => {
      output += d;
      const m = /listening on (http:\/\/[^\s]+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1]! });
      }
    });
    child.stderr!.on('data', (d) => ((output += d), process.env.CSAT_BENCH_VERBOSE && process.stderr.write(d)));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}: ${output.trim()}`));
    });
  });
}

function stopServer(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** The seeded SQLite file every side starts from: the score's site, and surveys waiting for an answer. */
interface Fixture {
  file: string;
  secret: Buffer;
  tokens: string[];
  seedMs: number;
}

async function seedFixture(seconds: number): Promise<Fixture> {
  const file = tempDbFile('fixture.db');
  const secret = randomBytes(32);
  const now = systemClock.now();
  const count = Math.max(WRITE_CONNECTIONS * 20, Math.round(TOKENS_PER_SECOND * seconds * 1.2));
  const tokens: string[] = [];
  const started = performance.now();
  const store = openSqliteStore(file);
  try {
    // Setup, not measured: commits without waiting for the disk (put back before the store closes).
    await withoutDiskWaits(store, async () => {
      const readSite = await store.createSite({ slug: READ_SITE, name: 'Acme IT' }, now - 400 * DAY_MS);
      await store.importResponses(readSite.id, importRows(READ_RESPONSES, now, 365), now);
      const writeSite = await store.createSite({ slug: WRITE_SITE, name: 'Answers' }, now);
      for (let i = 0; i < count; i++) {
        const { survey } = await store.createSurvey({ siteId: writeSite.id, ticketRef: `T-${i}`, tokenId: newTokenId(), expiresAt: now + 30 * DAY_MS }, now);
        tokens.push(surveyToken(secret, survey.tokenId));
      }
    });
  } finally {
    // Closing folds the WAL into the file, so a copy of the file alone is the whole fixture.
    await store.close();
  }
  return { file, secret, tokens, seedMs: performance.now() - started };
}

type Split = Awaited<ReturnType<typeof splitLoad>>;

/** One side of the comparison: its database, its servers, and what was measured on it. */
interface Side {
  label: string;
  servers: number;
  open: () => Promise<BenchDatabase>;
  db?: BenchDatabase;
  children: ChildProcess[];
  urls: string[];
  tokenFiles: string[];
  durability?: string;
  loadMs?: number;
  reads?: Split & { loadavg: number };
  writes?: Split & { loadavg: number };
  created?: number;
  stored?: number;
  /** Why the side stopped, when it did; figures measured before stay. */
  error?: string;
}

const newSide = (label: string, servers: number, open: () => Promise<BenchDatabase>): Side => ({ label, servers, open, children: [], urls: [], tokenFiles: [] });

/** Fills the side's database from the fixture and starts its servers. */
async function prepare(side: Side, fixture: Fixture, log: (s: string) => void): Promise<void> {
  side.db = await side.open();
  const started = performance.now();
  await side.db.load(fixture.file);
  side.loadMs = performance.now() - started;
  side.durability = await side.db.durability();
  log(`  ${side.label}: fixture loaded in ${(side.loadMs / 1000).toFixed(1)} s; ${side.durability}`);
  // Each server's share of the tokens, from addresses of its own (10.<server>.x.y).
  const dir = path.dirname(tempDbFile('tokens'));
  for (let s = 0; s < side.servers; s++) {
    const file = path.join(dir, `tokens-${s}.json`);
    fs.writeFileSync(file, JSON.stringify({ prefix: `10.${s + 1}`, tokens: fixture.tokens.filter((_, i) => i % side.servers === s) }));
    side.tokenFiles.push(file);
  }
  for (let s = 0; s < side.servers; s++) {
    const server = await startServer(serverEntry(), side.db.target, fixture.secret);
    side.children.push(server.child);
    side.urls.push(server.url);
  }
}

const readParts = (side: Side, duration: number) =>
  side.urls.map((url) => ({ options: { url: `${url}/v1/sites/${READ_SITE}/score`, connections: READ_CONNECTIONS / side.servers, duration } }));

const writeParts = (side: Side, duration: number) =>
  side.urls.map((url, s) => ({
    options: {
      url: `${url}/v1/responses`,
      connections: WRITE_CONNECTIONS / side.servers,
      duration,
      timeout: 30,
      requests: [{ method: 'POST', path: '/v1/responses', headers: { 'Content-Type': 'application/json' }, setupRequest: SETUP_REQUEST }],
    },
    env: { CSAT_BENCH_TOKENS: side.tokenFiles[s]! },
  }));

/** Runs `step` on each side that has not failed yet; a side's failure is kept on it and the others go on. */
async function eachSide(sides: Side[], log: (s: string) => void, step: (side: Side) => Promise<void>): Promise<void> {
  for (const side of sides) {
    if (side.error !== undefined) continue;
    try {
      await step(side);
    } catch (error) {
      side.error = error instanceof Error ? error.message : String(error);
      log(`  ${side.label} did not complete: ${side.error}`);
    }
  }
}

const codes = (r: LoadResult, expected: string) =>
  Object.entries(r.statusCodes)
    .filter(([code]) => code !== expected)
    .map(([code, n]) => `${n} x ${code}`)
    .concat(r.errors ? [`${r.errors} errors`] : [], r.timeouts ? [`${r.timeouts} timeouts`] : []);

export async function instances(opts: { seconds?: number; log?: (s: string) => void } = {}): Promise<BenchOutput> {
  const { seconds = 5, log = console.log } = opts;
  if (!fs.existsSync(serverEntry())) throw new Error('no built server: run npm run build:api first');
  const fixture = await seedFixture(seconds);
  log(`  fixture: ${fmt.int(fixture.tokens.length)} surveys and ${fmt.int(READ_RESPONSES)} responses seeded in ${(fixture.seedMs / 1000).toFixed(1)} s`);
  const sides = [newSide('SQLite x1', 1, async () => sqliteDatabase()), newSide('PostgreSQL x2', 2, pgDatabase)];
  try {
    await eachSide(sides, log, (side) => prepare(side, fixture, log));
    // Every server is up before the first figure, and the phases take the sides in turn (reads in one
    // order, answers in the other), so that other work on a shared machine weighs on both alike.
    await eachSide(sides, log, async (side) => void (await splitLoad(readParts(side, 1))));
    await eachSide(sides, log, async (side) => {
      const loadavg = os.loadavg()[0]!;
      side.reads = { ...(await splitLoad(readParts(side, seconds))), loadavg };
    });
    await eachSide([...sides].reverse(), log, async (side) => {
      const loadavg = os.loadavg()[0]!;
      side.writes = { ...(await splitLoad(writeParts(side, seconds))), loadavg };
    });
  } finally {
    await Promise.all(sides.flatMap((side) => side.children.map(stopServer)));
    // Read back on a connection of its own after every server closed its own: a 201 without a row is lost.
    await eachSide(sides, log, async (side) => {
      if (side.writes) side.stored = await side.db!.countResponses(WRITE_SITE);
    });
    for (const side of sides) await side.db?.remove().catch((error: unknown) => log(`  ${side.label}: could not remove its database: ${String(error)}`));
    removeTempDir(fixture.file);
  }

  const created = (side: Side) => side.writes?.combined.statusCodes['201'] ?? 0;
  const pair = (has: (s: Side) => boolean, figure: (s: Side) => string) => sides.map((side) => (has(side) ? figure(side) : 'did not complete')).join(' | ');
  const vs = sides.map((side) => side.label).join(' | ');
  const rows: Row[] = [
    { bench: BENCH, metric: `score reads (GET /score), ${READ_CONNECTIONS} conn.: ${vs}`, value: pair((s) => !!s.reads, (s) => fmt.rps(s.reads!.combined.rps)), target: '(report)', pass: null },
    { bench: BENCH, metric: `score reads p99, ${READ_CONNECTIONS} conn.: ${vs}`, value: pair((s) => !!s.reads, (s) => fmt.ms(s.reads!.combined.p99)), target: '(report)', pass: null },
    {
      bench: BENCH,
      metric: `durable first answers (POST /v1/responses, 201), ${WRITE_CONNECTIONS} conn.: ${vs}`,
      value: pair((s) => !!s.writes, (s) => `${fmt.int(created(s) / seconds)} writes/s`),
      target: '(report)',
      pass: null,
    },
    { bench: BENCH, metric: `durable first answers p99, ${WRITE_CONNECTIONS} conn.: ${vs}`, value: pair((s) => !!s.writes, (s) => fmt.ms(s.writes!.combined.p99)), target: '(report)', pass: null },
  ];
  for (const side of sides) {
    if (side.stored !== undefined) {
      const lost = Math.max(0, created(side) - side.stored);
      rows.push({ bench: BENCH, metric: `lost writes, ${side.label} (201s vs rows after the servers stopped)`, value: `${lost} (${created(side)} acknowledged, ${side.stored} stored)`, target: '0', pass: lost === 0, hard: true });
    }
    const odd = [...(side.reads ? codes(side.reads.combined, '200').map((c) => `reads: ${c}`) : []), ...(side.writes ? codes(side.writes.combined, '201').map((c) => `answers: ${c}`) : [])];
    if (odd.length > 0) rows.push({ bench: BENCH, metric: `${side.label}: answers other than 200 / 201`, value: odd.join(', '), target: '(report)', pass: null });
    // A side that could not run is said, with why; it fails the run like any benchmark that did not complete.
    if (side.error !== undefined) rows.push({ bench: BENCH, metric: `${side.label}: did not complete`, value: side.error.split('\n')[0]!.slice(0, 300), target: 'completes', pass: false, hard: true });
  }

  const notes: string[] = [
    `instances: the built server (${path.relative(ROOT, serverEntry())}) in child processes with CSAT_TRUST_PROXY=1 and the default rate limit (over PostgreSQL the server counts it in the shared database, one more write per answer): one over a fresh SQLite file and two over one fresh PostgreSQL database, all started before the first figure, both databases copied from one seeded SQLite file (the PostgreSQL one as csat migrate-store copies). The load is split evenly over a side's servers: one autocannon run per server, each in a worker thread of its own, started together, latency histograms merged, so p99 covers every request. ${seconds} s per phase after a 1 s read warm-up, the sides in turn: GET /v1/sites/${READ_SITE}/score (${fmt.int(READ_RESPONSES)} imported responses) at ${READ_CONNECTIONS} connections, then (PostgreSQL first) first answers to pre-created surveys of one site at ${WRITE_CONNECTIONS} connections (${fmt.int(fixture.tokens.length)} surveys: enough for ${fmt.int(TOKENS_PER_SECOND)} a second without answering one twice), each from its own X-Forwarded-For address. Every answer to a site takes that site's lock (its event chain), so answers to one site commit one at a time whichever instance takes them. Client, servers and database share this machine's ${os.cpus().length} cores.`,
  ];
  const split = (xs: number[]) => xs.map((x) => fmt.int(x)).join(' + ');
  for (const side of sides) {
    const parts = [side.db ? `${side.db.description}, ${side.durability ?? 'durability not read'}` : 'no database'];
    if (side.reads) parts.push(`reads per server ${split(side.reads.each.map((e) => e.rps))} req/s, p50 ${fmt.ms(side.reads.combined.p50)} (load average ${side.reads.loadavg.toFixed(1)})`);
    if (side.writes) parts.push(`first answers per server ${split(side.writes.each.map((e) => (e.statusCodes['201'] ?? 0) / seconds))} writes/s, p50 ${fmt.ms(side.writes.combined.p50)} (load average ${side.writes.loadavg.toFixed(1)})`);
    if (side.loadMs !== undefined) parts.push(`fixture loaded in ${(side.loadMs / 1000).toFixed(1)} s (not measured)`);
    notes.push(`instances, ${side.label}: ${parts.join('; ')}.`);
  }
  const data = Object.fromEntries(
    sides.map((side) => [side.label, { error: side.error, durability: side.durability, loadMs: side.loadMs, reads: side.reads, writes: side.writes, created: created(side), stored: side.stored }]),
  );
  return { rows, notes, data: { seconds, tokens: fixture.tokens.length, seedMs: fixture.seedMs, ...data } };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const out = await instances({ seconds: Number(process.argv[2] ?? 5) });
  console.log(`load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  for (const r of out.rows) console.log([r.metric, r.value, r.target, r.pass === null ? '' : r.pass ? 'pass' : 'FAIL'].join(' | '));
  for (const n of out.notes) console.log(`- ${n}`);
  for (const dir of TEMP_DIRS) fs.rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}
