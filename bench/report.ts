// What a benchmark run reports: the issue's targets met or not, bench/RESULTS.md, and the exit code.
// No I/O here, so the rules can be tried on made-up results.
import type { BenchOutput, Row } from './lib.js';

/** The row a benchmark that threw is reported with. */
export const INCOMPLETE = 'did not complete';

export interface Target {
  id: string;
  text: string;
  /** The benchmarks (run.ts suite names) that measure it: their rows with a target decide it. */
  suites: string[];
  /** Narrows a benchmark's rows to those about this target. */
  deciding?: (suite: string, row: Row) => boolean;
}

/** The targets the issue wants met together in one run of the benchmarks. */
export const DONE_WHEN = ['1', '2', '3', '6'];

/** The targets of the issue that `npm run bench` measures. */
export const TARGETS: Target[] = [
  {
    id: '1',
    text: 'score reads >= 0.9x a bare route sending the same bytes, p99 <= 5 ms at 50 connections, the 304 path at least as fast, at 1,000 and 1,000,000 responses',
    suites: ['scoreRead'],
  },
  { id: '1, 7', text: 'score computation costs the same at 1,000 and 1,000,000 responses (cache bypassed)', suites: ['dataSize'] },
  { id: '2', text: '>= 2,000 durable reactions/s over HTTP at 16 connections, none lost', suites: ['writes'] },
  { id: '3', text: '10,000 live badges: server RSS < 150 MB, every client updated <= 1 s', suites: ['fanout'] },
  { id: '4', text: 'csat import beside the server: no request fails, none waits > 250 ms', suites: ['importBesideServer'] },
  {
    id: '6',
    text: 'npm start < 2 s on a current build; the drop-in script served compressed, <= 10 KiB gzip',
    suites: ['start', 'widget'],
    // The widget benchmark also reports paint time and layout shift, which are not this target.
    deciding: (suite, row) => suite !== 'widget' || /gzip/i.test(row.metric),
  },
];

export interface TargetResult {
  id: string;
  target: string;
  measured: string;
  /** 'met', 'NOT met (...)', 'not met: ... did not complete' or 'not measured'. */
  met: string;
  ok: boolean;
}

export function targetResults(outputs: Record<string, BenchOutput>, incomplete: readonly string[], targets = TARGETS): TargetResult[] {
  return targets.map((t) => {
    const notDone = t.suites.filter((s) => incomplete.includes(s));
    const deciding = t.suites.flatMap((s) => (outputs[s]?.rows ?? []).filter((r) => r.pass !== null && r.metric !== INCOMPLETE && (t.deciding?.(s, r) ?? true)));
    const missed = deciding.filter((r) => r.pass === false);
    const met =
      notDone.length > 0
        ? `not met: ${notDone.join(', ')} did not complete`
        : deciding.length === 0
          ? 'not measured'
          : missed.length === 0
            ? 'met'
            : `NOT met (${missed.map((r) => r.metric).join('; ')})`;
    return { id: t.id, target: t.text, measured: deciding.map((r) => `${r.metric}: ${r.value}`).join('; ') || '-', met, ok: met === 'met' };
  });
}

/** Broken budgets and lost writes: rows marked hard that failed (a benchmark that threw is counted apart). */
export const hardFailures = (rows: readonly Row[]) => rows.filter((r) => r.hard && r.pass === false && r.metric !== INCOMPLETE);

/** 1 on a broken budget, a lost write or a benchmark that did not complete; a missed speed target is 0. */
export const exitCode = (rows: readonly Row[], incomplete: readonly string[]) => (hardFailures(rows).length > 0 || incomplete.length > 0 ? 1 : 0);

export const verdict = (r: Row) => (r.pass === null ? '' : r.pass ? 'pass' : r.hard ? 'FAIL (hard)' : 'fail');

/** bench/cpu-profile.md as a section of RESULTS.md: its own title dropped, its headings put under the
 * section's. Nothing when there is no such file. */
export function cpuProfileSection(markdown: string | null): string[] {
  if (markdown === null || markdown.trim() === '') return [];
  const lines = markdown.trimEnd().split('\n');
  if (/^#\s/.test(lines[0] ?? '')) lines.shift();
  // Its sections (##) become this section's subsections (###).
  const body = lines.map((l) => (/^#{2,5}\s/.test(l) ? `#${l}` : /^#\s/.test(l) ? `###${l.slice(1)}` : l)).join('\n').trim();
  return ['', "## Where a reaction's CPU time goes", '', 'Copied from bench/cpu-profile.md: its figures come from a CPU profile (`node --cpu-prof`), not from this run.', '', body];
}

export interface Machine {
  date: string;
  node: string;
  cores: number;
  cpu: string;
  memory: string;
  platform: string;
  loadavg: { start: number; end: number; during: Record<string, [number, number]> };
}

/** Whether targets 1, 2, 3 and 6 were all met in this one run, as the issue asks. */
export function doneWhen(targets: readonly TargetResult[]): string {
  const open = DONE_WHEN.filter((id) => !targets.some((t) => t.id === id && t.ok));
  return open.length === 0
    ? `Targets ${DONE_WHEN.join(', ')} were all met in this one run.`
    : `Targets ${DONE_WHEN.join(', ')} are to be met in one run; in this run ${open.join(', ')} ${open.length === 1 ? 'was' : 'were'} not.`;
}

const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function resultsMarkdown(run: {
  machine: Machine;
  seconds: number;
  targets: TargetResult[];
  rows: Row[];
  notes: string[];
  failures: string[];
  cpuProfile: string | null;
}): string {
  const { machine, seconds, targets, rows, notes, failures } = run;
  return [
    '# Benchmark results',
    '',
    `One run of \`npm run bench\` (bench/run.ts). ${machine.date}; ${machine.cores} cores (${machine.cpu}), ${machine.memory} RAM, ${machine.platform}, Node ${machine.node}. 1-minute load average ${machine.loadavg.start.toFixed(1)} at the start and ${machine.loadavg.end.toFixed(1)} at the end (other processes were running on the machine when it is above the core count, and every throughput figure is then lower than the machine can do). The run took ${seconds.toFixed(0)} s.`,
    '',
    'Speed targets are reported, not enforced: the run exits 1 only on a broken budget or a lost write (rows marked FAIL (hard)) or a benchmark that did not complete.',
    '',
    '## Targets',
    '',
    '| target | measured | met |',
    '| --- | --- | --- |',
    ...targets.map((t) => `| ${esc(`${t.id}. ${t.target}`)} | ${esc(t.measured)} | ${esc(t.met)} |`),
    '',
    doneWhen(targets),
    '',
    '## Every figure',
    '',
    '| benchmark | measure | measured | target | result |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map((r) => `| ${esc(r.bench)} | ${esc(r.metric)} | ${esc(r.value)} | ${esc(r.target)} | ${verdict(r)} |`),
    '',
    '## How these were measured',
    '',
    ...notes.map((n) => `- ${n}`),
    `- 1-minute load average at the start and end of each benchmark: ${Object.entries(machine.loadavg.during)
      .map(([k, [a, b]]) => `${k} ${a.toFixed(1)} -> ${b.toFixed(1)}`)
      .join(', ')}.`,
    ...cpuProfileSection(run.cpuProfile),
    ...(failures.length ? ['', '## Benchmarks that did not complete', '', ...failures.map((f) => `- ${f}`)] : []),
    '',
  ].join('\n');
}
