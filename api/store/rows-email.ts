// Rows of site_email and email_outbox as both stores read them, and the store's objects made from them.
import type { EmailRecord, EmailStatus, SiteEmailSettings } from './types-email.js';

export interface SettingsRow {
  site_id: number;
  sender_name: string | null;
  sender_email: string | null;
  reply_to: string | null;
  smtp_url_sealed: string | null;
  delay_minutes: number;
}

export interface OutboxRow {
  id: number;
  site_id: number;
  ticket_ref: string;
  survey_id: string | null;
  message_id: string | null;
  status: EmailStatus;
  attempts: number;
  send_at: number;
  last_error: string | null;
  created_at: number;
  updated_at: number;
  sent_at: number | null;
}

export const toSettings = (siteId: number, r: SettingsRow | undefined): SiteEmailSettings => ({
  siteId,
  senderName: r?.sender_name ?? null,
  senderEmail: r?.sender_email ?? null,
  replyTo: r?.reply_to ?? null,
  smtpUrlSealed: r?.smtp_url_sealed ?? null,
  delayMinutes: r?.delay_minutes ?? 0,
});

export const toRecord = (r: OutboxRow): EmailRecord => ({
  id: r.id,
  siteId: r.site_id,
  ticketRef: r.ticket_ref,
  surveyId: r.survey_id,
  messageId: r.message_id,
  status: r.status,
  attempts: r.attempts,
  sendAt: r.send_at,
  lastError: r.last_error,
  createdAt: r.created_at,
  sentAt: r.sent_at,
});
