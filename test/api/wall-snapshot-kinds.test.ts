// The wall's snapshot (api/services/wall-snapshot.ts) and the inbox rows of a CSAT or NPS site: the score, the
// day's and week's classes and the weekly trend in the site's kind; each recent answer with its kind,
// value and moment; the inbox filters by moment and refuses a malformed one.
import { describe, expect, it } from 'vitest';
import { wallSnapshot } from '../../api/services/wall-snapshot.js';
import { testApi } from './helpers.js';

async function npsSite() {
  const t = await testApi({ site: { kind: 'nps' } });
  const answer = async (ticketRef: string, score: number, extra: Record<string, unknown> = {}) => {
    t.clock.advance(60_000);
    const { token } = await t.createSurvey(ticketRef, extra);
    const res = await t.json('POST', '/v1/responses', { token, score });
    expect(res.status).toBe(201);
  };
  return { ...t, answer };
}

describe('wallSnapshot on an NPS site', () => {
  it('scores, counts and trends in NPS classes; recent answers carry kind, score and moment', async () => {
    const t = await npsSite();
    // 2 promoters, 1 passive, 1 detractor: 50% - 25% = NPS 25.
    await t.answer('N-1', 10);
    await t.answer('N-2', 9, { moment: 'onboarding' });
    await t.answer('N-3', 7);
    await t.answer('N-4', 2);
    const snapshot = await wallSnapshot(t.store, t.site, t.clock.now());
    expect(snapshot.score).toMatchObject({ kind: 'nps', score: 25 });
    expect(snapshot.today).toEqual({ positive: 2, neutral: 1, negative: 1, total: 4 });
    expect(snapshot.week).toEqual(snapshot.today);
    expect(snapshot.trend.at(-1)).toMatchObject({ score: 25, total: 4 });
    expect(snapshot.recent.map((r) => [r.kind, r.score, r.reaction, r.moment])).toEqual([
      ['nps', 2, 'negative', 'ticket-closed'],
      ['nps', 7, 'neutral', 'ticket-closed'],
      ['nps', 9, 'positive', 'onboarding'],
      ['nps', 10, 'positive', 'ticket-closed'],
    ]);
  });

  it('a week of only detractors trends at -100, not at a reaction score', async () => {
    const t = await npsSite();
    await t.answer('N-1', 0);
    const snapshot = await wallSnapshot(t.store, t.site, t.clock.now());
    expect(snapshot.trend.at(-1)).toMatchObject({ score: -100, total: 1 });
  });
});

describe('wallSnapshot on a CSAT site', () => {
  it('scores the share of satisfied answers', async () => {
    const t = await testApi({ site: { kind: 'csat', scale: 5 } });
    for (const [ref, score] of [['C-1', 5], ['C-2', 4], ['C-3', 3], ['C-4', 1]] as const) {
      t.clock.advance(60_000);
      const { token } = await t.createSurvey(ref);
      expect((await t.json('POST', '/v1/responses', { token, score })).status).toBe(201);
    }
    const snapshot = await wallSnapshot(t.store, t.site, t.clock.now());
    expect(snapshot.score).toMatchObject({ kind: 'csat', scale: 5, score: 50 });
    // 2 of 4 satisfied: a trend at 50, where the reaction formula would say 25.
    expect(snapshot.trend.at(-1)).toMatchObject({ score: 50, total: 4 });
    expect(snapshot.recent.map((r) => `${r.score} of ${r.scale}`)).toEqual(['1 of 5', '3 of 5', '4 of 5', '5 of 5']);
  });
});

describe('GET /v1/sites/:site/responses on an NPS site', () => {
  it('rows say kind, scale, score, moment and dimensions; ?moment= filters; a malformed moment is a 400', async () => {
    const t = await npsSite();
    await t.answer('N-1', 6);
    await t.answer('N-2', 10, { moment: 'onboarding' });
    const auth = { Authorization: `Bearer ${t.key}` };
    const all = await t.json('GET', '/v1/sites/acme/responses', undefined, auth);
    const { items } = (await all.json()) as { items: Array<Record<string, unknown>> };
    expect(items.map(({ ticketRef, kind, scale, score, reaction, moment, dimensions }) => ({ ticketRef, kind, scale, score, reaction, moment, dimensions }))).toEqual([
      { ticketRef: 'N-2', kind: 'nps', scale: null, score: 10, reaction: 'positive', moment: 'onboarding', dimensions: [] },
      { ticketRef: 'N-1', kind: 'nps', scale: null, score: 6, reaction: 'negative', moment: 'ticket-closed', dimensions: [] },
    ]);
    const onboarding = (await (await t.json('GET', '/v1/sites/acme/responses?moment=onboarding', undefined, auth)).json()) as { items: Array<{ ticketRef: string }> };
    expect(onboarding.items.map((i) => i.ticketRef)).toEqual(['N-2']);
    const bad = await t.json('GET', '/v1/sites/acme/responses?moment=Not%20A%20Moment', undefined, auth);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('invalid_request');
  });
});
