// 4. Durable writes: first answers per second over HTTP (synchronous=FULL, WAL) at 1, 16 and 64
//    connections against the built server in a child process, each request with its own survey token
//    and its own client address (see writes-setup-request.cjs), against the same submits straight
//    through the store without HTTP (the limit). After the server has stopped, the database is opened
//    again and every 201 must be a row in it.
// Run alone: `npm run build:api && npx tsx bench/writes.ts [seconds] [--cpu-prof <dir>] [--server <entry.js>]`
// (--cpu-prof: the server writes a V8 CPU profile there, see bench/cpu-profile.md; --server: another build
// to compare with; CSAT_BENCH_VERBOSE=1 passes the server's stderr through).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { systemClock } from '../api/clock.js';
import { newTokenId, surveyToken } from '../api/domain/tokens.js';
import { DAY_MS } from '../api/domain/window.js';
import { openSqliteStore } from '../api/store/sqlite.js';
import type { Survey } from '../api/store/types.js';
import { fmt, load, ROOT, TEMP_DIRS, tempDbFile, unsynced, type BenchOutput, type Row } from './lib.js';

const LEVELS = [1, 16, 64] as const;
const TARGET_AT_16 = 2000;

/** CPU time the process has used so far, user and system, in ms, from /proc (Linux); null elsewhere. */
function cpuMs(pid: number): { user: number; system: number } | null {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return { user: Number(fields[11]) * 10, system: Number(fields[12]) * 10 }; // utime, stime in clock ticks (USER_HZ 100)
  } catch {
    return null;
  }
}

/** The built server on `db` in a child process, as a reverse proxy's backend; resolves once it listens. */
async function startServer(entry: string, db: string, secret: Buffer, cpuProfDir?: string) {
  const args = cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`, entry] : [entry];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    // The rate limit stays at its default (30 answers a minute per address): each request comes from its own.
    env: { ...process.env, PORT: '0', CSAT_DB: db, CSAT_DEMO: '0', CSAT_TRUST_PROXY: '1', CSAT_SECRET: secret.toString('base64') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      output += d;
      const m = /listening on (http:\/\/[^\s]+)/.exec(output);
      if (m) resolve(m[1]!);
    });
    child.stderr!.on('data', (d) => ((output += d), process.env.CSAT_BENCH_VERBOSE && process.stderr.write(d)));
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${output}`)));
  });
  return { child, url };
}

function stopServer(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

export async function writes(opts: { seconds?: number; cpuProfDir?: string; server?: string; levels?: readonly number[] } = {}): Promise<BenchOutput> {
  const { seconds = 3, cpuProfDir, server: entry = 'dist/api/server.js', levels: levelList = LEVELS } = opts;
  const file = path.join(import.meta.dirname, 'writes-setup-request.cjs');
  const dbFile = tempDbFile();
  const secret = randomBytes(32);
  const store = openSqliteStore(dbFile);
  const now = systemClock.now();
  const synchronous = store.db.pragma('synchronous', { simple: true });
  const journal = store.db.pragma('journal_mode', { simple: true });

  /** A site with `n` open surveys, created without fsync (setup, not measured). */
  const surveys = async (slug: string, n: number) => {
    const site = await store.createSite({ slug, name: slug }, now);
    const list: Survey[] = [];
    await unsynced(store.db, async () => {
      for (let i = 0; i < n; i++) {
        const { survey } = await store.createSurvey({ siteId: site.id, ticketRef: `${slug}-${i}`, tokenId: newTokenId(), expiresAt: now + 30 * DAY_MS }, now);
        list.push(survey);
      }
    });
    return { site, list };
  };

  // The limit: store.submitResponse awaited one after the other for `seconds`, one commit each, on its
  // own site: what one writer gets from this disk without HTTP or batching.
  const direct = await surveys('direct', 20_000);
  let done = 0;
  const started = performance.now();
  while (performance.now() - started < seconds * 1000 && done < direct.list.length) {
    const survey = direct.list[done]!;
    await store.submitResponse({ survey, reaction: 'positive', changeWindowMs: 7 * DAY_MS }, systemClock.now());
    done++;
  }
  const directRate = done / ((performance.now() - started) / 1000);

  // Tokens for every level, made before the server starts (the server is the only writer while measured).
  const plans: Array<{ connections: number; slug: string; amount: number; tokensFile: string }> = [];
  for (const [n, connections] of levelList.entries()) {
    // Enough tokens for 4,000 writes/s over the run, so none is reused (a reuse would be a 200 change).
    const amount = Math.max(connections * 20, Math.min(60_000, Math.round(4000 * seconds * 1.2)));
    const slug = `http-${connections}`;
    const { list } = await surveys(slug, amount);
    const tokensFile = path.join(path.dirname(dbFile), `tokens-${connections}.json`);
    // 10.<level>.x.y: 65,536 addresses per level, one per token, none shared between levels.
    fs.writeFileSync(tokensFile, JSON.stringify({ prefix: `10.${n + 1}`, tokens: list.map((s) => surveyToken(secret, s.tokenId)) }));
    plans.push({ connections, slug, amount, tokensFile });
  }
  await store.close();

  const rows: Row[] = [
    { bench: '4 writes', metric: 'store.submitResponse one at a time (limit)', value: `${fmt.int(directRate)} writes/s`, target: '', pass: null },
  ];
  const levels: Record<string, unknown>[] = [];
  const { child, url } = await startServer(entry, dbFile, secret, cpuProfDir);
  try {
    for (const plan of plans) {
      process.env.CSAT_BENCH_TOKENS = plan.tokensFile;
      const load1 = os.loadavg()[0]!;
      const cpuBefore = cpuMs(child.pid!);
      const r = await load({
        url: `${url}/v1/responses`,
        connections: plan.connections,
        duration: seconds,
        timeout: 30,
        requests: [{ method: 'POST', path: '/v1/responses', headers: { 'Content-Type': 'application/json' }, setupRequest: file }],
      });
      const cpuAfter = cpuMs(child.pid!);
      const created = r.statusCodes['201'] ?? 0;
      const cpuPerWrite =
        cpuBefore !== null && cpuAfter !== null && r.total > 0
          ? { user: (cpuAfter.user - cpuBefore.user) / r.total, system: (cpuAfter.system - cpuBefore.system) / r.total }
          : null;
      levels.push({ ...plan, ...r, created, cpuPerWrite, loadavg: load1 });
    }
  } finally {
    await stopServer(child);
  }

  // Read back from a fresh connection after the server closed its own: a 201 without a row is lost.
  const reopened = openSqliteStore(dbFile);
  const count = (slug: string) =>
    (reopened.db.prepare('SELECT count(*) AS n FROM responses r JOIN sites s ON s.id = r.site_id WHERE s.slug = ?').get(slug) as { n: number }).n;
  const directLost = Math.max(0, done - count('direct'));
  let lost = directLost;
  for (const level of levels) {
    const { connections, slug, created, total, rps, p50, p99, errors, cpuPerWrite, loadavg } = level as {
      connections: number; slug: string; created: number; total: number; rps: number; p50: number; p99: number; errors: number; cpuPerWrite: { user: number; system: number } | null; loadavg: number;
    };
    const inDb = count(slug);
    const lostHere = Math.max(0, created - inDb);
    level.inDb = inDb;
    level.lost = lostHere;
    lost += lostHere;
    const writesPerS = created / seconds;
    const ratio = writesPerS / directRate;
    rows.push(
      {
        bench: '4 writes',
        metric: `HTTP POST /v1/responses, ${connections} conn.`,
        value: `${fmt.int(writesPerS)} writes/s (201), p50 ${fmt.ms(p50)}, p99 ${fmt.ms(p99)}; ${created} x 201 of ${total}, ${errors} errors; server CPU ${cpuPerWrite === null ? 'n/a' : `${(cpuPerWrite.user + cpuPerWrite.system).toFixed(2)} ms/request (user ${cpuPerWrite.user.toFixed(2)}, system ${cpuPerWrite.system.toFixed(2)})`}; load ${loadavg.toFixed(2)}`,
        target: connections === 16 ? `>= ${fmt.int(TARGET_AT_16)}/s` : '',
        pass: connections === 16 ? writesPerS >= TARGET_AT_16 : null,
      },
      { bench: '4 writes', metric: `ratio HTTP / store limit, ${connections} conn.`, value: fmt.ratio(ratio), target: '(report)', pass: null },
      { bench: '4 writes', metric: `lost writes, ${connections} conn. (201s vs rows after reopen)`, value: `${lostHere} (${created} acknowledged, ${inDb} stored)`, target: '0', pass: lostHere === 0, hard: true },
    );
    level.rps = rps;
  }
  await reopened.close();
  rows.push({ bench: '4 writes', metric: 'lost writes, store.submitResponse', value: String(directLost), target: '0', pass: directLost === 0, hard: true });
  return {
    rows,
    notes: [
      `writes: SQLite journal_mode=${String(journal)}, synchronous=${String(synchronous)} (2 = FULL), database in ${path.dirname(dbFile)} (os.tmpdir()). The server is ${entry} in a child process with CSAT_TRUST_PROXY=1 and the default rate limit (30 answers a minute per address); each request answers its own pre-created survey (first answer, 201) with its own X-Forwarded-For address, as a reverse proxy in front of a public server sends them. autocannon runs in a worker thread of the bench process. The store limit is a sequential loop of ${fmt.int(done)} submits over ${seconds} s in the bench process, one commit each. "Lost" compares acknowledged 201s with rows read after the server stopped and the file was opened again; it does not simulate a crash.`,
    ],
    data: { directRate, directDone: done, directLost, levels, lost, synchronous, journal },
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const args = process.argv.slice(2);
  const flag = (name: string) => {
    const i = args.indexOf(name);
    return i === -1 ? undefined : args.splice(i, 2)[1];
  };
  const cpuProfDir = flag('--cpu-prof');
  const server = flag('--server');
  const result = await writes({ seconds: Number(args[0] ?? 3), cpuProfDir, server });
  console.log(`load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  for (const r of result.rows) console.log(`${r.metric}: ${r.value}${r.target ? ` (target ${r.target}: ${r.pass ? 'met' : 'NOT met'})` : ''}`);
  for (const note of result.notes) console.log(note);
  for (const dir of TEMP_DIRS) fs.rmSync(dir, { recursive: true, force: true });
}
