// Contract: relationship campaigns (contacts, schedule, runs and their outcome per contact) on every
// store; then what only several instances over one PostgreSQL database need: a due run is started once.
import { randomBytes } from 'node:crypto';
import { describe, expect, it as plainIt } from 'vitest';
import type { NewCampaign } from '../../../../api/store/types-campaigns.js';
import { campaignRunner } from '../../../../api/campaigns/runs.js';
import { T0, TestClock, testConfig } from '../../helpers.js';
import { fileOpener, forEachStore, pgStore, type StoreUnderTest } from './stores.js';

const DAY = 86_400_000;

const open = fileOpener();

async function setUp(kind: StoreUnderTest) {
  const o = await open(kind);
  const { store } = o;
  const site = await store.createSite({ slug: 'acme', name: 'Acme IT' }, T0);
  const other = await store.createSite({ slug: 'other', name: 'Other IT' }, T0);
  const campaign = (id: string, extra: Partial<NewCampaign> = {}, now = T0) =>
    store.createCampaign(
      {
        id,
        siteId: site.id,
        name: 'Quarterly NPS',
        kind: 'nps',
        scale: null,
        moment: 'relationship',
        everyDays: 90,
        throttleDays: 30,
        startsAt: T0 + DAY,
        contacts: [
          { email: 'Ann@Client-One.example', name: 'Ann', locale: 'en' },
          { email: 'bo@client-two.example', name: null, locale: 'fr' },
        ],
        ...extra,
      },
      now,
    );
  return { o, store, site, other, campaign };
}

forEachStore('campaigns', 'campaigns', (kind, it) => {
  it('creates a campaign with its numbered contacts, due first at its start', async () => {
    const { store, site, other, campaign } = await setUp(kind);
    const made = await campaign('cp_one');
    expect(made).toEqual({
      id: 'cp_one', siteId: site.id, name: 'Quarterly NPS', kind: 'nps', scale: null, moment: 'relationship', everyDays: 90,
      throttleDays: 30, startsAt: T0 + DAY, nextRunAt: T0 + DAY, status: 'active', runs: 0, contacts: 2, createdAt: T0, updatedAt: T0,
    });
    expect(await store.listCampaignContacts('cp_one')).toEqual([
      { n: 1, email: 'ann@client-one.example', name: 'Ann', locale: 'en' },
      { n: 2, email: 'bo@client-two.example', name: null, locale: 'fr' },
    ]);
    const csat = await campaign('cp_csat', { kind: 'csat', scale: 5, everyDays: null, contacts: [] }, T0 + 1);
    expect(csat).toMatchObject({ kind: 'csat', scale: 5, everyDays: null, contacts: 0 });
    expect((await store.listCampaigns(site.id)).map((c) => c.id)).toEqual(['cp_one', 'cp_csat']);
    expect(await store.listCampaigns(other.id)).toEqual([]);
    expect(await store.getCampaign(site.id, 'cp_one')).toEqual(made);
    expect(await store.getCampaign(other.id, 'cp_one')).toBeNull();
    expect(await store.getCampaignById('cp_one')).toEqual(made);
    expect(await store.getCampaignById('cp_none')).toBeNull();
  });

  it('changes a campaign all at once; a replaced list keeps numbers and never reuses one', async () => {
    const { store, site, other, campaign } = await setUp(kind);
    await campaign('cp_one');
    const changed = await store.updateCampaign(site.id, 'cp_one', {
      name: 'Half-yearly NPS',
      throttleDays: 60,
      contacts: [{ email: 'cy@client-three.example', name: 'Cy', locale: null }, { email: 'BO@client-two.example', name: 'Bo', locale: 'fr' }],
    }, T0 + 5);
    expect(changed).toMatchObject({ name: 'Half-yearly NPS', throttleDays: 60, contacts: 2, status: 'active', nextRunAt: T0 + DAY, updatedAt: T0 + 5 });
    expect(await store.listCampaignContacts('cp_one')).toEqual([
      { n: 2, email: 'bo@client-two.example', name: 'Bo', locale: 'fr' },
      { n: 3, email: 'cy@client-three.example', name: 'Cy', locale: null },
    ]);
    await store.updateCampaign(site.id, 'cp_one', { contacts: [{ email: 'ann@client-one.example', name: null, locale: null }] }, T0 + 6);
    expect(await store.listCampaignContacts('cp_one')).toEqual([{ n: 4, email: 'ann@client-one.example', name: null, locale: null }]);
    expect(await store.updateCampaign(other.id, 'cp_one', { name: 'x' }, T0 + 7)).toBeNull();
    expect(await store.updateCampaign(site.id, 'cp_none', { name: 'x' }, T0 + 7)).toBeNull();
    expect((await store.getCampaignById('cp_one'))!.name).toBe('Half-yearly NPS');
    // A list with one address twice breaks its unique key: none of the change is kept.
    await expect(store.updateCampaign(site.id, 'cp_one', {
      name: 'Broken', contacts: [{ email: 'dee@x.example', name: null, locale: null }, { email: 'DEE@x.example', name: null, locale: null }],
    }, T0 + 8)).rejects.toThrow();
    expect(await store.getCampaignById('cp_one')).toMatchObject({ name: 'Half-yearly NPS', contacts: 1 });
  });

  it('pausing keeps the schedule, stopping clears it; only active campaigns are due', async () => {
    const { store, site, campaign } = await setUp(kind);
    await campaign('cp_late', { startsAt: T0 + 3 * DAY });
    await campaign('cp_early', { startsAt: T0 + DAY });
    await campaign('cp_paused', { startsAt: T0 });
    await campaign('cp_future', { startsAt: T0 + 30 * DAY });
    expect(await store.updateCampaign(site.id, 'cp_paused', { status: 'paused' }, T0)).toMatchObject({ status: 'paused', nextRunAt: T0 });
    expect((await store.dueCampaigns(T0 + 5 * DAY, 10)).map((c) => c.id)).toEqual(['cp_early', 'cp_late']);
    expect((await store.dueCampaigns(T0 + 5 * DAY, 1)).map((c) => c.id)).toEqual(['cp_early']);
    expect(await store.updateCampaign(site.id, 'cp_paused', { status: 'active' }, T0)).toMatchObject({ nextRunAt: T0 });
    expect((await store.dueCampaigns(T0 + 5 * DAY, 10)).map((c) => c.id)).toEqual(['cp_paused', 'cp_early', 'cp_late']);
    expect(await store.updateCampaign(site.id, 'cp_early', { status: 'stopped' }, T0 + 1)).toMatchObject({ status: 'stopped', nextRunAt: null });
    expect((await store.dueCampaigns(T0 + 5 * DAY, 10)).map((c) => c.id)).toEqual(['cp_paused', 'cp_late']);
  });

  it('starts a scheduled run once: its number is the next, and the schedule moves on', async () => {
    const { store, site, campaign } = await setUp(kind);
    await campaign('cp_one');
    const run = await store.startCampaignRun('cp_one', { trigger: 'schedule', dueAt: T0 + DAY, nextRunAt: T0 + 91 * DAY }, T0 + DAY + 7);
    expect(run).toEqual({
      campaignId: 'cp_one', seq: 1, trigger: 'schedule', dueAt: T0 + DAY, startedAt: T0 + DAY + 7, finishedAt: null,
      counts: { contacts: 0, issued: 0, throttled: 0, optedOut: 0, answered: 0 },
    });
    expect(await store.getCampaignById('cp_one')).toMatchObject({ runs: 1, nextRunAt: T0 + 91 * DAY, updatedAt: T0 + DAY + 7 });
    // Another process that read the same due time finds it moved on.
    expect(await store.startCampaignRun('cp_one', { trigger: 'schedule', dueAt: T0 + DAY, nextRunAt: T0 + 91 * DAY }, T0 + DAY + 8)).toBeNull();
    await store.updateCampaign(site.id, 'cp_one', { status: 'paused' }, T0 + DAY + 9);
    expect(await store.startCampaignRun('cp_one', { trigger: 'schedule', dueAt: T0 + 91 * DAY, nextRunAt: null }, T0 + 91 * DAY)).toBeNull();
    expect(await store.startCampaignRun('cp_none', { trigger: 'manual', nextRunAt: null }, T0)).toBeNull();
  });

  it('starts a manual run at once, keeping or ending the schedule as asked, only when active', async () => {
    const { store, site, campaign } = await setUp(kind);
    await campaign('cp_one');
    await campaign('cp_once', { everyDays: null });
    const manual = await store.startCampaignRun('cp_one', { trigger: 'manual', nextRunAt: 'unchanged' }, T0 + 5);
    expect(manual).toMatchObject({ seq: 1, trigger: 'manual', dueAt: T0 + 5, startedAt: T0 + 5 });
    expect(await store.getCampaignById('cp_one')).toMatchObject({ runs: 1, nextRunAt: T0 + DAY });
    expect(await store.startCampaignRun('cp_once', { trigger: 'manual', nextRunAt: null }, T0 + 6)).toMatchObject({ seq: 1 });
    expect(await store.getCampaignById('cp_once')).toMatchObject({ runs: 1, nextRunAt: null });
    expect(await store.startCampaignRun('cp_one', { trigger: 'manual', nextRunAt: 'unchanged' }, T0 + 7)).toMatchObject({ seq: 2 });
    await store.updateCampaign(site.id, 'cp_one', { status: 'stopped' }, T0 + 8);
    expect(await store.startCampaignRun('cp_one', { trigger: 'manual', nextRunAt: 'unchanged' }, T0 + 9)).toBeNull();
    expect((await store.listCampaignRuns('cp_one')).map((r) => [r.seq, r.trigger])).toEqual([[1, 'manual'], [2, 'manual']]);
  });

  it('records what a run did per contact, idempotently, and finishes it once', async () => {
    const { store, site, campaign } = await setUp(kind);
    await campaign('cp_one');
    const { survey } = await store.createSurvey({ siteId: site.id, ticketRef: 'cp_one/1/1', tokenId: randomBytes(16), expiresAt: T0 + 30 * DAY, campaignId: 'cp_one' }, T0);
    await store.startCampaignRun('cp_one', { trigger: 'manual', nextRunAt: 'unchanged' }, T0 + 1);
    await store.startCampaignRun('cp_one', { trigger: 'manual', nextRunAt: 'unchanged' }, T0 + 2);
    await store.recordRunItem('cp_one', 1, { n: 2, status: 'throttled', surveyId: null });
    await store.recordRunItem('cp_one', 1, { n: 1, status: 'issued', surveyId: survey.id });
    await store.recordRunItem('cp_one', 1, { n: 1, status: 'issued', surveyId: survey.id }); // a resumed run
    await store.recordRunItem('cp_one', 1, { n: 3, status: 'opted_out', surveyId: null });
    expect(await store.listRunItems('cp_one', 1)).toEqual([
      { n: 1, status: 'issued', surveyId: survey.id },
      { n: 2, status: 'throttled', surveyId: null },
      { n: 3, status: 'opted_out', surveyId: null },
    ]);
    expect(await store.listRunItems('cp_one', 2)).toEqual([]);
    expect((await store.unfinishedCampaignRuns()).map((r) => [r.campaignId, r.seq])).toEqual([['cp_one', 1], ['cp_one', 2]]);
    await store.finishCampaignRun('cp_one', 1, T0 + 10);
    await store.finishCampaignRun('cp_one', 1, T0 + 20);
    expect(await store.getCampaignRun('cp_one', 1)).toEqual({
      campaignId: 'cp_one', seq: 1, trigger: 'manual', dueAt: T0 + 1, startedAt: T0 + 1, finishedAt: T0 + 10,
      counts: { contacts: 3, issued: 1, throttled: 1, optedOut: 1, answered: 0 },
    });
    expect(await store.getCampaignRun('cp_one', 3)).toBeNull();
    expect((await store.unfinishedCampaignRuns()).map((r) => r.seq)).toEqual([2]);
    expect((await store.listCampaignRuns('cp_one')).map((r) => [r.seq, r.counts.contacts, r.finishedAt])).toEqual([[1, 3, T0 + 10], [2, 0, null]]);
    // An issued item must name its survey, a skipped one must not.
    await expect(store.recordRunItem('cp_one', 2, { n: 1, status: 'issued', surveyId: null })).rejects.toThrow();
  });

  if (kind.name === 'postgres' && !kind.parts.has('core')) {
    plainIt.todo('a run counts the issued surveys that have an answer (needs the PostgreSQL core\'s submitResponse)');
  } else {
    it('a run counts the issued surveys that have an answer', async () => {
      const { store, site, campaign } = await setUp(kind);
      await campaign('cp_one', { kind: 'reaction' });
      const run = (await store.startCampaignRun('cp_one', { trigger: 'manual', nextRunAt: 'unchanged' }, T0))!;
      for (const n of [1, 2]) {
        const { survey } = await store.createSurvey({ siteId: site.id, ticketRef: `cp_one/1/${n}`, tokenId: randomBytes(16), expiresAt: T0 + DAY, campaignId: 'cp_one' }, T0);
        await store.recordRunItem('cp_one', run.seq, { n, status: 'issued', surveyId: survey.id });
        if (n === 1) await store.submitResponse({ survey, reaction: 'positive', changeWindowMs: DAY }, T0 + 1);
      }
      expect((await store.getCampaignRun('cp_one', run.seq))!.counts).toEqual({ contacts: 2, issued: 2, throttled: 0, optedOut: 0, answered: 1 });
    });
  }
});

describe('campaign runs across PostgreSQL instances', () => {
  const kind = pgStore;

  plainIt('two instances starting the same due run at once: one starts it, the other gets nothing', async () => {
    const { o, store, campaign } = await setUp(kind);
    const second = await o.another();
    for (let i = 0; i < 10; i++) await campaign(`cp_${i}`);
    const claim = { trigger: 'schedule' as const, dueAt: T0 + DAY, nextRunAt: T0 + 91 * DAY };
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => [store.startCampaignRun(`cp_${i}`, claim, T0 + DAY), second.startCampaignRun(`cp_${i}`, claim, T0 + DAY)]).flat(),
    );
    for (let i = 0; i < 10; i++) {
      const pair = results.slice(2 * i, 2 * i + 2);
      expect(pair.filter((r) => r !== null)).toEqual([expect.objectContaining({ campaignId: `cp_${i}`, seq: 1 })]);
    }
    expect(await o.count('SELECT count(*) FROM campaign_runs')).toBe(10);
    expect(await o.count('SELECT count(*) FROM campaigns WHERE runs = 1 AND next_run_at = ?', T0 + 91 * DAY)).toBe(10);
  });

  plainIt('two instances running due campaigns at once, and both resuming one cut-short run, issue each survey and email once', async () => {
    const { o, store, site, campaign } = await setUp(kind);
    await store.setEmailSettings(site.id, { senderEmail: 'surveys@acme.example' });
    const second = await o.another();
    const contacts = [1, 2, 3].map((i) => ({ email: `c${i}@client.example`, name: null, locale: null }));
    for (let i = 0; i < 4; i++) await campaign(`cp_${i}`, { throttleDays: 0, startsAt: T0, contacts });
    // A run a stopped process left unfinished: both instances find it and resume it.
    await campaign('cp_cut', { throttleDays: 0, startsAt: T0 + 365 * DAY, contacts });
    await store.startCampaignRun('cp_cut', { trigger: 'manual', nextRunAt: 'unchanged' }, T0);
    const clock = new TestClock(T0 + 1);
    const config = testConfig();
    const runners = [store, second].map((s) => campaignRunner({ store: s, clock, config, logError: () => {} }));
    await Promise.all(runners.map((r) => r.runDue()));
    expect(await o.count('SELECT count(*) FROM campaign_runs')).toBe(5);
    expect(await o.count('SELECT count(*) FROM campaign_runs WHERE finished_at IS NULL')).toBe(0);
    expect(await o.count('SELECT count(*) FROM surveys WHERE campaign_id IS NOT NULL')).toBe(15);
    expect(await o.count(`SELECT count(*) FROM email_outbox WHERE status = 'queued'`)).toBe(15);
    expect(await o.count('SELECT count(DISTINCT ticket_ref) FROM surveys')).toBe(15);
    for (const id of ['cp_0', 'cp_1', 'cp_2', 'cp_3', 'cp_cut']) {
      expect((await store.getCampaignRun(id, 1))!.counts).toMatchObject({ contacts: 3, issued: 3 });
    }
  });
});
