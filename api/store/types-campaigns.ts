// The relationship-campaign part of the Store interface: campaigns (a survey sent to each client contact
// every few months), their contacts, their runs and what each run did per contact. When a campaign is
// due, who is skipped and what a run issues is decided above the store (api/campaigns/); stores keep the
// rows, claim runs and answer queries.
import type { Locale } from '../domain/locale.js';
import type { SurveyKind } from '../domain/kinds.js';

/** `stopped` is final; a paused campaign keeps its schedule and runs again once resumed. */
export const CAMPAIGN_STATUSES = ['active', 'paused', 'stopped'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

export interface CampaignContact {
  /** Stable number of the contact in its campaign (kept when the list is replaced): part of the
   * ticketRef of the contact's surveys, so a run resumed after a crash finds what it already issued. */
  n: number;
  /** Lower-cased. */
  email: string;
  name: string | null;
  locale: Locale | null;
}

export type NewCampaignContact = Omit<CampaignContact, 'n'>;

export interface Campaign {
  id: string;
  siteId: number;
  name: string;
  kind: SurveyKind;
  scale: number | null;
  moment: string;
  /** null: runs once. */
  everyDays: number | null;
  /** A contact who got any survey of the site within this many days is skipped; 0 = never skipped. */
  throttleDays: number;
  startsAt: number;
  /** When the next scheduled run is due; null when nothing more is scheduled. */
  nextRunAt: number | null;
  status: CampaignStatus;
  /** Runs started so far (the last run's number). */
  runs: number;
  contacts: number;
  createdAt: number;
  updatedAt: number;
}

export interface NewCampaign {
  id: string;
  siteId: number;
  name: string;
  kind: SurveyKind;
  scale: number | null;
  moment: string;
  everyDays: number | null;
  throttleDays: number;
  startsAt: number;
  contacts: NewCampaignContact[];
}

export interface CampaignChange {
  name?: string;
  status?: CampaignStatus;
  throttleDays?: number;
  /** Replaces the whole list; contacts already on it keep their number. */
  contacts?: NewCampaignContact[];
}

export type RunTrigger = 'schedule' | 'manual';

/** What a run did for one contact. */
export const RUN_ITEM_STATUSES = ['issued', 'throttled', 'opted_out'] as const;
export type RunItemStatus = (typeof RUN_ITEM_STATUSES)[number];

export interface RunCounts {
  contacts: number;
  issued: number;
  throttled: number;
  optedOut: number;
  /** Issued surveys that have an answer. */
  answered: number;
}

export interface CampaignRun {
  campaignId: string;
  seq: number;
  trigger: RunTrigger;
  /** The scheduled time it ran for (the start time of a manual run). */
  dueAt: number;
  startedAt: number;
  /** null while running, or when the process running it stopped (it is resumed). */
  finishedAt: number | null;
  counts: RunCounts;
}

export interface RunItem {
  /** The contact's number in its campaign. */
  n: number;
  status: RunItemStatus;
  surveyId: string | null;
}

/** How to claim a run: a scheduled one only if the campaign is still due at `dueAt` (so two processes
 * never both start it); `nextRunAt` is the schedule after it, decided by the caller. */
export type RunClaim =
  | { trigger: 'schedule'; dueAt: number; nextRunAt: number | null }
  | { trigger: 'manual'; nextRunAt: number | null | 'unchanged' };

export interface CampaignStore {
  /** The campaign and its contacts, in one transaction. */
  createCampaign(input: NewCampaign, now: number): Promise<Campaign>;
  listCampaigns(siteId: number): Promise<Campaign[]>;
  getCampaign(siteId: number, id: string): Promise<Campaign | null>;
  getCampaignById(id: string): Promise<Campaign | null>;
  /** All of the change or none of it; null when the site has no such campaign. Stopping also clears
   * the schedule. */
  updateCampaign(siteId: number, id: string, change: CampaignChange, now: number): Promise<Campaign | null>;
  listCampaignContacts(campaignId: string): Promise<CampaignContact[]>;
  /** Active campaigns whose next run is due at `now`, oldest due first. */
  dueCampaigns(now: number, limit: number): Promise<Campaign[]>;
  /** Records a new run (its number is the campaign's next) and moves the schedule, in one transaction;
   * null when the campaign is not active, or (scheduled) no longer due at that time. */
  startCampaignRun(campaignId: string, claim: RunClaim, now: number): Promise<CampaignRun | null>;
  /** Idempotent per (campaign, run, contact): a resumed run records the same contact again. */
  recordRunItem(campaignId: string, seq: number, item: RunItem): Promise<void>;
  finishCampaignRun(campaignId: string, seq: number, now: number): Promise<void>;
  /** Runs started but not finished (their process stopped): to be resumed. */
  unfinishedCampaignRuns(): Promise<CampaignRun[]>;
  listCampaignRuns(campaignId: string): Promise<CampaignRun[]>;
  getCampaignRun(campaignId: string, seq: number): Promise<CampaignRun | null>;
  listRunItems(campaignId: string, seq: number): Promise<RunItem[]>;
}
