// The storage contract. Everything outside store/ talks to data only through this interface, so a
// PostgreSQL implementation can replace SQLite without touching routes or domain code. Methods take the
// current time as an argument: the store never reads a clock of its own.
import type { ChainEvent } from '../domain/chain.js';
import type { Locale } from '../domain/locale.js';
import type { FollowUp } from '../domain/follow-up.js';
import type { Reaction, ReactionCounts } from '../domain/reaction.js';
import type { KindScale, SurveyKind } from '../domain/kinds.js';
import type { Dimension, DimensionTally } from '../domain/dimensions.js';
import type { WebhookStore } from './types-webhooks.js';
import type { EmailStore } from './types-email.js';
import type { ConnectorStore } from './types-connectors.js';
import type { LogStore } from './types-log.js';
import type { HeldStore } from './types-held.js';
import type { ErasureStore } from './types-erasure.js';
import type { CampaignStore } from './types-campaigns.js';
import type { ChangeFeedStore } from './types-changes.js';

export type * from './types-webhooks.js';
export type * from './types-connectors.js';

export type { SurveyKind } from '../domain/kinds.js';

export interface Site {
  id: number;
  slug: string;
  name: string;
  /** The kind of the site's ticket surveys and of its public score; fixed at creation. */
  kind: SurveyKind;
  /** Points of a CSAT scale (3, 5 or 10); null for the other kinds. Fixed at creation. */
  scale: number | null;
  /** The moments the public score counts; null counts every moment. */
  scoreMoments: string[] | null;
  /** Days in the rolling score window. */
  windowDays: number;
  /** Days after the first answer during which the respondent may change it. */
  changeWindowDays: number;
  /** Days a survey link stays valid for a first answer. */
  tokenTtlDays: number;
  industry: string | null;
  /** Language of the survey page and email when the respondent's browser does not ask for another. */
  locale: Locale;
  /** 0 = off; else a contact gets at most one survey per this many days. */
  throttleDays: number;
  createdAt: number;
}

export interface NewSite {
  slug: string;
  name: string;
  kind?: SurveyKind;
  scale?: number | null;
  scoreMoments?: string[] | null;
  windowDays?: number;
  changeWindowDays?: number;
  tokenTtlDays?: number;
  industry?: string | null;
  locale?: Locale;
  throttleDays?: number;
}

/** Settings an operator may change after creation (the slug never changes: it names the event chain). */
export type SiteSettings = Partial<Omit<NewSite, 'slug' | 'kind' | 'scale'>>;

/** `admin` keys run the site; `wall` keys may only read the live feed (an office monitor). */
export type KeyScope = 'admin' | 'wall';

export interface AdminKey {
  id: string;
  siteId: number;
  scope: KeyScope;
  hash: Buffer;
  label: string | null;
  createdAt: number;
  revokedAt: number | null;
}

export interface Survey {
  id: string;
  siteId: number;
  ticketRef: string;
  tokenId: Buffer;
  team: string | null;
  technician: string | null;
  contactEmail: string | null;
  contactName: string | null;
  locale: Locale | null;
  createdAt: number;
  expiresAt: number;
  /** Its token is never shown to operators again: only the survey email (sent by csat-badge) carries it. */
  sealed: boolean;
  kind: SurveyKind;
  scale: number | null;
  /** What the survey measures: `ticket-closed`, `onboarding`, `maintenance`, `project` or a site's own. */
  moment: string;
  /** The relationship campaign that issued it; null for ticket surveys. */
  campaignId: string | null;
}

export interface NewSurvey {
  siteId: number;
  ticketRef: string;
  tokenId: Buffer;
  team?: string | null;
  technician?: string | null;
  contactEmail?: string | null;
  contactName?: string | null;
  locale?: Locale | null;
  expiresAt: number;
  sealed?: boolean;
  /** Default: the site's kind and scale. */
  kind?: SurveyKind;
  scale?: number | null;
  /** Default: `ticket-closed`. */
  moment?: string;
  campaignId?: string | null;
  /** Survey fatigue: when set and the contact already got a survey created after this time, no new
   * survey is made and that earlier survey is returned with `throttled: true`. */
  throttleSince?: number;
}

export type ResponseSource = 'survey' | 'import';

export interface StoredResponse {
  id: string;
  siteId: number;
  surveyId: string | null;
  ticketRef: string;
  /** The answer's class: the reaction itself, or for CSAT and NPS the class of `value`. */
  reaction: Reaction;
  kind: SurveyKind;
  scale: number | null;
  /** The answer on its kind's scale (reactions: 1, 0, -1). */
  value: number;
  moment: string;
  /** "What mattered most?", in canonical order; empty when not answered. */
  dimensions: Dimension[];
  comment: string | null;
  source: ResponseSource;
  createdAt: number;
  updatedAt: number;
  /** Fixed at the first answer (a later site setting never moves it); null for imported ratings. */
  changeableUntil?: number | null;
}

export interface Submission {
  survey: Survey;
  /** The answer: `value` on the survey's scale, or for reaction surveys `reaction` (either one). */
  reaction?: Reaction;
  value?: number;
  /** `undefined` keeps the current choice; checked by the caller. */
  dimensions?: Dimension[];
  /** `undefined` keeps the current comment on a change; `null` clears it. */
  comment?: string | null;
  /** The change window of a first answer (ms): stored as its changeableUntil; a change is checked
   * against the stored time, never against this. */
  changeWindowMs: number;
  /** Demo history: recorded like any answer, counted as seeded in the score's origin. */
  seeded?: boolean;
}

/** Where the window's ratings came from, from the per-day counts (at most one row per day read). */
export interface OriginCounts {
  imported: number;
  /** UTC day numbers of the first and last day with an imported rating; null without any. */
  firstImportedDay: number | null;
  lastImportedDay: number | null;
  seeded: number;
  /** First answers to sealed surveys (the operator never saw their token). */
  sealed: number;
}

/** Surveys issued and first answers given on one UTC day. */
export interface DayActivity {
  day: number;
  issued: number;
  answered: number;
}

export type SubmitOutcome =
  | { status: 'created'; response: StoredResponse }
  | { status: 'changed'; response: StoredResponse }
  | { status: 'window_closed'; response: StoredResponse };

export interface ImportRow {
  /** 1-based line of the source file, for error messages. */
  line: number;
  respondedAt: number;
  ticketRef: string;
  /** For reaction sites; CSAT and NPS sites give `value`. */
  reaction?: Reaction;
  value?: number;
  /** Default: `ticket-closed`. */
  moment?: string;
  comment: string | null;
}

/** A response as operators see it: the rating, the survey's context, and their follow-up state. */
export interface InboxItem extends StoredResponse {
  followUp: FollowUp;
  team: string | null;
  technician: string | null;
  contactEmail: string | null;
  contactName: string | null;
  notes: number;
}

export interface Note {
  author: string;
  text: string;
  /** The follow-up state this note moved the response to, if it did. */
  followUp: FollowUp | null;
  at: number;
}

export interface InboxFilter {
  reaction?: Reaction;
  moment?: string;
  kind?: SurveyKind;
  followUp?: FollowUp;
  team?: string;
  technician?: string;
  /** createdAt bounds, inclusive since, exclusive until. */
  since?: number;
  until?: number;
  hasComment?: boolean;
}

/** Position after the last item of a page (newest first, by first answer, then id). */
export interface InboxCursor {
  createdAt: number;
  id: string;
}

export type FollowUpUpdate =
  | { status: 'updated'; item: InboxItem }
  | { status: 'not_found' }
  | { status: 'illegal'; from: FollowUp; to: FollowUp };

export type ReportGroup = 'team' | 'technician' | 'week' | 'moment';

export interface ReportRow {
  /** Team or technician name (null: not set on the survey, or imported), the moment, or the week's Monday (day number). */
  group: string | number | null;
  positive: number;
  neutral: number;
  negative: number;
  imported: number;
}

export interface DayCounts {
  day: number;
  positive: number;
  neutral: number;
  negative: number;
  imported: number;
}

export interface Store extends WebhookStore, EmailStore, ConnectorStore, HeldStore, LogStore, ErasureStore, CampaignStore, ChangeFeedStore {
  /** @throws ConflictError `site_exists` */
  createSite(input: NewSite, now: number): Promise<Site>;
  /** @returns the updated site, or null when there is no such site. */
  updateSite(slug: string, settings: SiteSettings): Promise<Site | null>;
  getSite(slug: string): Promise<Site | null>;
  getSiteById(id: number): Promise<Site | null>;
  listSites(): Promise<Site[]>;

  addAdminKey(key: { id: string; siteId: number; hash: Buffer; label?: string | null; scope?: KeyScope }, now: number): Promise<void>;
  getAdminKey(id: string): Promise<AdminKey | null>;
  listAdminKeys(siteId: number): Promise<AdminKey[]>;
  /** @returns false when the site has no such active key. */
  revokeAdminKey(siteId: number, keyId: string, now: number): Promise<boolean>;

  /** Idempotent per (site, ticketRef): a second call returns the first survey with `created: false`.
   * With `throttleSince`, a contact's recent survey is returned instead with `throttled: true`.
   * @throws ConflictError `ticket_already_rated` when the ticket's rating was imported from another tool. */
  createSurvey(input: NewSurvey, now: number): Promise<{ survey: Survey; created: boolean; throttled: boolean }>;
  getSurvey(siteId: number, id: string): Promise<Survey | null>;
  getSurveyByTokenId(tokenId: Buffer): Promise<Survey | null>;
  getResponseForSurvey(surveyId: string): Promise<StoredResponse | null>;

  /** Records a first answer or a change, its chained event and the daily counts in one transaction. */
  submitResponse(submission: Submission, now: number): Promise<SubmitOutcome>;
  /** All rows or none. @throws ImportError listing every offending line. */
  importResponses(siteId: number, rows: ImportRow[], now: number): Promise<{ imported: number }>;

  /** Answers per value of one kind and scale over [fromDay, toDay], optionally of some moments only: at
   * most one row per day, value and moment is read. `imported`: how many of them were imported. */
  answersBetween(siteId: number, ks: KindScale, fromDay: number, toDay: number, moments: readonly string[] | null): Promise<{ values: Map<number, number>; imported: number }>;
  /** Per class of one kind and scale: answers, and how many named each dimension (by first-answer day). */
  dimensionTallies(siteId: number, ks: KindScale, fromDay: number, toDay: number): Promise<Record<Reaction, DimensionTally>>;
  /** Sum of the per-day counts over [fromDay, toDay]: at most one row per day is read. */
  countsBetween(siteId: number, fromDay: number, toDay: number): Promise<ReactionCounts>;
  /** Origin of the ratings over [fromDay, toDay]. */
  originBetween(siteId: number, fromDay: number, toDay: number): Promise<OriginCounts>;
  /** Per day over [fromDay, toDay] with any survey issued or answered, oldest first. */
  activityBetween(siteId: number, fromDay: number, toDay: number): Promise<DayActivity[]>;
  /** Time of the site's latest event, null before the first. */
  lastEventAt(siteId: number): Promise<number | null>;
  /** The site's event log, oldest first. */
  listEvents(siteId: number): Promise<ChainEvent[]>;
  /** Days whose stored counts differ from a recount of the responses table (empty when consistent). */
  countMismatches(siteId: number): Promise<Array<{ day: number; stored: DayCounts | null; recounted: DayCounts | null }>>;

  /** The inbox, newest first; `limit` items after `cursor`. */
  listResponses(siteId: number, filter: InboxFilter, cursor: InboxCursor | null, limit: number): Promise<InboxItem[]>;
  getResponse(siteId: number, id: string): Promise<(InboxItem & { noteList: Note[] }) | null>;
  /** The notes of these responses of the site, oldest first, by response id (responses without notes
   * are absent). For exports, one page of responses at a time. */
  listNotes(siteId: number, responseIds: readonly string[]): Promise<Map<string, Note[]>>;
  /** One page of the CSV export: as listResponses, each response with its notes. Read on a connection
   * of its own where the store has one, so a download read slowly never holds up a write. */
  exportPage(siteId: number, filter: InboxFilter, cursor: InboxCursor | null, limit: number): Promise<Array<InboxItem & { noteList: Note[] }>>;
  /** Moves the follow-up state (checked against the allowed moves) and/or appends a note, atomically.
   * Never touches the rating or the comment. */
  updateFollowUp(siteId: number, id: string, change: { to?: FollowUp; note?: { author: string; text: string } }, now: number): Promise<FollowUpUpdate>;
  /** Class counts per team, technician, moment or week over [fromDay, toDay] (by the day of the first
   * answer), of one kind and scale (default: all answers). */
  report(siteId: number, groupBy: ReportGroup, fromDay: number, toDay: number, ks?: KindScale): Promise<ReportRow[]>;

  /** Changes when another connection to the database commits (SQLite `PRAGMA data_version`). */
  dataVersion(): Promise<number>;
  close(): Promise<void>;
}
