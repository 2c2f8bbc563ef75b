// 6. `npm start` on a current build: wall time from running the command to the server's "listening on"
//    line (median of a few starts on a seeded database; the first start, which seeds the demo, is not
//    counted), and the drop-in script as it goes over the wire from that server (brotli, gzip, none).
//    Runs after `npm run build` (bench's own first step), which records every part as current.
import { spawn, spawnSync } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { freePort } from '../test/e2e/server-process.js';
import { ROOT, tempDbFile, type BenchOutput } from './lib.js';

const TARGET_MS = 2000;

async function npmStart(env: Record<string, string>, port: number, then?: () => Promise<void>): Promise<{ ms: number; output: string }> {
  const t0 = performance.now();
  // Its own process group: npm does not pass a signal on to the server it started.
  const child = spawn('npm', ['start'], { cwd: ROOT, env: { ...process.env, ...env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise((resolve) => child.on('exit', resolve));
  try {
    const ms = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`npm start did not listen within 120 s:\n${output}`)), 120_000);
      child.stdout.on('data', () => output.includes('listening on') && (clearTimeout(timer), resolve(performance.now() - t0)));
      child.on('exit', (code) => (clearTimeout(timer), reject(new Error(`npm start exited with ${code}:\n${output}`))));
    });
    await then?.();
    return { ms, output };
  } finally {
    process.kill(-child.pid!, 'SIGTERM');
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

export async function start(opts: { runs?: number } = {}): Promise<BenchOutput> {
  const { runs = 5 } = opts;
  const check = spawnSync(process.execPath, ['scripts/build-stale.mjs', '--check'], { cwd: ROOT, encoding: 'utf8' });
  const current = check.status === 0;
  const env = { CSAT_DB: tempDbFile() };
  const port = await freePort();
  await npmStart(env, port); // seeds the demo sites: a first run's cost, not a start's

  const times: number[] = [];
  const sizes: Record<string, { bytes: number; coding: string; vary: string }> = {};
  let rebuilt = false;
  for (let i = 0; i < runs; i++) {
    const url = `http://127.0.0.1:${port}/widget/csat-badge.js`;
    const { ms, output } = await npmStart(env, port, async () => {
      if (i > 0) return;
      for (const accept of ['br', 'gzip', '']) sizes[accept || 'none'] = await wire(url, accept || undefined);
    });
    if (output.includes('building ')) rebuilt = true;
    times.push(ms);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!;
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  const encoded = sizes.br?.coding === 'br' && sizes.gzip?.coding === 'gzip' && sizes.none?.coding === 'none';
  const smaller = encoded && sizes.br!.bytes < sizes.none!.bytes && sizes.gzip!.bytes < sizes.none!.bytes;
  const vary = Object.values(sizes).every((s) => /accept-encoding/i.test(s.vary));

  return {
    rows: [
      { bench: 'start', metric: 'npm start to listening, build current (median)', value: `${(median / 1000).toFixed(2)} s`, target: `< ${TARGET_MS / 1000} s, nothing rebuilt`, pass: current && !rebuilt && median < TARGET_MS },
      {
        bench: 'start',
        metric: 'drop-in script on the wire: br / gzip / none',
        value: `${kb(sizes.br?.bytes ?? 0)} / ${kb(sizes.gzip?.bytes ?? 0)} / ${kb(sizes.none?.bytes ?? 0)}`,
        target: 'compressed as asked, Vary: Accept-Encoding',
        pass: Boolean(smaller && vary),
      },
    ],
    notes: [
      `start: \`npm start\` in ${path.basename(ROOT)} with the build current (${current ? 'scripts/build-stale.mjs --check found nothing stale' : `stale before the runs: ${check.stdout.trim()}`}${rebuilt ? '; a run rebuilt something' : ''}), on a seeded database, timed from spawning npm to the server's "listening on" line; ${runs} starts, ${times.map((t) => `${(t / 1000).toFixed(2)}`).join(', ')} s. The script's bytes on the wire are its body as that server sent it for Accept-Encoding br, gzip and none.`,
    ],
    data: { current, rebuilt, times, sizes },
  };
}
