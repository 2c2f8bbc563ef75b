// Reports for operators: score and counts per team, technician or week over the site's window (or a
// shorter `?window=`). Per-person figures live only here, behind the admin key, never in public routes.
import { Hono } from 'hono';
import type { Clock } from '../clock.js';
import { reactionScore } from '../domain/score.js';
import { isoDay, rollingWindow } from '../domain/window.js';
import { ApiError } from '../errors.js';
import { adminAuth } from '../middleware/admin-auth.js';
import { loadSite, type SiteEnv } from '../middleware/site.js';
import { MIN_WINDOW_DAYS, shorterWindow } from '../public-score.js';
import type { ReportGroup, Store } from '../store/types.js';

const GROUPS: readonly ReportGroup[] = ['team', 'technician', 'week'];

export function reportRoutes(deps: { store: Store; clock: Clock }) {
  const { store, clock } = deps;
  return new Hono<SiteEnv>().get('/:site/report', loadSite(store), adminAuth(store), async (c) => {
    const site = c.get('site');
    const groupBy = c.req.query('groupBy') as ReportGroup;
    if (!GROUPS.includes(groupBy)) throw new ApiError(400, 'invalid_request', 'groupBy must be team, technician or week');
    const days = shorterWindow(c.req.query('window'), site);
    if (days === 'invalid') throw new ApiError(400, 'invalid_window', `window must be a number of days from ${MIN_WINDOW_DAYS} to ${site.windowDays}`);
    const window = rollingWindow(clock.now(), days ?? site.windowDays);
    const rows = await store.report(site.id, groupBy, window.fromDay, window.toDay);
    c.header('Cache-Control', 'no-store');
    return c.json({
      groupBy,
      window: { days: window.days, from: isoDay(window.fromDay), to: isoDay(window.toDay) },
      groups: rows.map((row) => {
        const { score, exact, counts, percent } = reactionScore(row);
        const group = groupBy === 'week' ? isoDay(row.group as number) : row.group;
        return { group, score, exact, counts, percent };
      }),
    });
  });
}

