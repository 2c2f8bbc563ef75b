// 6. `npm start` on a current build: wall time from running the command to the server's first successful
//    HTTP answer (GET of the demo site's score), median of several starts on a seeded database (the first
//    start, which seeds the demo, is not counted); and the drop-in script as it goes over the wire from that
//    server (brotli, gzip, none). Runs after `npm run build` (bench's own first step), which records every
//    part as current. Other processes share the machine, so the same runs also start, in turn with
//    `npm start`: the bundled server alone (no npm, no staleness check), the server as tsc builds it
//    (hundreds of modules: what `npm start` ran before the bundle) and a bare Node HTTP server (the floor).
import { spawn, spawnSync } from 'node:child_process';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../test/e2e/server-process.js';
import { ROOT, tempDbFile, type BenchOutput } from './lib.js';

const TARGET_MS = 2000;

/** The commands started in turn; `npm start` is the one with the target. */
const COMMANDS = {
  'npm start': ['npm', 'start'],
  'node dist/api/server.bundle.js': [process.execPath, 'dist/api/server.bundle.js'],
  'node dist/api/server.js': [process.execPath, 'dist/api/server.js'],
  'bare node:http server': [process.execPath, '-e', "require('http').createServer((q, s) => s.end('{}')).listen(process.env.PORT, '127.0.0.1')"],
} as const;
type Command = keyof typeof COMMANDS;

/** GET url; resolves with the status, or rejects when nothing listens yet. */
function get(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http.get(url, { agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    }).on('error', reject);
  });
}

/** Starts a command, times it to its first 2xx answer on `probe`, runs `then`, stops it (its whole group). */
async function timedStart(command: Command, env: Record<string, string>, port: number, probe: string, then?: () => Promise<void>): Promise<{ ms: number; output: string }> {
  const [cmd, ...args] = COMMANDS[command];
  const t0 = performance.now();
  // Its own process group: npm does not pass a signal on to the server it started.
  const child = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, ...env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  let exitCode: number | null = null;
  const exited = new Promise((resolve) => child.on('exit', (code) => resolve((exitCode = code ?? -1))));
  try {
    const deadline = t0 + 120_000;
    let ms = 0;
    for (;;) {
      const status = await get(`http://127.0.0.1:${port}${probe}`).catch(() => 0);
      if (status >= 200 && status < 300) {
        ms = performance.now() - t0;
        break;
      }
      if (exitCode !== null) throw new Error(`${command} exited with ${exitCode}:\n${output}`);
      if (performance.now() > deadline) throw new Error(`${command} did not answer within 120 s:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await then?.();
    return { ms, output };
  } finally {
    if (exitCode === null) process.kill(-child.pid!, 'SIGTERM');
    await exited;
  }
}

function wire(url: string, acceptEncoding?: string): Promise<{ bytes: number; coding: string; vary: string }> {
  return new Promise((resolve, reject) => {
    http.get(url, { headers: acceptEncoding ? { 'Accept-Encoding': acceptEncoding } : {} }, (res) => {
      let bytes = 0;
      res.on('data', (d: Buffer) => (bytes += d.length));
      res.on('end', () => resolve({ bytes, coding: res.headers['content-encoding'] ?? 'none', vary: String(res.headers.vary ?? '') }));
      res.on('error', reject);
    }).on('error', reject);
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const load = () => os.loadavg().map((x) => x.toFixed(1)).join(' / ');

export async function start(opts: { runs?: number } = {}): Promise<BenchOutput> {
  const { runs = 5 } = opts;
  const check = spawnSync(process.execPath, ['scripts/build-stale.mjs', '--check'], { cwd: ROOT, encoding: 'utf8' });
  const current = check.status === 0;
  const env = { CSAT_DB: tempDbFile() };
  const port = await freePort();
  const score = '/v1/sites/demo/score';
  await timedStart('npm start', env, port, score); // seeds the demo sites: a first run's cost, not a start's

  const times = Object.fromEntries(Object.keys(COMMANDS).map((c) => [c, [] as number[]])) as Record<Command, number[]>;
  const sizes: Record<string, { bytes: number; coding: string; vary: string }> = {};
  // A start that had to build something (a source changed meanwhile) is no start on a current build.
  let rebuilt = 0;
  const loadBefore = load();
  for (let i = 0; i < runs; i++) {
    for (const command of Object.keys(COMMANDS) as Command[]) {
      const probe = command === 'bare node:http server' ? '/' : score;
      const { ms, output } = await timedStart(command, env, port, probe, async () => {
        if (i > 0 || command !== 'npm start') return;
        const url = `http://127.0.0.1:${port}/widget/csat-badge.js`;
        for (const accept of ['br', 'gzip', '']) sizes[accept || 'none'] = await wire(url, accept || undefined);
      });
      if (command === 'npm start' && output.includes('building ')) rebuilt++;
      else times[command].push(ms);
    }
  }
  const loadAfter = load();
  const npmStart = times['npm start'].length ? median(times['npm start']) : Infinity;
  const bundled = median(times['node dist/api/server.bundle.js']);
  const unbundled = median(times['node dist/api/server.js']);
  const bare = median(times['bare node:http server']);
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  const encoded = sizes.br?.coding === 'br' && sizes.gzip?.coding === 'gzip' && sizes.none?.coding === 'none';
  const smaller = encoded && sizes.br!.bytes < sizes.none!.bytes && sizes.gzip!.bytes < sizes.none!.bytes;
  const vary = Object.values(sizes).every((s) => /accept-encoding/i.test(s.vary));

  return {
    rows: [
      {
        bench: 'start',
        metric: 'npm start to first HTTP answer, build current (median)',
        value: `${seconds(npmStart)} (load ${loadBefore} -> ${loadAfter})`,
        target: `< ${TARGET_MS / 1000} s on a current build`,
        // Most starts must have found the build current; the median is of those.
        pass: current && rebuilt <= runs / 2 && npmStart < TARGET_MS,
      },
      { bench: 'start', metric: 'bundled server alone (node dist/api/server.bundle.js)', value: seconds(bundled), target: '(report)', pass: null },
      {
        bench: 'start',
        metric: 'server from tsc output (node dist/api/server.js) / bundled',
        value: `${seconds(unbundled)}, ${(unbundled / bundled).toFixed(2)}x the bundle`,
        target: '(report)',
        pass: null,
      },
      { bench: 'start', metric: 'bare node:http server (floor)', value: seconds(bare), target: '(report)', pass: null },
      {
        bench: 'start',
        metric: 'drop-in script on the wire: br / gzip / none',
        value: `${kb(sizes.br?.bytes ?? 0)} / ${kb(sizes.gzip?.bytes ?? 0)} / ${kb(sizes.none?.bytes ?? 0)}`,
        target: 'compressed as asked, Vary: Accept-Encoding',
        pass: Boolean(smaller && vary),
      },
    ],
    notes: [
      `start: each command started ${runs} times in turn (${Object.keys(COMMANDS).join(', ')}), in ${path.basename(ROOT)} with the build current (${current ? 'scripts/build-stale.mjs --check found nothing stale' : `stale before the runs: ${check.stdout.trim()}`}${rebuilt ? `; ${rebuilt} npm start${rebuilt > 1 ? 's' : ''} found a source changed meanwhile and built it, not counted` : ''}), on one seeded database, timed from spawning to the first 2xx answer to GET ${score} (the bare server: GET /), polled every 5 ms; load average (1/5/15 min) ${loadBefore} before, ${loadAfter} after. Times (s): ${Object.entries(times)
        .map(([c, t]) => `${c} ${t.map((x) => (x / 1000).toFixed(2)).join(', ')}`)
        .join('; ')}. The script's bytes on the wire are its body as npm start's server sent it for Accept-Encoding br, gzip and none.`,
    ],
    data: { current, rebuilt, times, sizes, loadBefore, loadAfter },
  };
}
