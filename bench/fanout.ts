// 5. Live fan-out: N SSE clients of one site's score on the built server (dist/api/server.js) running
//    in a child process of its own, one reaction, and the time until every client has the new score.
//    The clients run in another child process, so neither their work nor this bench's shares the
//    server's event loop or its memory figure: the RSS is the server process's own (/proc/<pid>/status).
//    Needs `npm run build:api` first.
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { systemClock } from '../api/clock.js';
import { newTokenId, surveyToken } from '../api/domain/tokens.js';
import { DAY_MS } from '../api/domain/window.js';
import { fmt, openBenchStore, percentile, ROOT, sleep, tempDbFile, type BenchOutput, type Row } from './lib.js';

/** The server as `npm start` runs it: the bundled module when the build made one. */
const BUNDLE = path.join(ROOT, 'dist', 'api', 'server.bundle.js');
const SERVER = fs.existsSync(BUNDLE) ? BUNDLE : path.join(ROOT, 'dist', 'api', 'server.js');
/** How long the connected server is watched before the reaction. */
const SETTLE_MS = 8_000;

/** The soft and hard open-file limits of this process (children inherit them). */
export function fileLimit(): { soft: number; hard: number } {
  const line = fs.readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max open files'));
  const [soft, hard] = (line?.match(/\d+|unlimited/g) ?? []).map((v) => (v === 'unlimited' ? Infinity : Number(v)));
  return { soft: soft ?? NaN, hard: hard ?? NaN };
}

/** Resident memory of a process, in bytes, as the kernel counts it (VmRSS), and its peak (VmHWM). */
export function processMemory(pid: number): { rss: number; peak: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

/** Starts the built server on a free port with `nodeFlags`, and resolves once it listens. */
async function startServer(dbFile: string, secret: Buffer, nodeFlags: string[]): Promise<{ child: ChildProcess; url: string }> {
  if (!fs.existsSync(SERVER)) throw new Error(`no built server at ${SERVER}: run npm run build:api`);
  const child = spawn(process.execPath, [...nodeFlags, SERVER], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', CSAT_DB: dbFile, CSAT_SECRET: secret.toString('base64'), CSAT_DEMO: '0', CSAT_RATE_LIMIT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start within 20 s:\n${output}`)), 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const found = /listening on (http:\/\/[^\s]+)/.exec(output);
      if (found) {
        clearTimeout(timer);
        resolve(found[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`the server exited (${code}) before listening:\n${output}`)));
  });
  child.stdout!.resume();
  child.stderr!.resume();
  return { child, url };
}

async function stopServer(child: ChildProcess) {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

async function once(n: number, nodeFlags: string[] = []) {
  const dbFile = tempDbFile();
  const secret = randomBytes(32);
  const now = systemClock.now();
  const seed = openBenchStore(dbFile);
  const site = await seed.createSite({ slug: 'acme', name: 'Acme IT' }, now);
  const { survey } = await seed.createSurvey({ siteId: site.id, ticketRef: 'T-1', tokenId: newTokenId(), expiresAt: now + DAY_MS }, now);
  await seed.close();

  const { child: server, url } = await startServer(dbFile, secret, nodeFlags);
  const client = fork(path.join(import.meta.dirname, 'fanout-client.mjs'), [`${url}/v1/sites/acme/score/stream`, String(n)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: [],
  });
  const next = <T>(type: string, ms: number) =>
    new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`fan-out client: no ${type} within ${ms} ms`)), ms);
      const onMessage = (m: { type: string }) => {
        if (m.type !== type) return;
        clearTimeout(timer);
        client.off('message', onMessage);
        resolve(m as T);
      };
      client.on('message', onMessage);
      client.once('exit', (code) => reject(new Error(`fan-out client exited (${code}) before ${type}`)));
    });
  try {
    await sleep(500);
    const before = processMemory(server.pid!);
    const ready = await next<{ opened: number; error: string | null; connectMs: number }>('ready', 180_000);
    // RSS once the first events' writes settled, sampled for SETTLE_MS: V8 gives back heap pages a few
    // seconds after a burst (the 10,000 connects); the figure is the last sample, the peak is reported too.
    const samples: number[] = [];
    for (let waited = 0; waited < SETTLE_MS; waited += 1000) {
      await sleep(1000);
      samples.push(processMemory(server.pid!).rss);
    }
    const connected = { rss: samples.at(-1)!, samples };
    const load = os.loadavg();
    const t0 = process.hrtime.bigint();
    const res = await fetch(`${url}/v1/responses`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ token: surveyToken(secret, survey.tokenId), reaction: 'positive' }),
    });
    if (res.status !== 201) throw new Error(`reaction failed: ${res.status} ${await res.text()}`);
    const collecting = next<{ received: number; delays: number[] }>('result', 20_000);
    client.send({ type: 'collect', t0: t0.toString(), timeoutMs: 15_000 });
    const result = await collecting;
    const after = processMemory(server.pid!);
    const d = result.delays;
    return {
      n,
      nodeFlags,
      opened: ready.opened,
      connectError: ready.error,
      connectMs: ready.connectMs,
      received: result.received,
      min: d.length ? d[0]! : NaN,
      p50: percentile(d, 50),
      p99: percentile(d, 99),
      max: d.length ? d[d.length - 1]! : NaN,
      rssBefore: before.rss,
      rssConnected: connected.rss,
      rssSamples: connected.samples,
      rssAfter: after.rss,
      rssPeak: after.peak,
      loadavg: load,
    };
  } finally {
    if (client.exitCode === null) client.kill();
    await stopServer(server);
  }
}

export async function fanout(): Promise<BenchOutput> {
  const limit = fileLimit();
  const rows: Row[] = [];
  const notes: string[] = [];
  const data: Record<string, unknown> = { fileLimit: { soft: String(limit.soft), hard: String(limit.hard) } };
  // Extra node flags for the server (e.g. FANOUT_NODE_FLAGS="--max-semi-space-size=2") to compare.
  const flags = (process.env.FANOUT_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean);
  // Each side holds one descriptor per connection (server and clients are separate processes).
  // FANOUT_SIZES="10000" runs one size only (for comparing server flags by hand).
  const wanted = (process.env.FANOUT_SIZES ?? '1000,10000').split(',').map(Number);
  const sizes = wanted.filter((n) => {
    if (n + 500 <= limit.soft) return true;
    notes.push(`fan-out: ${n.toLocaleString('en-US')} clients skipped: the open-file limit is ${limit.soft} (soft) / ${limit.hard} (hard), and Node cannot raise it`);
    return false;
  });
  for (const n of sizes) {
    const r = await once(n, flags);
    data[`n${n}`] = r;
    const all = r.received === n;
    const label = n.toLocaleString('en-US');
    const load = r.loadavg.map((l) => l.toFixed(1)).join(' ');
    rows.push(
      {
        bench: '5 fan-out',
        metric: `${label} SSE clients: new score delay`,
        value: `first ${r.min.toFixed(1)} ms, p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, max ${r.max.toFixed(1)} ms; ${r.received}/${n} received (load ${load})`,
        target: n === 10_000 ? 'all within 1 s' : '(report)',
        pass: n === 10_000 ? all && r.max <= 1000 : null,
      },
      {
        bench: '5 fan-out',
        metric: `${label} SSE clients: server process RSS`,
        value: `${fmt.mb(r.rssBefore)} idle, ${fmt.mb(r.rssConnected)} connected, ${fmt.mb(r.rssAfter)} after the event (+${fmt.mb(r.rssConnected - r.rssBefore)}, ${fmt.int((r.rssConnected - r.rssBefore) / n)} B per stream); peak ${fmt.mb(r.rssPeak)}`,
        target: n === 10_000 ? '< 150 MB' : '(report)',
        pass: n === 10_000 ? all && Math.max(r.rssConnected, r.rssAfter) < 150 * 1024 * 1024 : null,
      },
    );
    if (r.connectError) notes.push(`fan-out ${label}: only ${r.opened} streams opened: ${r.connectError}`);
    notes.push(`fan-out ${label}: streams opened in ${(r.connectMs / 1000).toFixed(1)} s from ${Math.ceil(n / 50)} loopback addresses (50 each, under the per-address cap); delays from just before the POST to each client's parsed event; load average ${load}.`);
  }
  notes.push(
    `fan-out: the server is the built ${path.relative(ROOT, SERVER)} in its own process${flags.length ? ` (node ${flags.join(' ')})` : ''}; RSS is that process's VmRSS from /proc; open-file limit ${limit.soft}/${limit.hard}.`,
  );
  return { rows, notes, data };
}
