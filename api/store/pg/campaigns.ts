// The PostgreSQL side of relationship campaigns, as api/store/sqlite-campaigns.ts keeps them: campaigns,
// their contacts, their runs and each run's outcome per contact. A run is claimed by a conditional
// UPDATE of the campaign's row: the row lock makes a second instance wait, then find it no longer due.
import { nextRunAtAfterStatus, numberContacts } from '../../domain/campaign-contacts.js';
import type { Locale } from '../../domain/locale.js';
import type {
  CampaignContact,
  CampaignStore,
  NewCampaignContact,
  RunItem,
  RunItemStatus,
} from '../types-campaigns.js';
import { transaction, type Sql, type Tx } from './connection.js';
import { toCampaign, toRun, type CampaignRow, type RunRow } from '../rows-campaigns.js';

const CAMPAIGN_SELECT = `
  SELECT c.id, c.site_id, c.name, c.kind, c.scale, c.moment, c.every_days, c.throttle_days, c.starts_at, c.next_run_at,
         c.status, c.runs, c.created_at, c.updated_at,
         (SELECT count(*) FROM campaign_contacts k WHERE k.campaign_id = c.id) AS contact_count
  FROM campaigns c`;

const RUN_SELECT = `
  SELECT r.campaign_id, r.seq, r.trigger, r.due_at, r.started_at, r.finished_at,
         count(i.n) AS contacts, count(*) FILTER (WHERE i.status = 'issued') AS issued,
         count(*) FILTER (WHERE i.status = 'throttled') AS throttled, count(*) FILTER (WHERE i.status = 'opted_out') AS opted_out,
         count(a.id) AS answered
  FROM campaign_runs r
  LEFT JOIN campaign_run_items i ON i.campaign_id = r.campaign_id AND i.seq = r.seq
  LEFT JOIN responses a ON a.survey_id = i.survey_id`;

export function pgCampaigns(sql: Sql): CampaignStore {
  const campaignOf = async (db: Sql | Tx, id: string) => {
    const [row] = await db.unsafe<CampaignRow[]>(`${CAMPAIGN_SELECT} WHERE c.id = $1`, [id]);
    return row;
  };
  const runOf = async (db: Sql | Tx, campaignId: string, seq: number) => {
    const [row] = await db.unsafe<RunRow[]>(`${RUN_SELECT} WHERE r.campaign_id = $1 AND r.seq = $2 GROUP BY r.campaign_id, r.seq`, [campaignId, seq]);
    return row;
  };
  const contactsOf = (db: Sql | Tx, campaignId: string) =>
    db<CampaignContact[]>`SELECT n, email, name, locale FROM campaign_contacts WHERE campaign_id = ${campaignId} ORDER BY n`;

  /** Replaces the list, numbered by domain/campaign-contacts.ts; the caller holds the campaign's row lock. */
  const putContacts = async (tx: Tx, campaignId: string, contacts: readonly NewCampaignContact[]) => {
    const [row] = await tx<{ next_contact_n: number }[]>`SELECT next_contact_n FROM campaigns WHERE id = ${campaignId} FOR UPDATE`;
    const numbered = numberContacts(await contactsOf(tx, campaignId), row!.next_contact_n, contacts);
    await tx`DELETE FROM campaign_contacts WHERE campaign_id = ${campaignId}`;
    for (const c of numbered.contacts) {
      await tx`
        INSERT INTO campaign_contacts (campaign_id, n, email, name, locale)
        VALUES (${campaignId}, ${c.n}, ${c.email}, ${c.name}, ${c.locale as Locale | null})`;
    }
    await tx`UPDATE campaigns SET next_contact_n = ${numbered.nextUnused} WHERE id = ${campaignId}`;
  };

  return {
    async createCampaign(input, now) {
      return transaction(sql, async (tx) => {
        const { contacts, ...c } = input;
        await tx`
          INSERT INTO campaigns (id, site_id, name, kind, scale, moment, every_days, throttle_days, starts_at, next_run_at, status, created_at, updated_at)
          VALUES (${c.id}, ${c.siteId}, ${c.name}, ${c.kind}, ${c.scale ?? 0}, ${c.moment}, ${c.everyDays}, ${c.throttleDays},
                  ${c.startsAt}, ${c.startsAt}, 'active', ${now}, ${now})`;
        await putContacts(tx, input.id, contacts);
        return toCampaign((await campaignOf(tx, input.id))!);
      });
    },
    async listCampaigns(siteId) {
      const rows = await sql.unsafe<CampaignRow[]>(`${CAMPAIGN_SELECT} WHERE c.site_id = $1 ORDER BY c.created_at, c.id`, [siteId]);
      return rows.map(toCampaign);
    },
    async getCampaign(siteId, id) {
      const row = await campaignOf(sql, id);
      return row && row.site_id === siteId ? toCampaign(row) : null;
    },
    async getCampaignById(id) {
      const row = await campaignOf(sql, id);
      return row ? toCampaign(row) : null;
    },
    async updateCampaign(siteId, id, change, now) {
      return transaction(sql, async (tx) => {
        const [locked] = await tx`SELECT 1 FROM campaigns WHERE id = ${id} AND site_id = ${siteId} FOR UPDATE`;
        if (!locked) return null;
        const row = (await campaignOf(tx, id))!;
        const status = change.status ?? row.status;
        await tx`
          UPDATE campaigns SET name = ${change.name ?? row.name}, status = ${status}, throttle_days = ${change.throttleDays ?? row.throttle_days},
            next_run_at = ${nextRunAtAfterStatus(status, row.next_run_at)}::bigint, updated_at = ${now}
          WHERE id = ${id}`;
        if (change.contacts) await putContacts(tx, id, change.contacts);
        return toCampaign((await campaignOf(tx, id))!);
      });
    },
    async listCampaignContacts(campaignId) {
      return [...(await contactsOf(sql, campaignId))].map((r) => ({ n: r.n, email: r.email, name: r.name, locale: r.locale }));
    },
    async dueCampaigns(now, limit) {
      const rows = await sql.unsafe<CampaignRow[]>(
        `${CAMPAIGN_SELECT} WHERE c.status = 'active' AND c.next_run_at IS NOT NULL AND c.next_run_at <= $1 ORDER BY c.next_run_at, c.id LIMIT $2`,
        [now, limit],
      );
      return rows.map(toCampaign);
    },
    async startCampaignRun(campaignId, claim, now) {
      return transaction(sql, async (tx) => {
        // Read committed: a second instance's UPDATE waits for the first one's row lock, then re-reads
        // the row and, for a scheduled run, finds next_run_at moved on, so it claims nothing.
        const [claimed] =
          claim.trigger === 'schedule'
            ? await tx<{ runs: number }[]>`
                UPDATE campaigns SET runs = runs + 1, next_run_at = ${claim.nextRunAt}::bigint, updated_at = ${now}
                WHERE id = ${campaignId} AND status = 'active' AND next_run_at = ${claim.dueAt} RETURNING runs`
            : await tx<{ runs: number }[]>`
                UPDATE campaigns SET runs = runs + 1, updated_at = ${now},
                  next_run_at = CASE WHEN ${claim.nextRunAt === 'unchanged'} THEN next_run_at ELSE ${claim.nextRunAt === 'unchanged' ? null : claim.nextRunAt}::bigint END
                WHERE id = ${campaignId} AND status = 'active' RETURNING runs`;
        if (!claimed) return null;
        const dueAt = claim.trigger === 'schedule' ? claim.dueAt : now;
        await tx`
          INSERT INTO campaign_runs (campaign_id, seq, trigger, due_at, started_at)
          VALUES (${campaignId}, ${claimed.runs}, ${claim.trigger}, ${dueAt}, ${now})`;
        return toRun((await runOf(tx, campaignId, claimed.runs))!);
      });
    },
    async recordRunItem(campaignId, seq, item) {
      await sql`
        INSERT INTO campaign_run_items (campaign_id, seq, n, status, survey_id)
        VALUES (${campaignId}, ${seq}, ${item.n}, ${item.status}, ${item.surveyId})
        ON CONFLICT (campaign_id, seq, n) DO UPDATE SET status = excluded.status, survey_id = excluded.survey_id`;
    },
    async finishCampaignRun(campaignId, seq, now) {
      await sql`UPDATE campaign_runs SET finished_at = ${now} WHERE campaign_id = ${campaignId} AND seq = ${seq} AND finished_at IS NULL`;
    },
    async unfinishedCampaignRuns() {
      const rows = await sql.unsafe<RunRow[]>(`${RUN_SELECT} WHERE r.finished_at IS NULL GROUP BY r.campaign_id, r.seq ORDER BY r.started_at, r.campaign_id, r.seq`);
      return rows.map(toRun);
    },
    async listCampaignRuns(campaignId) {
      const rows = await sql.unsafe<RunRow[]>(`${RUN_SELECT} WHERE r.campaign_id = $1 GROUP BY r.campaign_id, r.seq ORDER BY r.seq`, [campaignId]);
      return rows.map(toRun);
    },
    async getCampaignRun(campaignId, seq) {
      const row = await runOf(sql, campaignId, seq);
      return row ? toRun(row) : null;
    },
    async listRunItems(campaignId, seq) {
      const rows = await sql<{ n: number; status: RunItemStatus; survey_id: string | null }[]>`
        SELECT n, status, survey_id FROM campaign_run_items WHERE campaign_id = ${campaignId} AND seq = ${seq} ORDER BY n`;
      return rows.map((r): RunItem => ({ n: r.n, status: r.status, surveyId: r.survey_id }));
    },
  };
}
