// Rows of campaigns and their runs as both stores read them (a run with its counts), and the store's objects
// made from them.
import type { SurveyKind } from '../domain/kinds.js';
import type { Campaign, CampaignRun, CampaignStatus, RunTrigger } from './types-campaigns.js';

export interface CampaignRow {
  id: string;
  site_id: number;
  name: string;
  kind: SurveyKind;
  scale: number;
  moment: string;
  every_days: number | null;
  throttle_days: number;
  starts_at: number;
  next_run_at: number | null;
  status: CampaignStatus;
  runs: number;
  created_at: number;
  updated_at: number;
  contact_count: number;
}

export interface RunRow {
  campaign_id: string;
  seq: number;
  trigger: RunTrigger;
  due_at: number;
  started_at: number;
  finished_at: number | null;
  contacts: number;
  issued: number;
  throttled: number;
  opted_out: number;
  answered: number;
}

export const toCampaign = (r: CampaignRow): Campaign => ({
  id: r.id,
  siteId: r.site_id,
  name: r.name,
  kind: r.kind,
  scale: r.scale || null,
  moment: r.moment,
  everyDays: r.every_days,
  throttleDays: r.throttle_days,
  startsAt: r.starts_at,
  nextRunAt: r.next_run_at,
  status: r.status,
  runs: r.runs,
  contacts: r.contact_count,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export const toRun = (r: RunRow): CampaignRun => ({
  campaignId: r.campaign_id,
  seq: r.seq,
  trigger: r.trigger,
  dueAt: r.due_at,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  counts: { contacts: r.contacts, issued: r.issued, throttled: r.throttled, optedOut: r.opted_out, answered: r.answered },
});
