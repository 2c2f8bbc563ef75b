// The SQLite side of relationship campaigns (see types-campaigns.ts): campaigns, their contacts, their
// runs and each run's outcome per contact. The surveys a run issues are ordinary surveys (with
// campaign_id set), written by the survey service in their own transactions.
import type Database from 'better-sqlite3';
import { nextRunAtAfterStatus, numberContacts } from '../domain/campaign-contacts.js';
import type { Locale } from '../domain/locale.js';
import type {
  CampaignContact,
  CampaignStore,
  NewCampaignContact,
  RunItem,
  RunItemStatus,
} from './types-campaigns.js';
import { toCampaign, toRun, type CampaignRow, type RunRow } from './rows-campaigns.js';

/** The migration step's SQL; its version number lives in migrations.ts. */
export const CAMPAIGN_SCHEMA = `
  CREATE TABLE campaigns (
    id TEXT PRIMARY KEY,
    site_id INTEGER NOT NULL REFERENCES sites(id),
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('reaction', 'csat', 'nps')),
    -- 0 = none, as in surveys.scale
    scale INTEGER NOT NULL DEFAULT 0 CHECK (scale IN (0, 3, 5, 10)),
    moment TEXT NOT NULL,
    -- NULL: runs once
    every_days INTEGER CHECK (every_days IS NULL OR every_days BETWEEN 1 AND 3650),
    throttle_days INTEGER NOT NULL CHECK (throttle_days BETWEEN 0 AND 3650),
    starts_at INTEGER NOT NULL,
    next_run_at INTEGER,
    status TEXT NOT NULL CHECK (status IN ('active', 'paused', 'stopped')),
    runs INTEGER NOT NULL DEFAULT 0 CHECK (runs >= 0),
    -- Contact numbers are never reused, so a ticketRef <campaign>/<run>/<n> always names one contact.
    next_contact_n INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    CHECK (status <> 'stopped' OR next_run_at IS NULL)
  ) STRICT;
  CREATE INDEX campaigns_site ON campaigns(site_id, created_at);
  CREATE INDEX campaigns_due ON campaigns(next_run_at) WHERE status = 'active' AND next_run_at IS NOT NULL;

  CREATE TABLE campaign_contacts (
    campaign_id TEXT NOT NULL REFERENCES campaigns(id),
    n INTEGER NOT NULL,
    email TEXT NOT NULL CHECK (email = lower(email)),
    name TEXT,
    locale TEXT CHECK (locale IN ('en', 'fr', 'ar')),
    PRIMARY KEY (campaign_id, n),
    UNIQUE (campaign_id, email)
  ) STRICT, WITHOUT ROWID;

  CREATE TABLE campaign_runs (
    campaign_id TEXT NOT NULL REFERENCES campaigns(id),
    seq INTEGER NOT NULL CHECK (seq >= 1),
    trigger TEXT NOT NULL CHECK (trigger IN ('schedule', 'manual')),
    due_at INTEGER NOT NULL,
    started_at INTEGER NOT NULL,
    finished_at INTEGER,
    PRIMARY KEY (campaign_id, seq)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX campaign_runs_unfinished ON campaign_runs(started_at) WHERE finished_at IS NULL;

  -- One row per contact a run handled; the survey itself (ticketRef <campaign>/<run>/<n>) is the record
  -- that makes a resumed run idempotent, this row is its outcome for the run's counts. No address here:
  -- a contact's address lives in campaign_contacts and on its surveys only, where erasure finds it.
  CREATE TABLE campaign_run_items (
    campaign_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    n INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('issued', 'throttled', 'opted_out')),
    survey_id TEXT REFERENCES surveys(id),
    CHECK ((status = 'issued') = (survey_id IS NOT NULL)),
    PRIMARY KEY (campaign_id, seq, n),
    FOREIGN KEY (campaign_id, seq) REFERENCES campaign_runs(campaign_id, seq)
  ) STRICT, WITHOUT ROWID;
`;

interface ContactRow {
  n: number;
  email: string;
  name: string | null;
  locale: Locale | null;
}

const toContact = (r: ContactRow): CampaignContact => ({ n: r.n, email: r.email, name: r.name, locale: r.locale });

const CAMPAIGN_SELECT = `SELECT c.*, (SELECT count(*) FROM campaign_contacts k WHERE k.campaign_id = c.id) AS contact_count FROM campaigns c`;

const RUN_SELECT = `
  SELECT r.campaign_id, r.seq, r.trigger, r.due_at, r.started_at, r.finished_at,
         count(i.n) AS contacts, coalesce(sum(i.status = 'issued'), 0) AS issued,
         coalesce(sum(i.status = 'throttled'), 0) AS throttled, coalesce(sum(i.status = 'opted_out'), 0) AS opted_out,
         count(a.id) AS answered
  FROM campaign_runs r
  LEFT JOIN campaign_run_items i ON i.campaign_id = r.campaign_id AND i.seq = r.seq
  LEFT JOIN responses a ON a.survey_id = i.survey_id`;

export function sqliteCampaigns(db: Database.Database): CampaignStore {
  const q = {
    insertCampaign: db.prepare(
      `INSERT INTO campaigns (id, site_id, name, kind, scale, moment, every_days, throttle_days, starts_at, next_run_at, status, created_at, updated_at)
       VALUES (@id, @siteId, @name, @kind, @scale, @moment, @everyDays, @throttleDays, @startsAt, @startsAt, 'active', @now, @now)`,
    ),
    byId: db.prepare<[string], CampaignRow>(`${CAMPAIGN_SELECT} WHERE c.id = ?`),
    bySite: db.prepare<[number], CampaignRow>(`${CAMPAIGN_SELECT} WHERE c.site_id = ? ORDER BY c.created_at, c.id`),
    due: db.prepare<[number, number], CampaignRow>(
      `${CAMPAIGN_SELECT} WHERE c.status = 'active' AND c.next_run_at IS NOT NULL AND c.next_run_at <= ? ORDER BY c.next_run_at, c.id LIMIT ?`,
    ),
    contacts: db.prepare<[string], ContactRow>('SELECT n, email, name, locale FROM campaign_contacts WHERE campaign_id = ? ORDER BY n'),
    deleteContacts: db.prepare('DELETE FROM campaign_contacts WHERE campaign_id = ?'),
    insertContact: db.prepare('INSERT INTO campaign_contacts (campaign_id, n, email, name, locale) VALUES (@campaignId, @n, @email, @name, @locale)'),
    nextContactN: db.prepare<[string], { next_contact_n: number }>('SELECT next_contact_n FROM campaigns WHERE id = ?'),
    setNextContactN: db.prepare('UPDATE campaigns SET next_contact_n = ? WHERE id = ?'),
    update: db.prepare(
      `UPDATE campaigns SET name = @name, status = @status, throttle_days = @throttleDays, next_run_at = @nextRunAt, updated_at = @now
       WHERE id = @id`,
    ),
    claimScheduled: db.prepare<[{ id: string; dueAt: number; nextRunAt: number | null; now: number }], { runs: number }>(
      `UPDATE campaigns SET runs = runs + 1, next_run_at = @nextRunAt, updated_at = @now
       WHERE id = @id AND status = 'active' AND next_run_at = @dueAt RETURNING runs`,
    ),
    claimManual: db.prepare<[{ id: string; keep: number; nextRunAt: number | null; now: number }], { runs: number }>(
      `UPDATE campaigns SET runs = runs + 1, next_run_at = CASE WHEN @keep THEN next_run_at ELSE @nextRunAt END, updated_at = @now
       WHERE id = @id AND status = 'active' RETURNING runs`,
    ),
    insertRun: db.prepare(
      `INSERT INTO campaign_runs (campaign_id, seq, trigger, due_at, started_at) VALUES (@campaignId, @seq, @trigger, @dueAt, @now)`,
    ),
    upsertItem: db.prepare(
      `INSERT INTO campaign_run_items (campaign_id, seq, n, status, survey_id) VALUES (@campaignId, @seq, @n, @status, @surveyId)
       ON CONFLICT (campaign_id, seq, n) DO UPDATE SET status = excluded.status, survey_id = excluded.survey_id`,
    ),
    finishRun: db.prepare('UPDATE campaign_runs SET finished_at = ? WHERE campaign_id = ? AND seq = ? AND finished_at IS NULL'),
    runs: db.prepare<[string], RunRow>(`${RUN_SELECT} WHERE r.campaign_id = ? GROUP BY r.campaign_id, r.seq ORDER BY r.seq`),
    run: db.prepare<[string, number], RunRow>(`${RUN_SELECT} WHERE r.campaign_id = ? AND r.seq = ? GROUP BY r.campaign_id, r.seq`),
    unfinished: db.prepare<[], RunRow>(`${RUN_SELECT} WHERE r.finished_at IS NULL GROUP BY r.campaign_id, r.seq ORDER BY r.started_at`),
    items: db.prepare<[string, number], { n: number; status: RunItemStatus; survey_id: string | null }>(
      'SELECT n, status, survey_id FROM campaign_run_items WHERE campaign_id = ? AND seq = ? ORDER BY n',
    ),
  };

  /** Replaces the list; an address already on it keeps its number, a new one gets a never-used number. */
  const putContacts = (campaignId: string, contacts: readonly NewCampaignContact[]) => {
    const numbered = numberContacts(q.contacts.all(campaignId), q.nextContactN.get(campaignId)!.next_contact_n, contacts);
    q.deleteContacts.run(campaignId);
    for (const contact of numbered.contacts) q.insertContact.run({ campaignId, ...contact });
    q.setNextContactN.run(numbered.nextUnused, campaignId);
  };

  const create = db.transaction((input: Parameters<CampaignStore['createCampaign']>[0], now: number) => {
    const { contacts, ...campaign } = input;
    q.insertCampaign.run({ ...campaign, scale: campaign.scale ?? 0, now });
    putContacts(input.id, contacts);
    return toCampaign(q.byId.get(input.id)!);
  });

  const update = db.transaction((siteId: number, id: string, change: Parameters<CampaignStore['updateCampaign']>[2], now: number) => {
    const row = q.byId.get(id);
    if (!row || row.site_id !== siteId) return null;
    const status = change.status ?? row.status;
    q.update.run({
      id,
      name: change.name ?? row.name,
      status,
      throttleDays: change.throttleDays ?? row.throttle_days,
      nextRunAt: nextRunAtAfterStatus(status, row.next_run_at),
      now,
    });
    if (change.contacts) putContacts(id, change.contacts);
    return toCampaign(q.byId.get(id)!);
  });

  const start = db.transaction((campaignId: string, claim: Parameters<CampaignStore['startCampaignRun']>[1], now: number) => {
    const claimed =
      claim.trigger === 'schedule'
        ? q.claimScheduled.get({ id: campaignId, dueAt: claim.dueAt, nextRunAt: claim.nextRunAt, now })
        : q.claimManual.get({ id: campaignId, keep: claim.nextRunAt === 'unchanged' ? 1 : 0, nextRunAt: claim.nextRunAt === 'unchanged' ? null : claim.nextRunAt, now });
    if (!claimed) return null;
    const dueAt = claim.trigger === 'schedule' ? claim.dueAt : now;
    q.insertRun.run({ campaignId, seq: claimed.runs, trigger: claim.trigger, dueAt, now });
    return toRun(q.run.get(campaignId, claimed.runs)!);
  });

  return {
    async createCampaign(input, now) {
      return create.immediate(input, now);
    },
    async listCampaigns(siteId) {
      return q.bySite.all(siteId).map(toCampaign);
    },
    async getCampaign(siteId, id) {
      const row = q.byId.get(id);
      return row && row.site_id === siteId ? toCampaign(row) : null;
    },
    async getCampaignById(id) {
      const row = q.byId.get(id);
      return row ? toCampaign(row) : null;
    },
    async updateCampaign(siteId, id, change, now) {
      return update.immediate(siteId, id, change, now);
    },
    async listCampaignContacts(campaignId) {
      return q.contacts.all(campaignId).map(toContact);
    },
    async dueCampaigns(now, limit) {
      return q.due.all(now, limit).map(toCampaign);
    },
    async startCampaignRun(campaignId, claim, now) {
      return start.immediate(campaignId, claim, now);
    },
    async recordRunItem(campaignId, seq, item) {
      q.upsertItem.run({ campaignId, seq, n: item.n, status: item.status, surveyId: item.surveyId });
    },
    async finishCampaignRun(campaignId, seq, now) {
      q.finishRun.run(now, campaignId, seq);
    },
    async unfinishedCampaignRuns() {
      return q.unfinished.all().map(toRun);
    },
    async listCampaignRuns(campaignId) {
      return q.runs.all(campaignId).map(toRun);
    },
    async getCampaignRun(campaignId, seq) {
      const row = q.run.get(campaignId, seq);
      return row ? toRun(row) : null;
    },
    async listRunItems(campaignId, seq) {
      return q.items.all(campaignId, seq).map((r): RunItem => ({ n: r.n, status: r.status, surveyId: r.survey_id }));
    },
  };
}
