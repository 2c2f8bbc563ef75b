// Rows of the core tables as both stores read them (INTEGER/BIGINT as numbers, BLOB/BYTEA as Buffer), and
// the store's objects made from them.
import type { FollowUp } from '../domain/follow-up.js';
import type { Locale } from '../domain/locale.js';
import type { Reaction } from '../domain/reaction.js';
import type { SurveyKind } from '../domain/kinds.js';
import type { Dimension } from '../domain/dimensions.js';
import type { AdminKey, InboxItem, KeyScope, Note, Site, StoredResponse, Survey } from './types.js';

export interface SiteRow {
  id: number;
  slug: string;
  name: string;
  survey_kind: SurveyKind;
  scale: number;
  score_moments: string | null;
  window_days: number;
  change_window_days: number;
  token_ttl_days: number;
  industry: string | null;
  locale: Locale;
  throttle_days: number;
  created_at: number;
}
export interface KeyRow {
  id: string;
  site_id: number;
  scope: KeyScope;
  key_hash: Buffer;
  label: string | null;
  created_at: number;
  revoked_at: number | null;
}
export interface SurveyRow {
  id: string;
  site_id: number;
  ticket_ref: string;
  token_id: Buffer;
  team: string | null;
  technician: string | null;
  contact_email: string | null;
  contact_name: string | null;
  locale: Locale | null;
  created_at: number;
  expires_at: number;
  sealed: 0 | 1;
  kind: SurveyKind;
  scale: number;
  moment: string;
  campaign_id: string | null;
}
export interface ResponseRow {
  id: string;
  site_id: number;
  survey_id: string | null;
  ticket_ref: string;
  reaction: Reaction;
  comment: string | null;
  source: 'survey' | 'import';
  day: number;
  created_at: number;
  updated_at: number;
  follow_up: FollowUp;
  changeable_until: number | null;
  kind: SurveyKind;
  scale: number;
  value: number;
  moment: string;
  dimensions: string;
}
export interface InboxRow extends ResponseRow {
  team: string | null;
  technician: string | null;
  contact_email: string | null;
  contact_name: string | null;
  notes: number;
}
export interface NoteRow {
  response_id: string;
  author: string;
  text: string;
  follow_up: FollowUp | null;
  at: number;
}

/** Scale as stored: 0 for none (it is part of daily_values' key, where NULL would not do). */
export const scaleOf = (ks: { scale?: number | null }) => ks.scale ?? 0;

export const toSite = (r: SiteRow): Site => ({
  id: r.id,
  slug: r.slug,
  name: r.name,
  kind: r.survey_kind,
  scale: r.scale || null,
  scoreMoments: r.score_moments === null ? null : (JSON.parse(r.score_moments) as string[]),
  windowDays: r.window_days,
  changeWindowDays: r.change_window_days,
  tokenTtlDays: r.token_ttl_days,
  industry: r.industry,
  locale: r.locale,
  throttleDays: r.throttle_days,
  createdAt: r.created_at,
});

export const toKey = (r: KeyRow): AdminKey => ({
  id: r.id,
  siteId: r.site_id,
  scope: r.scope,
  hash: r.key_hash,
  label: r.label,
  createdAt: r.created_at,
  revokedAt: r.revoked_at,
});

export const toSurvey = (r: SurveyRow): Survey => ({
  id: r.id,
  siteId: r.site_id,
  ticketRef: r.ticket_ref,
  tokenId: r.token_id,
  team: r.team,
  technician: r.technician,
  contactEmail: r.contact_email,
  contactName: r.contact_name,
  locale: r.locale,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  sealed: r.sealed === 1,
  kind: r.kind,
  scale: r.scale || null,
  moment: r.moment,
  campaignId: r.campaign_id,
});

export const toResponse = (r: ResponseRow): StoredResponse => ({
  id: r.id,
  siteId: r.site_id,
  surveyId: r.survey_id,
  ticketRef: r.ticket_ref,
  reaction: r.reaction,
  kind: r.kind,
  scale: r.scale || null,
  value: r.value,
  moment: r.moment,
  dimensions: r.dimensions === '' ? [] : (r.dimensions.split(',') as Dimension[]),
  comment: r.comment,
  source: r.source,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  changeableUntil: r.changeable_until,
});

export const toInboxItem = (r: InboxRow): InboxItem => ({
  ...toResponse(r),
  followUp: r.follow_up,
  team: r.team,
  technician: r.technician,
  contactEmail: r.contact_email,
  contactName: r.contact_name,
  notes: r.notes,
});

export const toNote = (n: Omit<NoteRow, 'response_id'>): Note => ({ author: n.author, text: n.text, followUp: n.follow_up, at: n.at });
