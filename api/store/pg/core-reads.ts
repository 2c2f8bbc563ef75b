// The score's reads in PostgreSQL: sums of the per-day counts (at most one row per day of the window),
// the chain of events, and the recount that checks the counts against the responses.
import { emptyTally, type Dimension, type DimensionTally } from '../../domain/dimensions.js';
import type { Reaction, ReactionCounts } from '../../domain/reaction.js';
import { DAY_MS } from '../../domain/window.js';
import { eventFromRow, type EventRow } from '../sqlite-events.js';
import type { DayActivity, DayCounts, OriginCounts, Store } from '../types.js';
import type { Sql } from './connection.js';
import { scaleOf } from '../rows.js';

type ReadMethods = Pick<Store,
  | 'answersBetween' | 'dimensionTallies' | 'countsBetween' | 'originBetween' | 'activityBetween'
  | 'lastEventAt' | 'listEvents' | 'countMismatches' | 'dataVersion'>;

export function pgReads(sql: Sql): ReadMethods {
  return {
    async answersBetween(siteId, ks, fromDay, toDay, moments) {
      const rows = await sql<{ value: number; n: number; imported: number }[]>`
        SELECT value, sum(n) AS n, sum(imported) AS imported FROM daily_values
        WHERE site_id = ${siteId} AND kind = ${ks.kind} AND scale = ${scaleOf(ks)} AND day BETWEEN ${fromDay} AND ${toDay}
          ${moments ? sql`AND moment = ANY(${[...moments]}::text[])` : sql``}
        GROUP BY value`;
      return { values: new Map(rows.map((r) => [r.value, r.n])), imported: rows.reduce((sum, r) => sum + r.imported, 0) };
    },
    async dimensionTallies(siteId, ks, fromDay, toDay) {
      const tallies: Record<Reaction, DimensionTally> = { positive: emptyTally(), neutral: emptyTally(), negative: emptyTally() };
      const rows = await sql<{ reaction: Reaction; dimensions: string; n: number }[]>`
        SELECT reaction, dimensions, count(*) AS n FROM responses
        WHERE site_id = ${siteId} AND kind = ${ks.kind} AND scale = ${scaleOf(ks)} AND day BETWEEN ${fromDay} AND ${toDay}
        GROUP BY reaction, dimensions`;
      for (const row of rows) {
        const tally = tallies[row.reaction];
        tally.answers += row.n;
        if (row.dimensions !== '') for (const d of row.dimensions.split(',') as Dimension[]) tally.named[d] += row.n;
      }
      return tallies;
    },
    async countsBetween(siteId, fromDay, toDay) {
      const [row] = await sql<ReactionCounts[]>`
        SELECT coalesce(sum(positive), 0) AS positive, coalesce(sum(neutral), 0) AS neutral,
               coalesce(sum(negative), 0) AS negative, coalesce(sum(imported), 0) AS imported
        FROM daily_counts WHERE site_id = ${siteId} AND day BETWEEN ${fromDay} AND ${toDay}`;
      return { positive: row!.positive, neutral: row!.neutral, negative: row!.negative, imported: row!.imported };
    },
    async originBetween(siteId, fromDay, toDay) {
      const [row] = await sql<OriginCounts[]>`
        SELECT coalesce(sum(imported), 0) AS imported, coalesce(sum(seeded), 0) AS seeded, coalesce(sum(sealed), 0) AS sealed,
               min(CASE WHEN imported > 0 THEN day END) AS "firstImportedDay", max(CASE WHEN imported > 0 THEN day END) AS "lastImportedDay"
        FROM daily_counts WHERE site_id = ${siteId} AND day BETWEEN ${fromDay} AND ${toDay}`;
      const r = row!;
      return { imported: r.imported, firstImportedDay: r.firstImportedDay, lastImportedDay: r.lastImportedDay, seeded: r.seeded, sealed: r.sealed };
    },
    async activityBetween(siteId, fromDay, toDay) {
      const days = new Map<number, DayActivity>();
      const at = (day: number) => days.get(day) ?? days.set(day, { day, issued: 0, answered: 0 }).get(day)!;
      // Issued: an index range over the window's surveys (surveys_site_created), grouped by UTC day.
      const issued = await sql<{ day: number; issued: number }[]>`
        SELECT created_at / 86400000 AS day, count(*) AS issued FROM surveys
        WHERE site_id = ${siteId} AND created_at >= ${fromDay * DAY_MS} AND created_at < ${(toDay + 1) * DAY_MS} GROUP BY 1`;
      // Answered: first answers given that day, i.e. that day's counted ratings less the imported ones.
      const answered = await sql<{ day: number; answered: number }[]>`
        SELECT day, positive + neutral + negative - imported AS answered FROM daily_counts
        WHERE site_id = ${siteId} AND day BETWEEN ${fromDay} AND ${toDay} AND positive + neutral + negative - imported > 0`;
      for (const r of issued) at(r.day).issued = r.issued;
      for (const r of answered) at(r.day).answered = r.answered;
      return [...days.values()].sort((a, b) => a.day - b.day);
    },
    async lastEventAt(siteId) {
      const [row] = await sql<{ at: number }[]>`SELECT at FROM response_events WHERE site_id = ${siteId} ORDER BY seq DESC LIMIT 1`;
      return row?.at ?? null;
    },
    async listEvents(siteId) {
      const [site] = await sql<{ slug: string }[]>`SELECT slug FROM sites WHERE id = ${siteId}`;
      if (!site) throw new Error(`no site with id ${siteId}`);
      const rows = await sql<EventRow[]>`SELECT * FROM response_events WHERE site_id = ${siteId} ORDER BY seq`;
      return rows.map((r) => eventFromRow(r, site.slug));
    },
    async countMismatches(siteId) {
      const key = (d: DayCounts) => `${d.positive}/${d.neutral}/${d.negative}/${d.imported}`;
      const storedRows = await sql<DayCounts[]>`
        SELECT day, positive, neutral, negative, imported FROM daily_counts
        WHERE site_id = ${siteId} AND positive + neutral + negative + imported > 0 ORDER BY day`;
      const recountRows = await sql<DayCounts[]>`
        SELECT day, count(*) FILTER (WHERE reaction = 'positive') AS positive, count(*) FILTER (WHERE reaction = 'neutral') AS neutral,
               count(*) FILTER (WHERE reaction = 'negative') AS negative, count(*) FILTER (WHERE source = 'import') AS imported
        FROM responses WHERE site_id = ${siteId} GROUP BY day ORDER BY day`;
      const plain = (d: DayCounts): DayCounts => ({ day: d.day, positive: d.positive, neutral: d.neutral, negative: d.negative, imported: d.imported });
      const stored = new Map(storedRows.map((d) => [d.day, plain(d)]));
      const recounted = new Map(recountRows.map((d) => [d.day, plain(d)]));
      const days = [...new Set([...stored.keys(), ...recounted.keys()])].sort((a, b) => a - b);
      return days
        .map((day) => ({ day, stored: stored.get(day) ?? null, recounted: recounted.get(day) ?? null }))
        .filter(({ stored: s, recounted: r }) => !s || !r || key(s) !== key(r));
    },
    // The sum of every site's version row, bumped inside each core write transaction (core-sites.ts
    // bumpVersion): it changes once another instance's write commits, never before. Unlike SQLite's
    // data_version it changes on this instance's own writes too, which only costs a needless re-read.
    async dataVersion() {
      const [row] = await sql<{ v: number }[]>`SELECT coalesce(sum(version), 0)::bigint AS v FROM site_versions`;
      return row!.v;
    },
  };
}
