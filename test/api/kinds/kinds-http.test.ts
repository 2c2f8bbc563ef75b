// Each survey kind end to end over HTTP: survey, answer, change of mind, score, SVG badge, CSV export,
// report by moment and by dimension, the public score limited to some moments, and `csat verify`.
import { describe, expect, it } from 'vitest';
import { parseImportCsv } from '../../../api/services/import-csv.js';
import { verifyLocal } from '../../../api/cli/verify.js';
import type { NewSite } from '../../../api/store/types.js';
import { testApi } from '../helpers.js';

async function kindApi(site: Partial<NewSite>) {
  const t = await testApi({ site: { industry: 'it-services', ...site } });
  const auth = { Authorization: `Bearer ${t.key}` };
  const answer = (token: string, body: Record<string, unknown>) => t.json('POST', '/v1/responses', { token, ...body });
  const get = async (url: string) => {
    const res = await t.app.request(url, { headers: auth });
    expect(res.status, url).toBe(200);
    return res;
  };
  return { ...t, auth, answer, get };
}

type Score = { kind: string; scale: number | null; score: number | null; counts: Record<string, number>; distribution: Array<{ value: number; count: number }> | null; benchmark: unknown };

describe('an NPS site', () => {
  it('takes scores 0-10, scores promoters minus detractors, and shows "NPS" on the badge', async () => {
    const t = await kindApi({ kind: 'nps' });
    const answers = [10, 10, 9, 9, 9, 8, 7, 6, 3, 0];
    for (const [i, score] of answers.entries()) {
      const { token } = await t.createSurvey(`T-${i}`, { moment: i < 5 ? 'onboarding' : 'project' });
      const res = await t.answer(token, { score });
      expect(res.status).toBe(201);
      expect(await res.json()).toMatchObject({ kind: 'nps', scale: null, score, reaction: score >= 9 ? 'positive' : score >= 7 ? 'neutral' : 'negative' });
    }
    const body = (await t.score()) as unknown as Score;
    // 5 promoters, 2 passives, 3 detractors of 10: 50 - 30 = 20.
    expect(body).toMatchObject({ kind: 'nps', scale: null, score: 20, benchmark: null });
    expect(body.counts).toMatchObject({ positive: 5, neutral: 2, negative: 3, total: 10 });
    expect(body.distribution!.map((d) => d.count)).toEqual([1, 0, 0, 1, 0, 0, 1, 1, 1, 3, 2]);
    const svg = await (await t.app.request('/v1/sites/acme/badge.svg')).text();
    expect(svg).toContain('>NPS 20<');
    expect(svg).toContain('Net Promoter Score: 20 on a scale from -100 to 100');
  });

  it('gives a link per number of the scale when the survey is created, which preselects and records nothing', async () => {
    const t = await kindApi({ kind: 'nps' });
    const { links } = await t.createSurvey('T-1');
    expect(Object.keys(links).sort()).toEqual(['page', ...Array.from({ length: 11 }, (_, i) => String(i))].sort());
    expect(links['9']).toBe(`${links.page}?r=9`);
    const opened = await t.app.request(links['9']!.replace('https://csat.example.com', ''));
    expect(opened.status).toBe(200);
    expect((await t.score()).score).toBeNull();
  });

  it('refuses a reaction, a score off the scale or both at once, with 400 and nothing recorded', async () => {
    const t = await kindApi({ kind: 'nps' });
    const { token } = await t.createSurvey('T-1');
    for (const body of [{ reaction: 'positive' }, { score: 11 }, { score: -1 }, { score: 2.5 }, { score: '9' }, { score: 9, reaction: 'positive' }, {}]) {
      const res = await t.answer(token, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toMatch(/^invalid_(answer|request)$/);
    }
    expect((await t.score()).score).toBeNull();
    expect(await t.store.listEvents(t.site.id)).toEqual([]);
  });

  it('lets the respondent change their mind: 9 to 4 moves a promoter to the detractors, opens a follow-up, and chains the new value', async () => {
    const t = await kindApi({ kind: 'nps' });
    const { token } = await t.createSurvey('T-1');
    expect((await t.answer(token, { score: 9 })).status).toBe(201);
    expect((await t.score()).score).toBe(100);
    t.clock.advanceDays(1);
    const changed = await t.answer(token, { score: 4, comment: 'Actually the fix did not hold.' });
    expect(changed.status).toBe(200);
    expect((await t.score()).score).toBe(-100);
    const inbox = (await (await t.get('/v1/sites/acme/responses')).json()) as { items: Array<{ followUp: string; score: number; reaction: string }> };
    expect(inbox.items[0]).toMatchObject({ followUp: 'open', score: 4, reaction: 'negative' });
    // A change inside one class is a change too: the event chain carries the value.
    expect((await t.answer(token, { score: 5 })).status).toBe(200);
    const events = await t.store.listEvents(t.site.id);
    expect(events.map((e) => [e.type, e.value])).toEqual([['submit', 9], ['change', 4], ['change', 5]]);
    const lines: string[] = [];
    expect(await verifyLocal(t.store, t.site, t.clock.now(), (l) => lines.push(l))).toBe(0);
    expect(lines.join('\n')).toContain('Published score: -100');
  });
});

describe('a CSAT site', () => {
  it('on 1-5, scores the share of 4s and 5s ("CSAT 75%"), with the distribution of the scale', async () => {
    const t = await kindApi({ kind: 'csat', scale: 5 });
    for (const [i, score] of [5, 5, 4, 2].entries()) {
      const { token } = await t.createSurvey(`T-${i}`);
      expect((await t.answer(token, { score })).status).toBe(201);
    }
    const body = (await t.score()) as unknown as Score;
    expect(body).toMatchObject({ kind: 'csat', scale: 5, score: 75, benchmark: null });
    expect(body.distribution).toEqual([{ value: 1, count: 0 }, { value: 2, count: 1 }, { value: 3, count: 0 }, { value: 4, count: 1 }, { value: 5, count: 2 }]);
    expect(await (await t.app.request('/v1/sites/acme/badge.svg')).text()).toContain('>CSAT 75%<');
  });

  it('refuses 0 and 6 on a 1-5 scale, and takes 10 only on 1-10', async () => {
    const five = await kindApi({ kind: 'csat', scale: 5 });
    const { token } = await five.createSurvey('T-1');
    expect((await five.answer(token, { score: 0 })).status).toBe(400);
    expect((await five.answer(token, { score: 6 })).status).toBe(400);
    const ten = await kindApi({ kind: 'csat', scale: 10 });
    const other = await ten.createSurvey('T-1');
    expect((await ten.answer(other.token, { score: 10 })).status).toBe(201);
    expect((await ten.score()).score).toBe(100);
  });

  it('stores what mattered, keeps it when a comment is saved, and reports it per dimension and class', async () => {
    const t = await kindApi({ kind: 'csat', scale: 5 });
    const a = await t.createSurvey('T-1');
    const b = await t.createSurvey('T-2');
    const c = await t.createSurvey('T-3');
    expect((await t.answer(a.token, { score: 2, dimensions: ['responsiveness', 'empathy'] })).status).toBe(201);
    expect((await t.answer(b.token, { score: 1, dimensions: ['responsiveness'] })).status).toBe(201);
    expect((await t.answer(c.token, { score: 5, dimensions: ['reliability'] })).status).toBe(201);
    // The comment is saved by posting the same answer again; the choice stays.
    const saved = await t.answer(a.token, { score: 2, comment: 'Slow to answer.' });
    expect(await saved.json()).toMatchObject({ dimensions: ['responsiveness', 'empathy'], comment: 'Slow to answer.' });
    expect((await t.answer(a.token, { score: 2, dimensions: ['speed'] })).status).toBe(400);
    expect((await t.answer(a.token, { score: 2, dimensions: ['empathy', 'empathy'] })).status).toBe(400);

    const report = (await (await t.get('/v1/sites/acme/report/dimensions')).json()) as {
      kind: string;
      answers: Record<string, number>;
      rows: Array<{ dimension: string; percent: Record<string, number | null> }>;
    };
    expect(report.kind).toBe('csat');
    expect(report.answers).toEqual({ positive: 1, neutral: 0, negative: 2 });
    const row = (d: string) => report.rows.find((r) => r.dimension === d)!.percent;
    expect(row('responsiveness')).toEqual({ positive: 0, neutral: null, negative: 100 });
    expect(row('empathy')).toEqual({ positive: 0, neutral: null, negative: 50 });
    expect(row('reliability')).toEqual({ positive: 100, neutral: null, negative: 0 });
  });
});

describe('moments', () => {
  it('groups the report by moment with each group scored in the site\'s kind, and exports score, moment and dimensions', async () => {
    const t = await kindApi({ kind: 'nps' });
    const plan: Array<[string, number]> = [['onboarding', 10], ['onboarding', 9], ['maintenance', 3], ['ticket-closed', 8]];
    for (const [i, [moment, score]] of plan.entries()) {
      const { token } = await t.createSurvey(`T-${i}`, moment === 'ticket-closed' ? {} : { moment });
      expect((await t.answer(token, { score, dimensions: i === 0 ? ['assurance', 'tangibles'] : [] })).status).toBe(201);
    }
    const report = (await (await t.get('/v1/sites/acme/report?groupBy=moment')).json()) as { kind: string; groups: Array<{ group: string; score: number }> };
    expect(report.kind).toBe('nps');
    expect(Object.fromEntries(report.groups.map((g) => [g.group, g.score]))).toEqual({ maintenance: -100, onboarding: 100, 'ticket-closed': 0 });

    const csv = await (await t.get('/v1/sites/acme/responses.csv')).text();
    const [header, ...rows] = csv.trim().split('\r\n');
    const cols = header!.split(',');
    const cell = (row: string, name: string) => row.split(',')[cols.indexOf(name)];
    const onboarding = rows.find((r) => r.includes(',T-0,'))!;
    expect([cell(onboarding, 'kind'), cell(onboarding, 'score'), cell(onboarding, 'moment'), cell(onboarding, 'dimensions')]).toEqual(['nps', '10', 'onboarding', 'assurance tangibles']);
  });

  it('limits the public score to the site\'s score moments, and refuses a bad moment on a survey', async () => {
    const t = await kindApi({ kind: 'reaction' });
    const plan: Array<[string, string]> = [['project', 'negative'], ['ticket-closed', 'positive']];
    for (const [i, [moment, reaction]] of plan.entries()) {
      const { token } = await t.createSurvey(`T-${i}`, { moment });
      expect((await t.react(token, reaction)).status).toBe(201);
    }
    expect((await t.score()).score).toBe(0);
    await t.store.updateSite('acme', { scoreMoments: ['ticket-closed'] });
    t.clock.advance(1); // a new event time, so the cached score is recomputed
    const { token } = await t.createSurvey('T-9', { moment: 'ticket-closed' });
    await t.react(token, 'positive');
    const limited = await t.score();
    expect(limited.score).toBe(100);
    expect(limited.moments).toEqual(['ticket-closed']);

    const bad = await t.json('POST', '/v1/sites/acme/surveys', { ticketRef: 'T-X', moment: 'Not A Moment' }, t.auth);
    expect(bad.status).toBe(400);
  });
});

describe('import per kind', () => {
  it('reads a score column on an NPS site, refuses reactions or scores off the scale, and counts the rows', async () => {
    const t = await kindApi({ kind: 'nps' });
    const now = t.clock.now();
    const bad = parseImportCsv('date,ticketRef,score\n2026-11-01,A-1,11\n2026-11-01,A-2,x\n', now, t.site);
    expect(bad.ok).toBe(false);
    expect(parseImportCsv('date,ticketRef,reaction\n2026-11-01,A-1,positive\n', now, t.site).ok).toBe(false);
    const good = parseImportCsv('date,ticketRef,score,comment,moment\n2026-11-01,A-1,10,,project\n2026-11-02,A-2,0,late,\n', now, t.site);
    expect(good.ok).toBe(true);
    if (!good.ok) return;
    await t.store.importResponses(t.site.id, good.rows, now);
    const score = await t.score();
    expect(score.score).toBe(0);
    expect(score.counts).toMatchObject({ positive: 1, negative: 1, imported: 2 });
    const lines: string[] = [];
    expect(await verifyLocal(t.store, t.site, now, (l) => lines.push(l))).toBe(0);
  });
});
