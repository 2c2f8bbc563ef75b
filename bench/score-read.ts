// 1. Score reads: GET /v1/sites/acme/score on the built server (as `npm start` runs it) in a child
//    process, against a bare Hono + @hono/node-server route (bare-score-server.mjs, in a
//    child process of its own) that answers the same bytes with the same headers: the floor of this
//    HTTP stack. Both the 200 and the 304 path (If-None-Match with the current tag), at 1,000 and
//    1,000,000 stored responses, 50 connections, autocannon in a worker thread of this process (which
//    does nothing else meanwhile). Runs alternate between the two servers, a round at a time, the order
//    flipped every round, so load from other work on the machine falls on both; each figure is the
//    median over the rounds, and each round's ratio is taken within the round.
// Run alone: `npm run build:api && npx tsx bench/score-read.ts [seconds] [rounds]`.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { fmt, load, ROOT, type BenchOutput, type LoadResult, type Row } from './lib.js';
import { SEEDED_SITE, seededDatabase } from './seeded.js';

const SCORE_PATH = `/v1/sites/${SEEDED_SITE}/score`;

interface Raw {
  status: number;
  /** Name/value pairs in the order sent, without Date and the connection's own headers. */
  headers: Array<[string, string]>;
  body: Buffer;
}

function get(url: string, headers: Record<string, string> = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () => {
          const pairs: Array<[string, string]> = [];
          for (let i = 0; i < res.rawHeaders.length; i += 2) {
            const name = res.rawHeaders[i]!;
            if (!['date', 'connection', 'keep-alive'].includes(name.toLowerCase())) pairs.push([name, res.rawHeaders[i + 1]!]);
          }
          resolve({ status: res.statusCode!, headers: pairs, body: Buffer.concat(chunks) });
        });
      })
      .on('error', reject);
  });
}

/** Starts `node <args>` and resolves with its URL once it prints "listening on <url>". */
function startChild(args: string[], env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      output += d;
      const m = /listening on (http:\/\/[^\s]+)/.exec(output);
      if (m) resolve({ child, url: m[1]! });
    });
    child.stderr!.on('data', (d) => (output += d));
    child.on('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}: ${output}`)));
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** The server as `npm start` runs it: the bundled module when the build made one. */
function serverEntry(): string {
  const bundle = path.join(ROOT, 'dist/api/server.bundle.js');
  return fs.existsSync(bundle) ? bundle : path.join(ROOT, 'dist/api/server.js');
}

/** CPU time (user + system) a process has used so far, in ms, from /proc (Linux); null elsewhere. */
function cpuMs(pid: number): number | null {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (USER_HZ 100)
  } catch {
    return null;
  }
}

/** A load run, with the CPU time the loaded server spent per answer (µs): unlike throughput, it
 * hardly moves when other work on the machine takes the cores. */
type Run = LoadResult & { cpuUs: number | null };

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

interface SizeResult {
  count: number;
  stored: number;
  bodyBytes: number;
  headerCount: number;
  seedMs: number | null;
  kept: string | null;
  rounds: Array<{ loadavg: number; server200: Run; bare200: Run; server304: Run; bare304: Run }>;
}

async function measureSize(count: number, seconds: number, connections: number, rounds: number, log: (s: string) => void): Promise<SizeResult> {
  const db = await seededDatabase(count, log);
  const product = await startChild([serverEntry()], {
    PORT: '0',
    HOST: '127.0.0.1',
    CSAT_DB: db.file,
    CSAT_DEMO: '0',
    CSAT_SECRET: randomBytes(32).toString('base64'),
  });
  let bare: Awaited<ReturnType<typeof startChild>> | undefined;
  try {
    const ok = await get(product.url + SCORE_PATH);
    if (ok.status !== 200) throw new Error(`score read failed: ${ok.status} ${ok.body.toString()}`);
    const etag = ok.headers.find(([name]) => name.toLowerCase() === 'etag')?.[1];
    if (!etag) throw new Error('the score has no ETag');
    const notModified = await get(product.url + SCORE_PATH, { 'If-None-Match': etag });
    if (notModified.status !== 304) throw new Error(`revalidation answered ${notModified.status}`);
    const stored = (JSON.parse(ok.body.toString()) as { counts: { total: number } }).counts.total;

    // The bare server sends what the product sent, less Content-Length (its server writes that itself).
    const withoutLength = (headers: Array<[string, string]>) => headers.filter(([name]) => name.toLowerCase() !== 'content-length');
    const answer = { path: SCORE_PATH, etag, body: ok.body.toString('base64'), ok: withoutLength(ok.headers), notModified: withoutLength(notModified.headers) };
    bare = await startChild([path.join(ROOT, 'bench/bare-score-server.mjs')], { CSAT_BARE_ANSWER: JSON.stringify(answer) });
    // Same bytes, same headers, same order: checked, not assumed.
    const bareOk = await get(bare.url + SCORE_PATH);
    const bare304 = await get(bare.url + SCORE_PATH, { 'If-None-Match': etag });
    for (const [name, a, b] of [['200', ok, bareOk], ['304', notModified, bare304]] as const) {
      if (JSON.stringify([a.status, a.headers, a.body.toString('base64')]) !== JSON.stringify([b.status, b.headers, b.body.toString('base64')])) {
        throw new Error(`the bare server's ${name} differs from the product's:\n${JSON.stringify(a.headers)}\n${JSON.stringify(b.headers)}`);
      }
    }

    const run = async (server: { child: ChildProcess; url: string }, revalidate: boolean, duration = seconds): Promise<Run> => {
      const before = cpuMs(server.child.pid!);
      const result = await load({ url: server.url + SCORE_PATH, connections, duration, ...(revalidate ? { headers: { 'If-None-Match': etag } } : {}) });
      const after = cpuMs(server.child.pid!);
      return { ...result, cpuUs: before !== null && after !== null && result.total > 0 ? ((after - before) * 1000) / result.total : null };
    };
    // Warm both servers on both paths (JIT, connections) before measuring.
    for (const server of [product, bare]) for (const revalidate of [false, true]) await run(server, revalidate, 1);
    const result: SizeResult = { count, stored, bodyBytes: ok.body.length, headerCount: ok.headers.length, seedMs: db.seedMs, kept: db.kept, rounds: [] };
    for (let r = 0; r < rounds; r++) {
      const loadavg = os.loadavg()[0]!;
      const pair = async (revalidate: boolean) => {
        if (r % 2 === 0) {
          const s = await run(product, revalidate);
          return { s, b: await run(bare!, revalidate) };
        }
        const b = await run(bare!, revalidate);
        return { s: await run(product, revalidate), b };
      };
      const fresh = await pair(false);
      const revalidated = await pair(true);
      result.rounds.push({ loadavg, server200: fresh.s, bare200: fresh.b, server304: revalidated.s, bare304: revalidated.b });
      log(`  ${fmt.int(count)} responses, round ${r + 1}: 200 ${fmt.ratio(fresh.s.rps / fresh.b.rps)}, 304 ${fmt.ratio(revalidated.s.rps / revalidated.b.rps)} (load ${loadavg.toFixed(1)})`);
    }
    return result;
  } finally {
    if (bare) await stopChild(bare.child);
    await stopChild(product.child);
  }
}

function rowsFor(size: SizeResult): { rows: Row[]; notes: string[] } {
  const label = `${fmt.int(size.count)} responses`;
  const { rounds } = size;
  const loads = rounds.map((r) => r.loadavg.toFixed(1)).join(', ');
  const rows: Row[] = [];
  const notes: string[] = [];
  for (const status of ['200', '304'] as const) {
    const server = rounds.map((r) => (status === '200' ? r.server200 : r.server304));
    const bare = rounds.map((r) => (status === '200' ? r.bare200 : r.bare304));
    const ratios = server.map((s, i) => s.rps / bare[i]!.rps);
    const ratio = median(ratios);
    const p99 = median(server.map((s) => s.p99));
    const path = status === '200' ? 'GET /score' : 'GET /score + If-None-Match (304)';
    const figure = (runs: Run[]) => `${fmt.rps(median(runs.map((x) => x.rps)))}, p50 ${fmt.ms(median(runs.map((x) => x.p50)))}, p99 ${fmt.ms(median(runs.map((x) => x.p99)))}`;
    rows.push(
      { bench: '1 score read', metric: `${path}, ${label}: server`, value: figure(server), target: '', pass: null },
      { bench: '1 score read', metric: `${path}, ${label}: bare Hono (limit)`, value: figure(bare), target: '', pass: null },
      { bench: '1 score read', metric: `${path}, ${label}: ratio server / bare`, value: `${fmt.ratio(ratio)} (load ${loads})`, target: '>= 0.90', pass: ratio >= 0.9 },
      { bench: '1 score read', metric: `${path}, ${label}: server p99`, value: fmt.ms(p99), target: '<= 5 ms', pass: p99 <= 5 },
    );
    const cpu = (runs: Run[]) => (runs.every((x) => x.cpuUs !== null) ? median(runs.map((x) => x.cpuUs!)) : null);
    const [cpuServer, cpuBare] = [cpu(server), cpu(bare)];
    if (cpuServer !== null && cpuBare !== null) {
      rows.push({ bench: '1 score read', metric: `${path}, ${label}: CPU per answer, server / bare`, value: `${cpuServer.toFixed(1)} µs / ${cpuBare.toFixed(1)} µs (bare / server ${fmt.ratio(cpuBare / cpuServer)})`, target: '(report)', pass: null });
    }
    const bad = [...server, ...bare].filter((x) => x.errors > 0 || x.timeouts > 0 || x.statusCodes[status] !== x.total);
    if (bad.length > 0) {
      rows.push({ bench: '1 score read', metric: `${path}, ${label}: every answer ${status}`, value: bad.map((x) => `${JSON.stringify(x.statusCodes)} e${x.errors} t${x.timeouts}`).join('; '), target: `all ${status}`, pass: false });
    }
    notes.push(`score read ${status}, ${label}: ratios per round ${ratios.map(fmt.ratio).join(', ')}; server p99 per round ${server.map((s) => fmt.ms(s.p99)).join(', ')}`);
  }
  const speedup = median(rounds.map((r) => r.server304.rps / r.server200.rps));
  rows.push({ bench: '1 score read', metric: `304 / 200 throughput, ${label}`, value: fmt.ratio(speedup), target: '>= 1.00', pass: speedup >= 1 });
  return { rows, notes };
}

export async function scoreRead(opts: { seconds?: number; connections?: number; rounds?: number; sizes?: number[]; log?: (s: string) => void } = {}): Promise<BenchOutput> {
  const { seconds = 3, connections = 50, rounds = 3, sizes = [1_000, 1_000_000], log = console.log } = opts;
  if (!fs.existsSync(serverEntry())) throw new Error('no built server: run npm run build:api first');
  const loadBefore = os.loadavg();
  const results: SizeResult[] = [];
  for (const count of sizes) results.push(await measureSize(count, seconds, connections, rounds, log));
  const loadAfter = os.loadavg();
  const rows: Row[] = [];
  const notes: string[] = [
    `score read: the built server (${path.relative(ROOT, serverEntry())}, as npm start runs it) and a bare Hono + @hono/node-server route answering the same bytes and headers (checked byte for byte, ${results[0]?.headerCount ?? '?'} headers, body ${results[0]?.bodyBytes ?? '?'} bytes), each in its own child process; autocannon with ${connections} connections in a worker thread, ${seconds} s per run, ${rounds} rounds alternating server and bare (order flipped each round); figures are medians over the rounds. 1-minute load average ${loadBefore[0]!.toFixed(1)} before, ${loadAfter[0]!.toFixed(1)} after (2 cores: above 2, other work shared the machine).`,
  ];
  for (const size of results) {
    const part = rowsFor(size);
    rows.push(...part.rows);
    notes.push(...part.notes);
    const seeded = size.kept === null ? `seeded in ${((size.seedMs ?? 0) / 1000).toFixed(1)} s` : size.seedMs === null ? `a copy of ${size.kept}, seeded by an earlier run` : `seeded in ${(size.seedMs / 1000).toFixed(0)} s into ${size.kept}, kept for later runs`;
    notes.push(`score read, ${fmt.int(size.count)} responses stored (${seeded}); the site's default 90-day window counts ${fmt.int(size.stored)} of them.`);
  }
  return { rows, notes, data: { connections, seconds, rounds, loadavg: { before: loadBefore[0], after: loadAfter[0] }, sizes: results } };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [seconds, rounds] = process.argv.slice(2).map(Number);
  const out = await scoreRead({ ...(seconds ? { seconds } : {}), ...(rounds ? { rounds } : {}) });
  for (const r of out.rows) console.log([r.metric, r.value, r.target, r.pass === null ? '' : r.pass ? 'pass' : 'FAIL'].join(' | '));
  for (const n of out.notes) console.log(`- ${n}`);
}
