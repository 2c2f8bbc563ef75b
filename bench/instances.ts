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

interface Side {
  label: string;
  servers: number;
  durability: string;
  reads: LoadResult;
  readsEach: number[];
  writes: LoadResult;
  writesEach: number[];
  created: number;
  stored: number;
  lost: number;
  loadMs: number;
  loadavg: [number, number];
}

/** Fills `db` from the fixture, runs `servers` servers on it, measures reads then first answers, stops
 * them, counts. */
async function measureSide(label: string, db: BenchDatabase, fixture: Fixture, servers: number, seconds: number, log: (s: string) => void): Promise<Side> {
  const entry = serverEntry();
  const { secret, tokens } = fixture;
  const loadStarted = performance.now();
  await db.load(fixture.file);
  const loadMs = performance.now() - loadStarted;
  const durability = await db.durability();
  log(`  ${label}: fixture loaded in ${(loadMs / 1000).toFixed(1)} s; ${durability}`);

  // Each server's share of the tokens, from addresses of its own (10.<server>.x.y).
  const dir = path.dirname(tempDbFile('tokens'));
  const tokenFiles = Array.from({ length: servers }, (_, s) => {
    const file = path.join(dir, `tokens-${s}.json`);
    fs.writeFileSync(file, JSON.stringify({ prefix: `10.${s + 1}`, tokens: tokens.filter((_, i) => i % servers === s) }));
    return file;
  });

  const loadStart = os.loadavg()[0]!;
  const running: ChildProcess[] = [];
  let reads: Awaited<ReturnType<typeof splitLoad>>;
  let writes: Awaited<ReturnType<typeof splitLoad>>;
  try {
    const urls: string[] = [];
    for (let s = 0; s < servers; s++) {
      const server = await startServer(entry, db.target, secret);
      running.push(server.child);
      urls.push(server.url);
    }
    const readParts = (duration: number) => urls.map((url) => ({ options: { url: `${url}/v1/sites/${READ_SITE}/score`, connections: READ_CONNECTIONS / servers, duration } }));
    // Warm every server (JIT, connections, score cache) before measuring.
    await splitLoad(readParts(1));
    reads = await splitLoad(readParts(seconds));
    writes = await splitLoad(
      urls.map((url, s) => ({
        options: {
          url: `${url}/v1/responses`,
          connections: WRITE_CONNECTIONS / servers,
          duration: seconds,
          timeout: 30,
          requests: [{ method: 'POST', path: '/v1/responses', headers: { 'Content-Type': 'application/json' }, setupRequest: SETUP_REQUEST }],
        },
        env: { CSAT_BENCH_TOKENS: tokenFiles[s]! },
      })),
    );
  } finally {
    await Promise.all(running.map(stopServer));
  }
  // Read back on a connection of its own after every server closed its own: a 201 without a row is lost.
  const created = writes.combined.statusCodes['201'] ?? 0;
  const stored = await db.countResponses(WRITE_SITE);
  return {
    label,
    servers,
    durability,
    reads: reads.combined,
    readsEach: reads.each.map((e) => e.rps),
    writes: writes.combined,
    writesEach: writes.each.map((e) => (e.statusCodes['201'] ?? 0) / seconds),
    created,
    stored,
    lost: Math.max(0, created - stored),
    loadMs,
    loadavg: [loadStart, os.loadavg()[0]!],
  };
}

type Outcome = { side: Side } | { error: string };

async function attempt(label: string, open: () => Promise<BenchDatabase>, fixture: Fixture, servers: number, seconds: number, log: (s: string) => void): Promise<Outcome> {
  let db: BenchDatabase | null = null;
  try {
    db = await open();
    return { side: await measureSide(label, db, fixture, servers, seconds, log) };
  } catch (error) {
    log(`  ${label} did not complete: ${error instanceof Error ? error.message : String(error)}`);
    return { error: error instanceof Error ? error.message : String(error) };
  } finally {
    await db?.remove().catch((error: unknown) => log(`  ${label}: could not remove its database: ${String(error)}`));
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
  const sqlite = await attempt('SQLite x1', async () => sqliteDatabase(), fixture, 1, seconds, log);
  const pg = await attempt('PostgreSQL x2', pgDatabase, fixture, 2, seconds, log);
  removeTempDir(fixture.file);
  const sides = [sqlite, pg];

  const cell = (o: Outcome, figure: (s: Side) => string) => ('side' in o ? figure(o.side) : 'did not complete');
  const pair = (figure: (s: Side) => string) => `${cell(sqlite, figure)} | ${cell(pg, figure)}`;
  const rows: Row[] = [
    { bench: BENCH, metric: `score reads (GET /score), ${READ_CONNECTIONS} conn.: SQLite x1 | PostgreSQL x2`, value: pair((s) => fmt.rps(s.reads.rps)), target: '(report)', pass: null },
    { bench: BENCH, metric: `score reads p99, ${READ_CONNECTIONS} conn.: SQLite x1 | PostgreSQL x2`, value: pair((s) => fmt.ms(s.reads.p99)), target: '(report)', pass: null },
    {
      bench: BENCH,
      metric: `durable first answers (POST /v1/responses, 201), ${WRITE_CONNECTIONS} conn.: SQLite x1 | PostgreSQL x2`,
      value: pair((s) => `${fmt.int(s.created / seconds)} writes/s`),
      target: '(report)',
      pass: null,
    },
    { bench: BENCH, metric: `durable first answers p99, ${WRITE_CONNECTIONS} conn.: SQLite x1 | PostgreSQL x2`, value: pair((s) => fmt.ms(s.writes.p99)), target: '(report)', pass: null },
  ];
  for (const o of sides) {
    if (!('side' in o)) continue;
    const s = o.side;
    rows.push({ bench: BENCH, metric: `lost writes, ${s.label} (201s vs rows after the servers stopped)`, value: `${s.lost} (${s.created} acknowledged, ${s.stored} stored)`, target: '0', pass: s.lost === 0, hard: true });
    const odd = [...codes(s.reads, '200').map((c) => `reads: ${c}`), ...codes(s.writes, '201').map((c) => `answers: ${c}`)];
    if (odd.length > 0) rows.push({ bench: BENCH, metric: `${s.label}: answers other than 200 / 201`, value: odd.join(', '), target: '(report)', pass: null });
  }
  const labels = ['SQLite x1', 'PostgreSQL x2'];
  sides.forEach((o, i) => {
    // A side that could not run is said, with why; it fails the run like any benchmark that did not complete.
    if ('error' in o) rows.push({ bench: BENCH, metric: `${labels[i]}: did not complete`, value: o.error.split('\n')[0]!.slice(0, 300), target: 'completes', pass: false, hard: true });
  });

  const notes: string[] = [
    `instances: the built server (${path.relative(ROOT, serverEntry())}) in child processes with CSAT_TRUST_PROXY=1 and the default rate limit: one over a fresh SQLite file, then two over one fresh PostgreSQL database; the load is split evenly over the servers (one autocannon run per server, each in a worker thread of its own, started together, latency histograms merged, so p99 covers every request). ${seconds} s per phase after a 1 s read warm-up: GET /v1/sites/${READ_SITE}/score (${fmt.int(READ_RESPONSES)} imported responses) at ${READ_CONNECTIONS} connections, then first answers to pre-created surveys of one site at ${WRITE_CONNECTIONS} connections (${fmt.int(fixture.tokens.length)} surveys: enough for ${fmt.int(TOKENS_PER_SECOND)} a second without answering one twice), each from its own X-Forwarded-For address. Client, servers and database share this machine's ${os.cpus().length} cores.`,
  ];
  for (const o of sides) {
    if (!('side' in o)) continue;
    const s = o.side;
    const split = (xs: number[]) => xs.map((x) => fmt.int(x)).join(' + ');
    notes.push(
      `instances, ${s.label}: ${s.durability}; reads per server ${split(s.readsEach)} req/s, p50 ${fmt.ms(s.reads.p50)}; first answers per server ${split(s.writesEach)} writes/s, p50 ${fmt.ms(s.writes.p50)}; fixture loaded in ${(s.loadMs / 1000).toFixed(1)} s (not measured); load average ${s.loadavg[0].toFixed(1)} -> ${s.loadavg[1].toFixed(1)}.`,
    );
  }
  const data = Object.fromEntries(sides.map((o, i) => [labels[i]!, o]));
  return { rows, notes, data: { seconds, ...data } };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const out = await instances({ seconds: Number(process.argv[2] ?? 5) });
  console.log(`load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  for (const r of out.rows) console.log([r.metric, r.value, r.target, r.pass === null ? '' : r.pass ? 'pass' : 'FAIL'].join(' | '));
  for (const n of out.notes) console.log(`- ${n}`);
  for (const dir of TEMP_DIRS) fs.rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}
