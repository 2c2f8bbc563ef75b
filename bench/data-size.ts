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
import { publicScore } from '../api/services/public-score.js';
import { openSqliteStore } from '../api/store/sqlite.js';
import type { Site } from '../api/store/types.js';
import { databaseBytes, fmt, percentile, removeTempDir, removeTempDirs, type BenchOutput } from './lib.js';
import { SEEDED_SITE, seededDatabase } from './seeded.js';

/** The target: the computation at 1,000,000 responses at most this many times its cost at 1,000. */
const MAX_RATIO = 1.5;
/** Pairs of computations timed: at least this many, whatever the time it takes, and at most this many. */
const MIN_PAIRS = 500;
const MAX_PAIRS = 50_000;

type Store = ReturnType<typeof openSqliteStore>;

async function opened(count: number, log: (s: string) => void) {
  const db = await seededDatabase(count, log);
  const store = openSqliteStore(db.file);
  const site = await store.getSite(SEEDED_SITE);
  const seededAt = site && (await store.lastEventAt(site.id));
  if (!site || seededAt === null) {
    await store.close();
    throw new Error(`the seeded database of ${count} responses has no site ${SEEDED_SITE} or no events`);
  }
  return { ...db, store, site, count, seededAt, bytes: databaseBytes(db.file) };
}

/** The counts that importRows() made at `seededAt` give the score window at `now`, from the rows' rule
 * (not from the store). */
function expectedCounts(count: number, seededAt: number, now: number, windowDays: number) {
  const { fromDay, toDay } = rollingWindow(now, windowDays);
  const counts = { positive: 0, neutral: 0, negative: 0 };
  const step = (365 * DAY_MS) / count;
  for (let i = 0; i < count; i++) {
    const day = dayOf(Math.floor(seededAt - (i + 1) * step));
    if (day < fromDay || day > toDay) continue;
    const k = (i * 7919) % 100;
    counts[k < 85 ? 'positive' : k < 95 ? 'neutral' : 'negative']++;
  }
  return counts;
}

async function checked({ store, site, count, seededAt }: Awaited<ReturnType<typeof opened>>, now: number) {
  const score = await publicScore(store, site, now);
  const want = expectedCounts(count, seededAt, now, site.windowDays);
  const got = score.counts;
  if (got.positive !== want.positive || got.neutral !== want.neutral || got.negative !== want.negative) {
    throw new Error(`score of ${count} responses counts ${JSON.stringify(got)}, the seeded rows give ${JSON.stringify(want)}`);
  }
  return got.total;
}

/** Milliseconds of one computation. */
async function timed(store: Store, site: Site, now: number): Promise<number> {
  const started = performance.now();
  await publicScore(store, site, now);
  return performance.now() - started;
}

const seededHow = (db: { seedMs: number | null; kept: string | null }) =>
  db.kept === null
    ? `seeded in ${((db.seedMs ?? 0) / 1000).toFixed(1)} s`
    : db.seedMs === null
      ? `a copy of ${db.kept}, seeded by an earlier run`
      : `seeded in ${(db.seedMs / 1000).toFixed(0)} s into ${db.kept}, kept for later runs`;

export async function dataSize(opts: { large?: number; seconds?: number; log?: (s: string) => void } = {}): Promise<BenchOutput> {
  const { large = 1_000_000, seconds = 4, log = console.log } = opts;
  const now = systemClock.now();
  const small = await opened(1_000, log);
  let big: Awaited<ReturnType<typeof opened>> | undefined;
  try {
    big = await opened(large, log);
    const label = fmt.int(large);

    // The first computation after a store opens also reads the public log's leaf hashes once (the store
    // keeps them to sign the log's head): reported, not part of the target.
    let t = performance.now();
    const smallWindow = await checked(small, now);
    const smallCold = performance.now() - t;
    t = performance.now();
    const bigWindow = await checked(big, now);
    const bigCold = performance.now() - t;

    // Warm both (JIT, SQLite's page cache), then time single computations in pairs, one of each size
    // back to back (the order swapped every pair), for `seconds`: a busy moment of the machine falls on
    // both sizes alike, and the medians leave out the computations the machine interrupted.
    for (let i = 0; i < 200; i++) {
      await timed(small.store, small.site, now);
      await timed(big.store, big.site, now);
    }
    const smallTimes: number[] = [];
    const bigTimes: number[] = [];
    const until = performance.now() + seconds * 1000;
    while (smallTimes.length < MIN_PAIRS || (performance.now() < until && smallTimes.length < MAX_PAIRS)) {
      if (smallTimes.length % 2 === 0) {
        smallTimes.push(await timed(small.store, small.site, now));
        bigTimes.push(await timed(big.store, big.site, now));
      } else {
        bigTimes.push(await timed(big.store, big.site, now));
        smallTimes.push(await timed(small.store, small.site, now));
      }
    }
    smallTimes.sort((x, y) => x - y);
    bigTimes.sort((x, y) => x - y);
    const smallMedian = percentile(smallTimes, 50);
    const bigMedian = percentile(bigTimes, 50);
    const ratio = bigMedian / smallMedian;
    const load = os.loadavg().map((l) => l.toFixed(1)).join(' / ');
    return {
      rows: [
        { bench: '7 data size', metric: 'score computation, 1,000 responses (cache bypassed)', value: `${fmt.us(smallMedian)} (p90 ${fmt.us(percentile(smallTimes, 90))})`, target: '', pass: null },
        { bench: '7 data size', metric: `score computation, ${label} responses (cache bypassed)`, value: `${fmt.us(bigMedian)} (p90 ${fmt.us(percentile(bigTimes, 90))})`, target: '', pass: null },
        { bench: '7 data size', metric: `ratio ${label} / 1,000`, value: fmt.ratio(ratio), target: `<= ${MAX_RATIO}`, pass: ratio <= MAX_RATIO },
        { bench: '7 data size', metric: `first computation after open, 1,000 / ${label}`, value: `${fmt.us(smallCold)} / ${fmt.us(bigCold)}`, target: '(report)', pass: null },
      ],
      notes: [
        `data size: publicScore() called directly (no route, no cached score) on two stores seeded through importResponses: 1,000 and ${label} responses over 365 days (the large one ${seededHow(big)}, a ${fmt.mb(big.bytes)} database). The default 90-day window counts ${fmt.int(smallWindow)} and ${fmt.int(bigWindow)} of them, checked against the seeded rows. ${fmt.int(smallTimes.length)} computations of each, timed one at a time in back-to-back pairs (the order swapped every pair) over ${seconds} s after a warm-up; the figures are the medians and 90th percentiles, the ratio that of the medians. Target: the computation sums the window's per-day counts (at most one row per day and answer value), so its cost must not grow with the responses stored; ${MAX_RATIO}x leaves room for noise on a shared machine and for the small store's window having fewer such rows (some days and values have no answer), while a scan of the responses would make the large one hundreds of times slower. The first computation after a store opens also reads the public log's leaf hashes once (reported, not in the target). Load average (1/5/15 min) after the timing: ${load}.`,
      ],
      data: {
        large,
        seedMs: big.seedMs,
        kept: big.kept,
        databaseBytes: big.bytes,
        windowCounts: { small: smallWindow, large: bigWindow },
        pairs: smallTimes.length,
        medianMs: { small: smallMedian, large: bigMedian },
        p90Ms: { small: percentile(smallTimes, 90), large: percentile(bigTimes, 90) },
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
