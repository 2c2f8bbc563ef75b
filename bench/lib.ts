// Shared helpers for the benchmarks: a fresh SQLite store in a temp folder, the app config, a loopback
// server in this process (the widget's demo page; servers whose speed or memory is measured run as
// child processes), autocannon in a worker thread, the rows of seeded responses, and the result rows
// every benchmark reports.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import autocannon, { type Options, type Result } from 'autocannon';
import type { AppConfig } from '../api/config.js';
import { DAY_MS } from '../api/domain/window.js';
import type { Reaction } from '../api/domain/reaction.js';
import { openSqliteStore } from '../api/store/sqlite.js';
import type { ImportRow } from '../api/store/types.js';

export { listen } from '../test/api/http-server.js';

export const ROOT = path.resolve(import.meta.dirname, '..');

/** One line of the results table. `pass` is null for a figure without a target. */
export interface Row {
  bench: string;
  metric: string;
  value: string;
  target: string;
  pass: boolean | null;
  /** A broken budget or lost write: makes the run exit 1 (a missed speed target does not). */
  hard?: boolean;
}

export interface BenchOutput {
  rows: Row[];
  notes: string[];
  data: Record<string, unknown>;
}

/** Temp folders made by this run and not yet removed (the data-size benchmark reports how large its
 * 1,000,000-response database is); run.ts removes whatever is left when it exits. */
export const TEMP_DIRS: string[] = [];

export function tempDbFile(name = 'csat.db'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csat-bench-'));
  TEMP_DIRS.push(dir);
  return path.join(dir, name);
}

/** Removes the temp folder of a file made by tempDbFile() now, rather than when the run ends. */
export function removeTempDir(file: string): void {
  const dir = path.dirname(file);
  const i = TEMP_DIRS.indexOf(dir);
  if (i < 0) return;
  fs.rmSync(dir, { recursive: true, force: true });
  TEMP_DIRS.splice(i, 1);
}

/** Removes every temp folder this run still holds; safe to call more than once. */
export function removeTempDirs(): void {
  for (const dir of TEMP_DIRS.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** Bytes of a SQLite database on disk: the file and its WAL. */
export function databaseBytes(file: string): number {
  const size = (f: string) => (fs.existsSync(f) ? fs.statSync(f).size : 0);
  return size(file) + size(`${file}-wal`);
}

export function openBenchStore(file = tempDbFile()) {
  return openSqliteStore(file);
}

/** The test config, with the per-client rate limit off where the config knows one (a load test is
 * one client). Object.assign keeps this compiling whether or not AppConfig has `rateLimit` yet. */
export function benchConfig(overrides: Partial<AppConfig> = {}): AppConfig {
  const config: AppConfig = { publicUrl: 'http://127.0.0.1', tokenSecret: randomBytes(32), logError: () => {}, heartbeatMs: 60_000, ...overrides };
  return Object.assign(config, { rateLimit: false });
}

/** Runs SQLite with synchronous=OFF while seeding fixtures (not measured), then back to FULL. */
export async function unsynced<T>(db: { pragma: (s: string, o?: { simple: boolean }) => unknown }, fn: () => Promise<T>): Promise<T> {
  db.pragma('synchronous = OFF');
  try {
    return await fn();
  } finally {
    db.pragma('synchronous = FULL');
    const now = db.pragma('synchronous', { simple: true });
    if (now !== 2) throw new Error(`synchronous is ${String(now)} after seeding, expected 2 (FULL)`);
  }
}

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  max: number;
  total: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
}

/** autocannon in one worker thread, so this process's main thread stays free to watch the run.
 * Latencies are autocannon's, in ms with 1 ms resolution. */
export async function load(options: Options): Promise<LoadResult> {
  const result: Result = await autocannon({ workers: 1, connections: 10, duration: 3, ...options });
  const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([k, v]) => [k, v.count]));
  const total = Object.values(statusCodes).reduce((a, b) => a + b, 0);
  return {
    rps: total / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    total,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
  };
}

/** Rows [start, start + n) of `total` imported responses spread evenly over the `spanDays` before
 * `now` (row 0 newest), ~85/10/5 % positive/neutral/negative. */
export function importRows(total: number, now: number, spanDays: number, start = 0, n = total - start): ImportRow[] {
  const rows: ImportRow[] = [];
  const step = (spanDays * DAY_MS) / total;
  for (let i = start; i < start + n; i++) {
    const k = (i * 7919) % 100;
    const reaction: Reaction = k < 85 ? 'positive' : k < 95 ? 'neutral' : 'negative';
    rows.push({ line: i - start + 1, respondedAt: Math.floor(now - (i + 1) * step), ticketRef: `T-${i}`, reaction, comment: null });
  }
  return rows;
}

export const fmt = {
  rps: (n: number) => `${Math.round(n).toLocaleString('en-US')} req/s`,
  ms: (n: number) => (n < 1 ? '<1 ms' : `${n.toFixed(n < 10 ? 1 : 0)} ms`), // autocannon's resolution is 1 ms
  ratio: (n: number) => n.toFixed(2),
  int: (n: number) => Math.round(n).toLocaleString('en-US'),
  mb: (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`,
  /** A duration given in milliseconds, shown in microseconds below 1 ms (performance.now() resolution). */
  us: (ms: number) => (ms < 1 ? `${(ms * 1000).toFixed(0)} µs` : `${ms.toFixed(2)} ms`),
};

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
