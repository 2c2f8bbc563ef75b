// The public score object of a site, as served by the score, badge and stream routes.
import { benchmarkFor, type IndustryBenchmark } from '../domain/benchmark.js';
import { kindScore, type KindFigures } from '../domain/kind-score.js';
import { isoDay, rollingWindow } from '../domain/window.js';
import type { Site, Store, SurveyKind } from '../store/types.js';
import type { LogHead } from '../store/types-log.js';

export interface PublicScore extends KindFigures {
  site: string;
  name: string;
  /** reaction: -100..100 ("98/100"); csat: % satisfied ("CSAT 92%"); nps: -100..100 ("NPS 75"). */
  kind: SurveyKind;
  /** Points of a CSAT scale; null for the other kinds. */
  scale: number | null;
  /** The moments counted; null when every moment counts. */
  moments: string[] | null;
  /** The UTC calendar days counted, both ends inclusive. */
  window: { days: number; from: string; to: string };
  benchmark: IndustryBenchmark | null;
  /** Where the window's ratings came from: imported and demo-seeded ones count like live answers, so
   * the score says how many there are; sealed ones were answered on surveys whose token no operator saw. */
  origin: ScoreOrigin;
  /** When the latest rating was recorded or changed; null before the first. */
  updatedAt: string | null;
  /** The public log's head this score was computed with: its size, root hash and signed checkpoint. */
  log: LogHead;
}

export interface ScoreOrigin {
  /** Ratings imported from another tool (`csat import`): no survey of this server stands behind them. */
  imported: number;
  /** First and last UTC day with an imported rating in the window; null without any. */
  importedDays: { from: string; to: string } | null;
  /** Demo history written by the demo seed. */
  seeded: number;
  /** Answers to sealed surveys: the link went only to the client, never to an operator. */
  sealed: number;
}

/** `windowDays` (optional) narrows the site's window; callers check it with `shorterWindow()`. */
export async function publicScore(store: Store, site: Site, now: number, windowDays = site.windowDays): Promise<PublicScore> {
  const window = rollingWindow(now, windowDays);
  const [answers, lastEventAt, log] = await Promise.all([
    store.answersBetween(site.id, site, window.fromDay, window.toDay, site.scoreMoments),
    store.lastEventAt(site.id),
    store.logHead(site.id),
  ]);
  const figures = kindScore(site, answers.values, answers.imported);
  const origin = await store.originBetween(site.id, window.fromDay, window.toDay);
  return {
    site: site.slug,
    name: site.name,
    kind: site.kind,
    scale: site.scale,
    moments: site.scoreMoments,
    score: figures.score,
    exact: figures.exact,
    window: { days: window.days, from: isoDay(window.fromDay), to: isoDay(window.toDay) },
    counts: figures.counts,
    percent: figures.percent,
    distribution: figures.distribution,
    // The published averages are shares of positive reactions: nothing to compare a CSAT or NPS with.
    benchmark: site.kind === 'reaction' ? benchmarkFor(site.industry) : null,
    origin: {
      imported: origin.imported,
      importedDays:
        origin.firstImportedDay === null || origin.lastImportedDay === null
          ? null
          : { from: isoDay(origin.firstImportedDay), to: isoDay(origin.lastImportedDay) },
      seeded: origin.seeded,
      sealed: origin.sealed,
    },
    updatedAt: lastEventAt === null ? null : new Date(lastEventAt).toISOString(),
    log,
  };
}

/** Shortest window a page may ask for: fewer days would let a site show off its one lucky day. */
export const MIN_WINDOW_DAYS = 7;

/** A `?window=` value is valid from MIN_WINDOW_DAYS up to the site's own window; null when absent. */
export function shorterWindow(value: string | undefined, site: Site): number | null | 'invalid' {
  if (value === undefined) return null;
  const days = Number(value);
  return /^\d{1,3}$/.test(value) && days >= MIN_WINDOW_DAYS && days <= site.windowDays ? days : 'invalid';
}
