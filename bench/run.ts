// The benchmark suite: runs every benchmark once, prints the issue's targets (met or not) and one table of
// every figure, and writes bench/RESULTS.md and bench/results.json. Exits 1 on a broken budget or a lost
// write (rows marked `hard`) or a benchmark that did not complete; a missed speed target is reported, not
// failed (machines differ).
// Usage: npm run bench   (builds first: the import and start benchmarks run the built server and CLI;
// or `npx tsx bench/run.ts` after `npm run build`). `npx tsx bench/run.ts --only dataSize,writes` runs
// some benchmarks and prints their figures, leaving RESULTS.md and results.json as they were.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dataSize } from './data-size.js';
import { fanout } from './fanout.js';
import { importBesideServer } from './import-beside-server.js';
import { instances } from './instances.js';
import { removeTempDirs, ROOT, type BenchOutput, type Row } from './lib.js';
import { doneWhen, exitCode, hardFailures, INCOMPLETE, resultsMarkdown, targetResults, TARGETS, verdict, type Machine } from './report.js';
import { scoreRead } from './score-read.js';
import { start } from './start.js';
import { widget } from './widget.js';
import { writes } from './writes.js';

// Whatever way the run ends (an error in the reporting below, Ctrl-C), its temp databases go with it.
process.on('exit', removeTempDirs);
process.once('SIGINT', () => process.exit(130));
process.once('SIGTERM', () => process.exit(143));

/** This process's child processes (Linux: from /proc; none elsewhere). */
function childProcesses(): Array<{ pid: number; command: string }> {
  if (!fs.existsSync('/proc/self/stat')) return [];
  const children: Array<{ pid: number; command: string }> = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (command) state ppid ...: the command may hold spaces and parentheses, so split after its last ')'.
      const close = stat.lastIndexOf(')');
      const ppid = Number(stat.slice(close + 2).split(' ')[1]);
      if (ppid === process.pid) children.push({ pid: Number(entry), command: stat.slice(stat.indexOf('(') + 1, close) });
    } catch {
      // The process ended while being read.
    }
  }
  return children;
}

const started = Date.now();
const outputs: Record<string, BenchOutput> = {};
/** Benchmarks that threw, with their error. */
const failureOf: Record<string, string> = {};
const loadDuring: Record<string, [number, number]> = {};
/** Child processes a benchmark left running, said in the notes. */
const leftBehind: string[] = [];

// The fan-out runs last: it opens and closes 10,000 sockets, which should not weigh on the runs that
// measure throughput.
const loadBefore = os.loadavg();
const suite: Array<[string, () => Promise<BenchOutput>]> = [
  ['scoreRead', () => scoreRead()],
  ['dataSize', () => dataSize()],
  ['writes', () => writes()],
  ['importBesideServer', () => importBesideServer()],
  ['widget', () => widget()],
  ['start', () => start()],
  ['instances', () => instances()],
  ['fanout', () => fanout()],
];
const onlyArg = process.argv.indexOf('--only');
const only = onlyArg < 0 ? null : (process.argv[onlyArg + 1] ?? '').split(',').filter(Boolean);
const unknown = (only ?? []).filter((name) => !suite.some(([n]) => n === name));
if (unknown.length > 0) {
  console.error(`bench: no benchmark named ${unknown.join(', ')}; there are ${suite.map(([n]) => n).join(', ')}`);
  process.exit(2);
}
for (const [name, bench] of suite.filter(([n]) => only === null || only.includes(n))) {
  const t = performance.now();
  const load = os.loadavg()[0]!;
  console.log(`running ${name} ... (load average ${load.toFixed(1)})`);
  try {
    outputs[name] = await bench();
  } catch (error) {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    console.error(`${name} failed: ${message}`);
    failureOf[name] = error instanceof Error ? error.message : String(error);
    outputs[name] = { rows: [{ bench: name, metric: INCOMPLETE, value: 'error', target: 'completes', pass: false, hard: true }], notes: [`${name}: ${String(error)}`], data: {} };
  }
  // A server or client process the benchmark started and did not stop would load the machine under the
  // next ones. (tsx runs its esbuild service as a child of this process: that one is not a benchmark's.)
  const leftRunning = childProcesses().filter((c) => c.command !== 'esbuild');
  for (const child of leftRunning) {
    try {
      process.kill(child.pid, 'SIGTERM');
    } catch {
      // It ended on its own meanwhile.
    }
  }
  if (leftRunning.length > 0) leftBehind.push(`${name} left ${leftRunning.map((c) => `${c.command} (pid ${c.pid})`).join(', ')} running; the run stopped it`);
  loadDuring[name] = [load, os.loadavg()[0]!];
  console.log(`  ${name} done in ${((performance.now() - t) / 1000).toFixed(1)} s (load average ${os.loadavg()[0]!.toFixed(1)})`);
}

const incomplete = Object.keys(failureOf);
const failures = Object.entries(failureOf).map(([name, message]) => `${name}: ${message}`);
const targets = targetResults(outputs, incomplete, only === null ? TARGETS : TARGETS.filter((t) => t.suites.some((s) => only.includes(s))));
const rows: Row[] = Object.values(outputs).flatMap((o) => o.rows);
const notes: string[] = Object.values(outputs).flatMap((o) => o.notes);
notes.push(...leftBehind);
// A benchmark that moved its server to a child process leaves no listening socket here; one still
// listening here is said, so that no figure of this process is taken for the server's alone.
const leftOpen = process.getActiveResourcesInfo().filter((r) => r === 'TCPServerWrap').length;
if (leftOpen > 0) notes.push(`${leftOpen} listening socket(s) were still open in the bench process after the benchmarks`);

const seconds = (Date.now() - started) / 1000;
const machine: Machine = {
  date: new Date().toISOString(),
  node: process.version,
  cores: os.cpus().length,
  cpu: os.cpus()[0]?.model ?? 'unknown',
  memory: `${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB`,
  platform: `${os.platform()} ${os.release()}`,
  loadavg: { start: loadBefore[0]!, end: os.loadavg()[0]!, during: loadDuring },
};

console.log('\nTargets of the issue');
for (const t of targets) console.log(`  ${t.ok ? 'met    ' : 'NOT met'}  ${t.id}. ${t.target}\n           ${t.ok ? '' : `${t.met}; `}${t.measured}`);
if (only === null) console.log(`  ${doneWhen(targets)}`);
const table = [['benchmark', 'measure', 'measured', 'target', 'result'], ...rows.map((r) => [r.bench, r.metric, r.value, r.target, verdict(r)])];
const widths = table[0]!.map((_, i) => Math.max(...table.map((r) => r[i]!.length)));
const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
console.log('');
console.log(line(table[0]!));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const r of table.slice(1)) console.log(line(r));
console.log('');
for (const n of notes) console.log(`- ${n}`);
console.log(`\n${machine.cores} cores (${machine.cpu}), Node ${machine.node}, ${machine.date}; load average ${machine.loadavg.start.toFixed(1)} at start, ${machine.loadavg.end.toFixed(1)} at end; run took ${seconds.toFixed(0)} s`);

/** bench/RESULTS.md and bench/results.json, from a run of the whole suite only. */
function writeResults(): void {
  const profileFile = path.join(ROOT, 'bench/cpu-profile.md');
  const cpuProfile = fs.existsSync(profileFile) ? fs.readFileSync(profileFile, 'utf8') : null;
  fs.writeFileSync(path.join(ROOT, 'bench/RESULTS.md'), resultsMarkdown({ machine, seconds, targets, rows, notes, failures, cpuProfile }));
  const data = Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, v.data]));
  fs.writeFileSync(path.join(ROOT, 'bench/results.json'), `${JSON.stringify({ machine, seconds, targets, rows, notes, failures, data }, null, 2)}\n`);
  console.log('wrote bench/RESULTS.md and bench/results.json');
}
if (only === null) writeResults();
else console.log('\nsome benchmarks only: bench/RESULTS.md and bench/results.json left as they were');

const code = exitCode(rows, incomplete);
if (code !== 0) console.error(`bench: ${hardFailures(rows).length} broken budget(s) or lost write(s), ${incomplete.length} benchmark(s) that did not complete`);
// Whatever a benchmark left open (a socket, a timer) must not keep the run alive once it is reported.
process.exit(code);
