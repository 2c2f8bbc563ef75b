// Reports for operators: score and counts per team, technician, moment or week over the site's window (or
// a shorter `?window=`), and what mattered per answer class. Per-person figures live only here, behind
// the admin key, never in public routes.
import { Hono, type Context } from 'hono';
import type { Clock } from '../clock.js';
import { dimensionReport } from '../domain/dimensions.js';
import { classScore } from '../domain/kind-score.js';
import { isoDay, rollingWindow } from '../domain/window.js';
import { ApiError } from '../errors.js';
import { adminAuth } from '../middleware/admin-auth.js';
import { loadSite, type SiteEnv } from '../middleware/site.js';
import { MIN_WINDOW_DAYS, shorterWindow } from '../services/public-score.js';
import type { ReportGroup, Store } from '../store/types.js';

const GROUPS: readonly ReportGroup[] = ['team', 'technician', 'week', 'moment'];

/** The report's window: the site's, or a shorter `?window=`. */
function reportWindow(c: Context<SiteEnv>, now: number) {
  const site = c.get('site');
  const days = shorterWindow(c.req.query('window'), site);
  if (days === 'invalid') throw new ApiError(400, 'invalid_window', `window must be a number of days from ${MIN_WINDOW_DAYS} to ${site.windowDays}`);
  return rollingWindow(now, days ?? site.windowDays);
}

const windowJson = (w: ReturnType<typeof rollingWindow>) => ({ days: w.days, from: isoDay(w.fromDay), to: isoDay(w.toDay) });

export function reportRoutes(deps: { store: Store; clock: Clock }) {
  const { store, clock } = deps;
  return new Hono<SiteEnv>()
    .get('/:site/report', loadSite(store), adminAuth(store), async (c) => {
      const site = c.get('site');
      const groupBy = c.req.query('groupBy') as ReportGroup;
      if (!GROUPS.includes(groupBy)) throw new ApiError(400, 'invalid_request', `groupBy must be ${GROUPS.join(', ')}`);
      const window = reportWindow(c, clock.now());
      // The site's own kind: a campaign of another kind has its figures on the campaign.
      const rows = await store.report(site.id, groupBy, window.fromDay, window.toDay, site);
      c.header('Cache-Control', 'no-store');
      return c.json({
        groupBy,
        kind: site.kind,
        scale: site.scale,
        window: windowJson(window),
        groups: rows.map((row) => {
          const { score, exact, counts, percent } = classScore(site.kind, row);
          const group = groupBy === 'week' ? isoDay(row.group as number) : row.group;
          return { group, score, exact, counts, percent };
        }),
      });
    })
    .get('/:site/report/dimensions', loadSite(store), adminAuth(store), async (c) => {
      const site = c.get('site');
      const window = reportWindow(c, clock.now());
      const tallies = await store.dimensionTallies(site.id, site, window.fromDay, window.toDay);
      c.header('Cache-Control', 'no-store');
      return c.json({
        kind: site.kind,
        scale: site.scale,
        window: windowJson(window),
        answers: { positive: tallies.positive.answers, neutral: tallies.neutral.answers, negative: tallies.negative.answers },
        rows: dimensionReport(tallies),
      });
    });
}
