// The score computation with 1,000 and with 1,000,000 stored responses spread over a year. The design
// keeps per-day counts so that a score sums at most one row per day of its window, never the responses:
// computing it must cost the same at both sizes. publicScore() (the figures the score, badge and stream
// routes serve) is called directly on each store, so no cached score of a route can answer for it, and
// its counts are checked against the seeded rows, so a computation that read nothing would fail.
// Run alone: `npx tsx bench/data-size.ts [responses]` (default 1,000,000).
import os from 'node:os';
import path from 'node:path';
import { systemClock } from '../api/clock.js';
import { dayOf, DAY_MS, rollingWindow } from '../api/domain/window.js';
import { publicScore } from '../api/public-score.js';
import { withoutDiskWaits } from '../api/store/bulk-load.js';
import type { Site } from '../api/store/types.js';
import { databaseBytes, fmt, importRows, openBenchStore, removeTempDir, removeTempDirs, tempDbFile, type BenchOutput } from './lib.js';

/** Rows per importResponses call. */
const CHUNK = 25_000;
/** importResponses calls in flight: an import rests between its batches so that a server on the same
 * database gets the write lock; the other calls' batches use those rests. */
const PARALLEL = 4;
/** The target: the computation at 1,000,000 responses at most this many times its cost at 1,000. */
const MAX_RATIO = 1.5;

type Store = ReturnType<typeof openBenchStore>;

async function seeded(count: number, now: number) {
  const file = tempDbFile();
  const store = openBenchStore(file);
  const site = await store.createSite({ slug: 'acme', name: 'Acme IT' }, now - 400 * DAY_MS);
  const started = performance.now();
  let next = 0;
  const importer = async () => {
    while (next < count) {
      const start = next;
      const n = Math.min(CHUNK, count - start);
      next += n;
      await store.importResponses(site.id, importRows(count, now, 365, start, n), now);
    }
  };
  // Commits without waiting for the disk while seeding (nothing is measured then); put back to FULL after.
  await withoutDiskWaits(store, () => Promise.all(Array.from({ length: PARALLEL }, importer)).then(() => {}));
  return { file, store, site, count, seedMs: performance.now() - started, bytes: databaseBytes(file) };
}

/** The counts importRows() gives the score window at `now`, computed from the rows' rule, not the store. */
function expectedCounts(count: number, now: number, windowDays: number) {
  const { fromDay, toDay } = rollingWindow(now, windowDays);
  const counts = { positive: 0, neutral: 0, negative: 0 };
  const step = (365 * DAY_MS) / count;
  for (let i = 0; i < count; i++) {
    const day = dayOf(Math.floor(now - (i + 1) * step));
    if (day < fromDay || day > toDay) continue;
    const k = (i * 7919) % 100;
    counts[k < 85 ? 'positive' : k < 95 ? 'neutral' : 'negative']++;
  }
  return counts;
}

async function checked(store: Store, site: Site, count: number, now: number) {
  const score = await publicScore(store, site, now);
  const want = expectedCounts(count, now, site.windowDays);
  const got = score.counts;
  if (got.positive !== want.positive || got.neutral !== want.neutral || got.negative !== want.negative) {
    throw new Error(`score of ${count} responses counts ${JSON.stringify(got)}, the seeded rows give ${JSON.stringify(want)}`);
  }
  return got.total;
}

/** Mean milliseconds of one computation over `calls` computations in a row. */
async function perComputation(store: Store, site: Site, now: number, calls: number): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < calls; i++) await publicScore(store, site, now);
  return (performance.now() - started) / calls;
}

const median = (list: number[]) => {
  const sorted = [...list].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

export async function dataSize(opts: { large?: number; rounds?: number; roundMs?: number; log?: (s: string) => void } = {}): Promise<BenchOutput> {
  const { large = 1_000_000, rounds = 15, roundMs = 100, log = console.log } = opts;
  const now = systemClock.now();
  const small = await seeded(1_000, now);
  let big: Awaited<ReturnType<typeof seeded>> | undefined;
  try {
    big = await seeded(large, now);
    log(`  seeded ${fmt.int(large)} responses in ${(big.seedMs / 1000).toFixed(1)} s`);
    const label = fmt.int(large);

    // The first computation after a store opens also reads the public log's leaf hashes once (the store
    // keeps them to sign the log's head): reported, not part of the target.
    let t = performance.now();
    const smallWindow = await checked(small.store, small.site, small.count, now);
    const smallCold = performance.now() - t;
    t = performance.now();
    const bigWindow = await checked(big.store, big.site, big.count, now);
    const bigCold = performance.now() - t;

    // Warm both (JIT, SQLite's page cache), then size a round to about `roundMs` at 1,000 responses.
    const warm = await perComputation(small.store, small.site, now, 200);
    await perComputation(big.store, big.site, now, 200);
    const calls = Math.max(50, Math.round(roundMs / warm));
    // Alternating rounds (1,000 then 1,000,000): each pair ran back to back, so a busy moment of the
    // machine weighs on both sides of its ratio; the median pair ratio is the figure.
    const smallRounds: number[] = [];
    const bigRounds: number[] = [];
    const ratios: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const a = await perComputation(small.store, small.site, now, calls);
      const b = await perComputation(big.store, big.site, now, calls);
      smallRounds.push(a);
      bigRounds.push(b);
      ratios.push(b / a);
    }
    const ratio = median(ratios);
    const load = os.loadavg().map((l) => l.toFixed(1)).join(' / ');
    return {
      rows: [
        { bench: '7 data size', metric: 'score computation, 1,000 responses (cache bypassed)', value: fmt.us(median(smallRounds)), target: '', pass: null },
        { bench: '7 data size', metric: `score computation, ${label} responses (cache bypassed)`, value: fmt.us(median(bigRounds)), target: '', pass: null },
        { bench: '7 data size', metric: `ratio ${label} / 1,000`, value: fmt.ratio(ratio), target: `<= ${MAX_RATIO}`, pass: ratio <= MAX_RATIO },
        { bench: '7 data size', metric: `first computation after open, 1,000 / ${label}`, value: `${fmt.us(smallCold)} / ${fmt.us(bigCold)}`, target: '(report)', pass: null },
      ],
      notes: [
        `data size: publicScore() called directly (no route, no cached score) on two stores seeded through importResponses (${fmt.int(CHUNK)} rows a call, ${PARALLEL} calls in flight, commits without disk waits while seeding): 1,000 and ${label} responses over 365 days, ${fmt.int(large)} in ${(big.seedMs / 1000).toFixed(1)} s, a ${fmt.mb(big.bytes)} database. The default 90-day window counts ${fmt.int(smallWindow)} and ${fmt.int(bigWindow)} of them, checked against the seeded rows. ${rounds} alternating rounds of ${fmt.int(calls)} computations each; figures are medians, the ratio the median of the back-to-back pairs' ratios. Target: the computation sums the window's per-day counts, so its cost must not grow with the responses stored; ${MAX_RATIO}x leaves room for noise on a shared machine, while a scan of the responses would make the large one hundreds of times slower. The first computation after a store opens also reads the public log's leaf hashes once (reported, not in the target). Load average (1/5/15 min) after the rounds: ${load}.`,
      ],
      data: {
        large,
        seedMs: big.seedMs,
        databaseBytes: big.bytes,
        windowCounts: { small: smallWindow, large: bigWindow },
        calls,
        smallRounds,
        bigRounds,
        ratios,
        ratio,
        firstComputationMs: { small: smallCold, large: bigCold },
        loadavg: os.loadavg(),
      },
    };
  } finally {
    for (const s of [small, big]) {
      if (!s) continue;
      await s.store.close();
      removeTempDir(s.file);
    }
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  try {
    const result = await dataSize({ large: Number(process.argv[2] ?? 1_000_000) });
    for (const r of result.rows) console.log(`${r.metric}: ${r.value}${r.target ? ` (target ${r.target}: ${r.pass === null ? 'reported' : r.pass ? 'met' : 'NOT met'})` : ''}`);
    for (const note of result.notes) console.log(note);
  } finally {
    removeTempDirs();
  }
}
