// The benchmark suite: runs every benchmark once, prints one table (measured value, target, pass/fail)
// and writes bench/RESULTS.md and bench/results.json. Exits 1 only on a broken budget (the widget's
// gzip size) or a lost write; a missed speed target is reported, not failed (machines differ).
// Usage: npm run bench   (builds first; or `npx tsx bench/run.ts` after `npm run build`)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dataSize } from './data-size.js';
import { fanout } from './fanout.js';
import { ROOT, TEMP_DIRS, type BenchOutput, type Row } from './lib.js';
import { scoreRead } from './score-read.js';
import { start } from './start.js';
import { widget } from './widget.js';
import { writes } from './writes.js';

const started = Date.now();
const outputs: Record<string, BenchOutput> = {};
const failures: string[] = [];

// The fan-out runs last: its 10,000 closed streams leave memory and timers behind in this process that
// would weigh on the throughput runs (its RSS figure is reported as a delta for the same reason).
const loadBefore = os.loadavg();
const suite: Array<[string, () => Promise<BenchOutput>]> = [
  ['scoreRead', () => scoreRead()],
  ['dataSize', () => dataSize()],
  ['writes', () => writes()],
  ['widget', () => widget()],
  ['start', () => start()],
  ['fanout', () => fanout()],
];
for (const [name, bench] of suite) {
  const t = performance.now();
  console.log(`running ${name} ...`);
  try {
    outputs[name] = await bench();
  } catch (error) {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    console.error(`${name} failed: ${message}`);
    failures.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    outputs[name] = { rows: [{ bench: name, metric: 'did not complete', value: 'error', target: '', pass: false }], notes: [`${name}: ${String(error)}`], data: {} };
  }
  console.log(`  ${name} done in ${((performance.now() - t) / 1000).toFixed(1)} s`);
}

const rows: Row[] = Object.values(outputs).flatMap((o) => o.rows);
const notes: string[] = Object.values(outputs).flatMap((o) => o.notes);
const verdict = (r: Row) => (r.pass === null ? '' : r.pass ? 'pass' : r.hard ? 'FAIL (hard)' : 'fail');
const table = [['benchmark', 'measure', 'measured', 'target', 'result'], ...rows.map((r) => [r.bench, r.metric, r.value, r.target, verdict(r)])];
const widths = table[0]!.map((_, i) => Math.max(...table.map((r) => r[i]!.length)));
const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
const seconds = (Date.now() - started) / 1000;
const machine = {
  date: new Date().toISOString(),
  node: process.version,
  cores: os.cpus().length,
  cpu: os.cpus()[0]?.model ?? 'unknown',
  memory: `${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB`,
  platform: `${os.platform()} ${os.release()}`,
  /** 1-minute load average at the start and end: other work on the machine skews every figure. */
  loadavg: { start: loadBefore[0]!, end: os.loadavg()[0]! },
};

console.log('');
console.log(line(table[0]!));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const r of table.slice(1)) console.log(line(r));
console.log('');
for (const n of notes) console.log(`- ${n}`);
console.log(`\n${machine.cores} cores (${machine.cpu}), Node ${machine.node}, ${machine.date}; load average ${machine.loadavg.start.toFixed(1)} at start, ${machine.loadavg.end.toFixed(1)} at end; run took ${seconds.toFixed(0)} s`);

const hardFailures = rows.filter((r) => r.hard && r.pass === false);
const esc = (s: string) => s.replace(/\|/g, '\\|');
const md = [
  '# Benchmark results',
  '',
  `One run of \`npm run bench\` (bench/run.ts). ${machine.date}; ${machine.cores} cores (${machine.cpu}), ${machine.memory} RAM, ${machine.platform}, Node ${machine.node}. 1-minute load average ${machine.loadavg.start.toFixed(1)} at the start and ${machine.loadavg.end.toFixed(1)} at the end (other processes were running on the machine when it is above the core count, and every throughput figure is then lower than the machine can do). The run took ${seconds.toFixed(0)} s.`,
  '',
  'Speed targets are reported, not enforced: only a broken budget (widget gzip size) or a lost write makes the run exit 1.',
  '',
  '| benchmark | measure | measured | target | result |',
  '| --- | --- | --- | --- | --- |',
  ...rows.map((r) => `| ${esc(r.bench)} | ${esc(r.metric)} | ${esc(r.value)} | ${esc(r.target)} | ${verdict(r)} |`),
  '',
  '## How these were measured',
  '',
  ...notes.map((n) => `- ${n}`),
  ...(failures.length ? ['', '## Benchmarks that did not complete', '', ...failures.map((f) => `- ${f}`)] : []),
  '',
].join('\n');
fs.writeFileSync(path.join(ROOT, 'bench/RESULTS.md'), md);
fs.writeFileSync(
  path.join(ROOT, 'bench/results.json'),
  `${JSON.stringify({ machine, seconds, rows, notes, failures, data: Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, v.data])) }, null, 2)}\n`,
);
console.log('wrote bench/RESULTS.md and bench/results.json');
for (const dir of TEMP_DIRS) fs.rmSync(dir, { recursive: true, force: true });

if (hardFailures.length > 0 || failures.length > 0) {
  console.error(`bench: ${hardFailures.length} broken budget(s) or lost write(s), ${failures.length} benchmark(s) that did not complete`);
  process.exit(1);
}
process.exit(0); // open SSE heartbeat timers would otherwise keep the process alive
