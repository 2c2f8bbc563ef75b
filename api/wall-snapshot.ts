// What the office wall shows, in one object: the score, today's and this week's reactions, a 12-week
// trend, and the newest reactions with their comments. Team-level only: no technician names.
import { reactionScore } from './domain/score.js';
import { dayOf, isoDay } from './domain/window.js';
import { publicScore, type PublicScore } from './public-score.js';
import type { Site, Store } from './store/types.js';

export const WALL_RECENT = 20;
export const WALL_WEEKS = 12;

export interface WallSnapshot {
  score: PublicScore;
  today: { positive: number; neutral: number; negative: number; total: number };
  week: { positive: number; neutral: number; negative: number; total: number };
  trend: Array<{ week: string; score: number | null; total: number }>;
  recent: Array<{ id: string; reaction: string; comment: string | null; team: string | null; createdAt: string; updatedAt: string }>;
}

export async function wallSnapshot(store: Store, site: Site, now: number): Promise<WallSnapshot> {
  const today = dayOf(now);
  const counts = async (from: number) => {
    const c = await store.countsBetween(site.id, from, today);
    return { positive: c.positive, neutral: c.neutral, negative: c.negative, total: c.positive + c.neutral + c.negative };
  };
  // Monday-based weeks (day 0 was a Thursday), the current one included.
  const thisWeek = today - ((today + 3) % 7);
  const firstWeek = thisWeek - 7 * (WALL_WEEKS - 1);
  const rows = new Map((await store.report(site.id, 'week', firstWeek, today)).map((r) => [r.group as number, r]));
  const trend = Array.from({ length: WALL_WEEKS }, (_, i) => {
    const week = firstWeek + 7 * i;
    const row = rows.get(week) ?? { positive: 0, neutral: 0, negative: 0, imported: 0 };
    const figures = reactionScore(row);
    return { week: isoDay(week), score: figures.score, total: figures.counts.total };
  });
  const recent = (await store.listResponses(site.id, {}, null, WALL_RECENT)).map((r) => ({
    id: r.id,
    reaction: r.reaction,
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
