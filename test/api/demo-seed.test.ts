// The demo's three sites (reaction, CSAT 1-5, NPS): each with a quarter of seeded history whose figures are
// read back through the public score and the admin reports, the same history for the same time, and a
// second seed that changes nothing. Real SQLite files; the seed runs through the store's ordinary paths.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.js';
import { DEMO_CSAT_SLUG, DEMO_NPS_SLUG, DEMO_SITES, DEMO_SLUG, demoHistory, seedDemo } from '../../api/demo/seed.js';
import { DIMENSIONS } from '../../api/domain/dimensions.js';
import { openSqliteStore } from '../../api/store/sqlite.js';
import { tempDbFile, testConfig } from './helpers.js';

const NOW = Date.parse('2026-11-29T15:00:00.000Z');
const clock = { now: () => NOW };

interface Score {
  kind: string;
  scale: number | null;
  score: number | null;
  exact: number;
  counts: { positive: number; neutral: number; negative: number; total: number };
  percent: { positive: number; neutral: number; negative: number };
  distribution: Array<{ value: number; count: number }> | null;
  moments: string[] | null;
  origin: { seeded: number; imported: number };
}

async function seeded() {
  const store = openSqliteStore(tempDbFile());
  const result = await seedDemo(store, NOW);
  const app = createApp({ store, clock, config: testConfig() });
  const keys = new Map(result.sites.map((s) => [s.site.slug, s.adminKey!]));
  const score = async (slug: string) => (await (await app.request(`/v1/sites/${slug}/score`)).json()) as Score;
  const admin = async (path: string, slug: string) => {
    const res = await app.request(path, { headers: { Authorization: `Bearer ${keys.get(slug)!}` } });
    expect(res.status, path).toBe(200);
    return res.json();
  };
  const surveys = () => (store.db.prepare('SELECT count(*) AS n FROM surveys').get() as { n: number }).n;
  return { store, app, result, score, admin, surveys };
}

let a: Awaited<ReturnType<typeof seeded>>;
beforeAll(async () => {
  a = await seeded();
}, 120_000);
afterAll(async () => a?.store.close());

describe('the demo seed', () => {
  it('creates the three demo sites, one of each kind, each with an admin key', async () => {
    const sites = await a.store.listSites();
    expect(sites.map((s) => [s.slug, s.kind, s.scale]).sort()).toEqual([
      [DEMO_SLUG, 'reaction', null],
      [DEMO_CSAT_SLUG, 'csat', 5],
      [DEMO_NPS_SLUG, 'nps', null],
    ].sort());
    expect(a.result.site.slug).toBe(DEMO_SLUG);
    for (const { adminKey } of a.result.sites) expect(adminKey).toMatch(/\S{20,}/);
    // The seed commits without waiting for the disk, and puts the store back to FULL afterwards.
    expect(a.store.db.pragma('synchronous', { simple: true })).toBe(2);
  });

  it('gives every site a quarter of seeded answers, spread over the window, and a public score in its range', async () => {
    for (const slug of [DEMO_SLUG, DEMO_CSAT_SLUG, DEMO_NPS_SLUG]) {
      const s = await a.score(slug);
      expect(s.counts.total, slug).toBeGreaterThanOrEqual(200);
      expect(s.origin, slug).toMatchObject({ seeded: s.counts.total, imported: 0 });
      const weeks = (await a.admin(`/v1/sites/${slug}/report?groupBy=week`, slug)) as { groups: unknown[] };
      expect(weeks.groups.length, slug).toBeGreaterThanOrEqual(12); // a quarter, not a burst
    }

    const reaction = await a.score(DEMO_SLUG);
    expect(reaction).toMatchObject({ kind: 'reaction', scale: null, distribution: null });
    expect(reaction.counts.total).toBeGreaterThan(1000);
    expect(reaction.percent.positive).toBeGreaterThan(97);
    expect(reaction.score).toBe(Math.round(reaction.percent.positive - reaction.percent.negative));
    expect(reaction.score).toBeGreaterThanOrEqual(96);

    const csat = await a.score(DEMO_CSAT_SLUG);
    expect(csat).toMatchObject({ kind: 'csat', scale: 5 });
    const values = new Map(csat.distribution!.map((d) => [d.value, d.count]));
    expect([...values.keys()]).toEqual([1, 2, 3, 4, 5]);
    const satisfied = values.get(4)! + values.get(5)!;
    expect(satisfied).toBe(csat.counts.positive);
    expect(csat.score).toBe(Math.round((100 * satisfied) / csat.counts.total));
    expect(csat.score).toBeGreaterThanOrEqual(88);
    expect(csat.score).toBeLessThanOrEqual(96);
    expect(values.get(5)!).toBeGreaterThan(values.get(4)!); // mostly 5s, then 4s
    expect(values.get(4)!).toBeGreaterThan(values.get(3)!);
    expect(values.get(1)! + values.get(2)!).toBeGreaterThan(0); // not a suspiciously perfect record

    const nps = await a.score(DEMO_NPS_SLUG);
    expect(nps).toMatchObject({ kind: 'nps', scale: null });
    expect(nps.distribution!.map((d) => d.value)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const count = (from: number, to: number) => nps.distribution!.filter((d) => d.value >= from && d.value <= to).reduce((n, d) => n + d.count, 0);
    expect([count(9, 10), count(7, 8), count(0, 6)]).toEqual([nps.counts.positive, nps.counts.neutral, nps.counts.negative]);
    expect(nps.score).toBe(Math.round(nps.percent.positive - nps.percent.negative));
    expect(nps.score).toBeGreaterThanOrEqual(40);
    expect(nps.score).toBeLessThanOrEqual(60);
    for (const cls of ['positive', 'neutral', 'negative'] as const) expect(nps.counts[cls]).toBeGreaterThan(0);
  });

  it('names moments, teams, technicians, comments and what mattered, as real answers would', async () => {
    const moments = async (slug: string) =>
      ((await a.admin(`/v1/sites/${slug}/report?groupBy=moment`, slug)) as { groups: Array<{ group: string; counts: { total: number } }> }).groups;
    expect((await moments(DEMO_SLUG)).map((g) => g.group)).toContain('ticket-closed');
    expect((await moments(DEMO_CSAT_SLUG)).map((g) => g.group).sort()).toEqual(['maintenance', 'onboarding', 'ticket-closed']);
    const npsMoments = await moments(DEMO_NPS_SLUG);
    expect(npsMoments.map((g) => g.group).sort()).toEqual(['onboarding', 'project', 'relationship']);
    // Mostly the relationship check-ins.
    const total = npsMoments.reduce((n, g) => n + g.counts.total, 0);
    expect(npsMoments.find((g) => g.group === 'relationship')!.counts.total / total).toBeGreaterThan(0.6);

    for (const slug of [DEMO_SLUG, DEMO_CSAT_SLUG, DEMO_NPS_SLUG]) {
      const teams = (await a.admin(`/v1/sites/${slug}/report?groupBy=team`, slug)) as { groups: unknown[] };
      const technicians = (await a.admin(`/v1/sites/${slug}/report?groupBy=technician`, slug)) as { groups: unknown[] };
      expect(teams.groups.length, slug).toBeGreaterThanOrEqual(1);
      expect(technicians.groups.length, slug).toBeGreaterThanOrEqual(3);
      const dims = (await a.admin(`/v1/sites/${slug}/report/dimensions`, slug)) as {
        rows: Array<{ dimension: string; count: { positive: number; neutral: number; negative: number } }>;
      };
      expect(dims.rows.map((r) => r.dimension), slug).toEqual([...DIMENSIONS]);
      const named = dims.rows.reduce((n, r) => n + r.count.positive + r.count.neutral + r.count.negative, 0);
      expect(named, slug).toBeGreaterThan(50);
      const inbox = (await a.admin(`/v1/sites/${slug}/responses?limit=100`, slug)) as { items: Array<{ comment: string | null }> };
      expect(inbox.items.some((i) => i.comment), slug).toBe(true);
    }
  });

  it('plans the same history for the same time, with every value on its scale and at most one answer per ticket', () => {
    for (const spec of DEMO_SITES) {
      const first = demoHistory(spec, NOW);
      expect(demoHistory(spec, NOW)).toEqual(first);
      expect(first.length).toBe(spec.answers.reduce((n, [, c]) => n + c, 0));
      expect(new Set(first.map((p) => p.ticketRef)).size).toBe(first.length);
      for (const plan of first) {
        expect(plan.at).toBeLessThan(NOW);
        expect(plan.at).toBeGreaterThan(NOW - 90 * 86_400_000);
        expect(spec.answers.map(([v]) => v)).toContain(plan.value);
      }
    }
  });

  it('seeds the same figures into another database, and a second seed changes nothing', async () => {
    const b = await seeded();
    try {
      for (const slug of [DEMO_SLUG, DEMO_CSAT_SLUG, DEMO_NPS_SLUG]) {
        const [sa, sb] = [await a.score(slug), await b.score(slug)];
        expect(sb.counts, slug).toEqual(sa.counts);
        expect(sb.distribution, slug).toEqual(sa.distribution);
        const path = `/v1/sites/${slug}/report?groupBy=week`;
        expect(await b.admin(path, slug), slug).toEqual(await a.admin(path, slug));
        const dims = `/v1/sites/${slug}/report/dimensions`;
        expect(await b.admin(dims, slug), slug).toEqual(await a.admin(dims, slug));
      }

      const before = { surveys: b.surveys(), scores: await Promise.all([DEMO_SLUG, DEMO_CSAT_SLUG, DEMO_NPS_SLUG].map(b.score)) };
      const again = await seedDemo(b.store, NOW + 60_000);
      expect(again.sites.map((s) => s.adminKey)).toEqual([null, null, null]);
      expect(again.sites.map((s) => s.site.id)).toEqual(b.result.sites.map((s) => s.site.id));
      expect(b.surveys()).toBe(before.surveys);
      expect(await Promise.all([DEMO_SLUG, DEMO_CSAT_SLUG, DEMO_NPS_SLUG].map(b.score))).toEqual(before.scores);
      expect((await b.store.listSites()).length).toBe(3);
    } finally {
      await b.store.close();
    }
  }, 120_000);
});
