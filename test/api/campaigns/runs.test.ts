// Campaign runs over months of fake time: the schedule, the per-contact throttle across ticket and
// campaign surveys, opt-outs, email delivery, and a run resumed after a crash without a double send.
import { describe, expect, it } from 'vitest';
import { startCampaignWorker } from '../../../api/campaigns/worker.js';
import { campaignRunner } from '../../../api/campaigns/runs.js';
import { DAY_MS } from '../../../api/domain/window.js';
import type { Store } from '../../../api/store/types.js';
import { T0 } from '../helpers.js';
import { campaignApi, CONTACTS } from './helpers.js';

const HOUR_MS = 3_600_000;

/** Moves the fake clock in steps over `days`, letting the worker do a round after each step. */
async function live(api: Awaited<ReturnType<typeof campaignApi>>, days: number, stepMs: number) {
  const worker = startCampaignWorker({ store: api.store, clock: api.clock, config: api.config, intervalMs: 3_600_000 });
  try {
    await worker.runOnce();
    const end = api.clock.now() + days * DAY_MS;
    while (api.clock.now() + stepMs <= end) {
      api.clock.advance(stepMs);
      await worker.runOnce();
    }
  } finally {
    await worker.stop();
  }
}

describe('campaign runs driven by time', () => {
  it('every 90 days with a 90-day throttle: runs on days 0, 90 and 180 over 200 days, 3 surveys per contact', async () => {
    const api = await campaignApi();
    // Started 6 hours ago: the first run goes out 6 hours late, the next ones (7-hour steps, as a polling
    // worker's) less late, which must not make them fall inside the 90 days of the previous run.
    const startsAt = T0 - 6 * HOUR_MS;
    const created = await api.call('POST', '', { name: 'Quarterly NPS', kind: 'nps', contacts: CONTACTS, everyDays: 90, throttleDays: 90, startsAt: new Date(startsAt).toISOString() });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ kind: 'nps', scale: null, moment: 'relationship', everyDays: 90, throttleDays: 90, status: 'active', contactCount: 3 });

    await live(api, 200, 7 * HOUR_MS);

    expect(api.surveysPerContact(created.body.id)).toEqual({ 'ana@client-one.example': 3, 'bo@client-two.example': 3, 'chen@client-three.example': 3 });
    const { body } = await api.call('GET', `/${created.body.id}`);
    expect(body.runs.map((r: { dueAt: string }) => (Date.parse(r.dueAt) - startsAt) / DAY_MS)).toEqual([0, 90, 180]);
    for (const run of body.runs) {
      expect(run).toMatchObject({ trigger: 'schedule', counts: { contacts: 3, issued: 3, throttled: 0, optedOut: 0, answered: 0 } });
      expect(run.finishedAt).not.toBeNull();
    }
    expect(body.nextRunAt).toBe(new Date(startsAt + 270 * DAY_MS).toISOString());
  });

  it('every 60 days with a 90-day throttle: the run inside the throttle skips every contact', async () => {
    const api = await campaignApi();
    const created = await api.call('POST', '', { name: 'Bimonthly CSAT', kind: 'csat', scale: 5, contacts: CONTACTS, everyDays: 60 });
    expect(created.body.throttleDays).toBe(90);

    await live(api, 200, DAY_MS);

    // Days 0, 60, 120, 180: surveyed on 0 and 120; 60 and 180 fall within 90 days of the last survey.
    expect(api.surveysPerContact(created.body.id)).toEqual({ 'ana@client-one.example': 2, 'bo@client-two.example': 2, 'chen@client-three.example': 2 });
    const { body } = await api.call('GET', `/${created.body.id}`);
    expect(body.runs.map((r: { counts: { issued: number; throttled: number } }) => [r.counts.issued, r.counts.throttled])).toEqual([
      [3, 0],
      [0, 3],
      [3, 0],
      [0, 3],
    ]);
    const kinds = api.store.db.prepare('SELECT DISTINCT kind, scale, moment FROM surveys WHERE campaign_id = ?').all(created.body.id);
    expect(kinds).toEqual([{ kind: 'csat', scale: 5, moment: 'relationship' }]);
  });

  it('a paused campaign does not run; resumed, it runs its missed time once', async () => {
    const api = await campaignApi();
    const created = await api.call('POST', '', { name: 'Monthly', kind: 'reaction', contacts: CONTACTS, everyDays: 30, throttleDays: 0 });
    const id = created.body.id;
    expect((await api.call('PATCH', `/${id}`, { status: 'paused' })).body.status).toBe('paused');
    await live(api, 100, DAY_MS);
    expect(api.surveysPerContact(id)).toEqual({});
    expect((await api.call('PATCH', `/${id}`, { status: 'active' })).body.status).toBe('active');
    await live(api, 1, DAY_MS);
    const { body } = await api.call('GET', `/${id}`);
    expect(body.runs).toHaveLength(1);
    expect(Date.parse(body.nextRunAt)).toBe(T0 + 120 * DAY_MS);
  });
});

describe('who a run skips', () => {
  it('a contact who answered a ticket survey yesterday is not surveyed again within the throttle', async () => {
    const api = await campaignApi();
    const ticket = await api.createSurvey('T-1001', { contact: { email: 'Ana@Client-One.example' } });
    const answered = await api.react(ticket.token, 'positive');
    expect(answered.status).toBeLessThan(300);
    api.clock.advanceDays(1);

    const created = await api.call('POST', '', { name: 'Once', kind: 'nps', contacts: CONTACTS });
    const run = await api.call('POST', `/${created.body.id}/run`);
    expect(run.status).toBe(201);
    expect(run.body.counts).toEqual({ contacts: 3, issued: 2, throttled: 1, optedOut: 0, answered: 0 });
    const ana = run.body.surveys.find((s: { email: string }) => s.email === 'ana@client-one.example');
    expect(ana).toMatchObject({ status: 'throttled', surveyId: null, link: null });
    // No email set up: the run hands back the links to send.
    for (const s of run.body.surveys.filter((x: { status: string }) => x.status === 'issued')) {
      expect(s.link).toMatch(/^https:\/\/csat\.example\.com\/s\/\S+$/);
      expect(s.ticketRef).toMatch(new RegExp(`^${created.body.id}/1/\\d+$`));
      expect(s.ticketRef).not.toContain('@');
      const survey = (await api.store.getSurvey(api.site.id, s.surveyId))!;
      expect(survey).toMatchObject({ kind: 'nps', scale: null, moment: 'relationship', campaignId: created.body.id, contactEmail: s.email });
    }
    // A once campaign is finished after its run; running it again is refused and sends nothing.
    expect((await api.call('GET', `/${created.body.id}`)).body).toMatchObject({ status: 'finished', nextRunAt: null, runCount: 1 });

    // The campaign's throttle counts any survey of the site, in whole days with a day of tolerance for a
    // late run: 88 days after Bo's survey another campaign skips Bo, 91 days after it does not.
    api.clock.advanceDays(88);
    const again = await api.call('POST', '', { name: 'Again', kind: 'nps', contacts: [CONTACTS[1]] });
    expect((await api.call('POST', `/${again.body.id}/run`)).body.counts).toMatchObject({ issued: 0, throttled: 1 });
    api.clock.advanceDays(3);
    const later = await api.call('POST', '', { name: 'Later', kind: 'nps', contacts: [CONTACTS[1]] });
    expect((await api.call('POST', `/${later.body.id}/run`)).body.counts).toMatchObject({ issued: 1, throttled: 0 });
  });

  it('a campaign survey is answered on its own kind\'s scale and counts as answered in its run', async () => {
    const api = await campaignApi();
    const { body } = await api.call('POST', '', { name: 'NPS', kind: 'nps', contacts: CONTACTS });
    const run = await api.call('POST', `/${body.id}/run`);
    const token = (run.body.surveys[0].link as string).split('/s/')[1]!;
    expect(await (await api.app.request(`/v1/responses/${token}`)).json()).toMatchObject({ answered: false, kind: 'nps', moment: 'relationship' });
    expect((await api.json('POST', '/v1/responses', { token, reaction: 'positive' })).status).toBe(400);
    const answer = await api.json('POST', '/v1/responses', { token, score: 6 });
    expect(answer.status).toBe(201);
    expect(await answer.json()).toMatchObject({ kind: 'nps', score: 6, reaction: 'negative' });
    expect((await api.call('GET', `/${body.id}`)).body.runs[0].counts).toEqual({ contacts: 3, issued: 3, throttled: 0, optedOut: 0, answered: 1 });
  });

  it('skips contacts who opted out, and queues emails instead of links when the site sends email', async () => {
    const api = await campaignApi();
    await api.store.optOut(api.site.id, 'bo@client-two.example', T0);
    await api.store.setEmailSettings(api.site.id, { senderEmail: 'surveys@acme.example' });
    const created = await api.call('POST', '', { name: 'Emailed', kind: 'csat', scale: 10, contacts: CONTACTS, everyDays: 180 });
    const run = await api.call('POST', `/${created.body.id}/run`);
    expect(run.body.counts).toEqual({ contacts: 3, issued: 2, throttled: 0, optedOut: 1, answered: 0 });
    for (const s of run.body.surveys) {
      if (s.email === 'bo@client-two.example') expect(s).toMatchObject({ status: 'opted_out', surveyId: null });
      else expect(s).toMatchObject({ status: 'issued', link: null, emailStatus: 'queued' });
    }
    expect((await api.store.listEmails(api.site.id, 10)).filter((e) => e.status === 'queued')).toHaveLength(2);
    // A manual run keeps a recurring campaign's schedule.
    expect((await api.call('GET', `/${created.body.id}`)).body.nextRunAt).toBe(new Date(T0).toISOString());
    const detail = await api.call('GET', `/${created.body.id}/runs/1`);
    expect(detail.body.surveys.map((s: { status: string }) => s.status).sort()).toEqual(['issued', 'issued', 'opted_out']);
  });

  it('a run cut short by a crash is resumed without sending anyone a second survey or email', async () => {
    const api = await campaignApi();
    await api.store.setEmailSettings(api.site.id, { senderEmail: 'surveys@acme.example' });
    const created = await api.call('POST', '', { name: 'Crash', kind: 'nps', contacts: CONTACTS, everyDays: 90 });
    const id = created.body.id;

    // The process dies after the second contact's survey was written, before the run noted it.
    let calls = 0;
    const failing = Object.create(api.store) as Store;
    failing.recordRunItem = async (...args) => {
      calls += 1;
      if (calls === 2) throw new Error('process killed');
      return api.store.recordRunItem(...args);
    };
    const crashed = campaignRunner({ store: failing, clock: api.clock, config: api.config, logError: () => {} });
    expect(await crashed.runDue()).toBe(0);
    expect((await api.store.unfinishedCampaignRuns()).map((r) => r.seq)).toEqual([1]);
    expect(Object.values(api.surveysPerContact(id)).reduce((a, b) => a + b, 0)).toBe(2);

    api.clock.advance(60_000);
    const restarted = campaignRunner({ store: api.store, clock: api.clock, config: api.config });
    expect(await restarted.runDue()).toBe(1);
    expect(api.surveysPerContact(id)).toEqual({ 'ana@client-one.example': 1, 'bo@client-two.example': 1, 'chen@client-three.example': 1 });
    expect(await api.store.listEmails(api.site.id, 10)).toHaveLength(3);
    const { body } = await api.call('GET', `/${id}`);
    expect(body.runs).toEqual([expect.objectContaining({ run: 1, counts: { contacts: 3, issued: 3, throttled: 0, optedOut: 0, answered: 0 } })]);
    expect(await restarted.runDue()).toBe(0);
  });

  it('a server shutting down mid-run leaves the run unfinished, and the next start finishes it', async () => {
    const api = await campaignApi();
    const { body } = await api.call('POST', '', { name: 'Shutdown', kind: 'nps', contacts: CONTACTS });
    const runner = campaignRunner({ store: api.store, clock: api.clock, config: api.config });
    // The stop arrives once the first contact's survey is written.
    const written = () => Object.keys(api.surveysPerContact(body.id)).length;
    expect(await runner.runDue({ stopping: () => written() >= 1 })).toBe(0);
    expect(Object.keys(api.surveysPerContact(body.id))).toHaveLength(1);
    expect((await api.call('GET', `/${body.id}`)).body.runs).toEqual([expect.objectContaining({ run: 1, finishedAt: null })]);

    expect(await runner.runDue()).toBe(1);
    expect(Object.values(api.surveysPerContact(body.id))).toEqual([1, 1, 1]);
    expect((await api.call('GET', `/${body.id}`)).body).toMatchObject({ status: 'finished', runCount: 1, runs: [{ counts: { issued: 3 } }] });
  });
});
