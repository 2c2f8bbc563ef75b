// What the office wall shows, in one object: the score in the site's kind, today's and this week's
// answers per class, a 12-week trend of that score, and the newest answers (each in its own kind) with
// their comments. Team-level only: no technician names.
import { classScore, kindScore } from '../domain/kind-score.js';
import type { AnswerClass, SurveyKind } from '../domain/kinds.js';
import { dayOf, isoDay } from '../domain/window.js';
import { publicScore, type PublicScore } from './public-score.js';
import type { Site, Store } from '../store/types.js';

export const WALL_RECENT = 20;
export const WALL_WEEKS = 12;

type ClassCounts = Record<AnswerClass, number> & { total: number };

export interface WallSnapshot {
  score: PublicScore;
  /** Answers of the site's kind per class (promoters, passives, detractors for NPS), over the moments
   * the score counts. */
  today: ClassCounts;
  week: ClassCounts;
  /** The site kind's score per week. */
  trend: Array<{ week: string; score: number | null; total: number }>;
  /** Newest first, any kind (a relationship campaign may ask NPS on a reaction site): `reaction` is the
   * answer's class and `score` its CSAT or NPS value (null for reactions), as GET /v1/responses/:token
   * says them. */
  recent: Array<{
    id: string;
    kind: SurveyKind;
    scale: number | null;
    reaction: AnswerClass;
    score: number | null;
    moment: string;
    comment: string | null;
    team: string | null;
    createdAt: string;
    updatedAt: string;
  }>;
}

export async function wallSnapshot(store: Store, site: Site, now: number): Promise<WallSnapshot> {
  const today = dayOf(now);
  // The same answers the public score counts (the site's kind and scale, its moments), per class.
  const counts = async (from: number): Promise<ClassCounts> => {
    const answers = await store.answersBetween(site.id, site, from, today, site.scoreMoments);
    const { positive, neutral, negative, total } = kindScore(site, answers.values).counts;
    return { positive, neutral, negative, total };
  };
  // Monday-based weeks (day 0 was a Thursday), the current one included.
  const thisWeek = today - ((today + 3) % 7);
  const firstWeek = thisWeek - 7 * (WALL_WEEKS - 1);
  const rows = new Map((await store.report(site.id, 'week', firstWeek, today, site)).map((r) => [r.group as number, r]));
  const trend = Array.from({ length: WALL_WEEKS }, (_, i) => {
    const week = firstWeek + 7 * i;
    const row = rows.get(week) ?? { positive: 0, neutral: 0, negative: 0, imported: 0 };
    const figures = classScore(site.kind, row);
    return { week: isoDay(week), score: figures.score, total: figures.counts.total };
  });
  const recent = (await store.listResponses(site.id, {}, null, WALL_RECENT)).map((r) => ({
    id: r.id,
    kind: r.kind,
    scale: r.scale,
    reaction: r.reaction,
    score: r.kind === 'reaction' ? null : r.value,
    moment: r.moment,
    comment: r.comment,
    team: r.team,
    createdAt: new Date(r.createdAt).toISOString(),
    updatedAt: new Date(r.updatedAt).toISOString(),
  }));
  return {
    score: await publicScore(store, site, now),
    today: await counts(today),
    week: await counts(today - 6),
    trend,
    recent,
  };
}
