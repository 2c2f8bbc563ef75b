// Load spread over several servers at once: one autocannon run per server, each in a worker thread of
// its own, started together; their latency histograms are merged, so the p99 is that of every request
// of the run, whichever server answered it.
import { createRequire } from 'node:module';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Options, Result } from 'autocannon';
import type { LoadResult } from './lib.js';

export interface Part {
  options: Options;
  /** Environment of the part's worker thread (its setupRequest module reads it). */
  env?: Record<string, string>;
}

interface RawResult {
  statusCodeStats: Record<string, { count: number }>;
  duration: number;
  errors: number;
  timeouts: number;
}

const WORKER = path.join(import.meta.dirname, 'split-load-worker.cjs');
// autocannon's merge of unaggregated runs (left out of bench/autocannon.d.ts, which types the main call).
const { aggregateResult } = createRequire(import.meta.url)('autocannon') as { aggregateResult: (results: unknown[], opts: { url: string; connections: number }) => Result };

function statusCodes(raw: RawResult): Record<string, number> {
  return Object.fromEntries(Object.entries(raw.statusCodeStats ?? {}).map(([k, v]) => [k, v.count]));
}

/** Runs every part at once; `combined` merges them, `each` is per part (its rps, totals and codes). */
export async function splitLoad(parts: Part[]): Promise<{ combined: LoadResult; each: Array<Omit<LoadResult, 'p50' | 'p99' | 'max'>> }> {
  const workers = parts.map((part) => new Worker(WORKER, { workerData: { options: { duration: 3, ...part.options }, env: part.env ?? {} } }));
  const message = (w: Worker) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      w.once('message', resolve);
      w.once('error', reject);
    });
  try {
    // Every worker loads autocannon and its request module first, then all start at the same moment.
    await Promise.all(workers.map(message));
    const done = workers.map(message);
    for (const w of workers) w.postMessage('start');
    const answers = await Promise.all(done);
    const failed = answers.find((a) => 'error' in a);
    if (failed) throw new Error(`a load run failed: ${String(failed.error)}`);
    // aggregateResult adds the other runs' status counts into the first one's: per part figures come first.
    const raws = answers.map((a) => a.result as RawResult);
    const each = raws.map((raw) => {
      const codes = statusCodes(raw);
      const total = Object.values(codes).reduce((a, b) => a + b, 0);
      return { rps: total / raw.duration, total, errors: raw.errors, timeouts: raw.timeouts, statusCodes: codes };
    });
    const merged = aggregateResult(structuredClone(raws), { url: String(parts[0]!.options.url), connections: parts.reduce((n, p) => n + (p.options.connections ?? 10), 0) });
    const codes = statusCodes(merged as unknown as RawResult);
    const total = Object.values(codes).reduce((a, b) => a + b, 0);
    // Parts run side by side: the throughput of the whole is the sum of theirs.
    const rps = each.reduce((n, e) => n + e.rps, 0);
    return {
      combined: { rps, p50: merged.latency.p50, p99: merged.latency.p99, max: merged.latency.max, total, errors: merged.errors, timeouts: merged.timeouts, statusCodes: codes },
      each,
    };
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
