// The email part of the Store interface: per-site sender settings, the survey-email outbox and the
// opt-out list. Which email is sent, when and how often it is retried is decided above the store
// (api/services/surveys.ts, api/domain/email-schedule.ts); stores keep the rows and claim them.
import type { NewSurvey, Survey } from './types.js';

export interface SiteEmailSettings {
  siteId: number;
  senderName: string | null;
  /** The From address; a site sends survey emails only when it is set. */
  senderEmail: string | null;
  replyTo: string | null;
  /** The site's own SMTP server URL, sealed with the secret box (null: the server-wide CSAT_SMTP_URL). */
  smtpUrlSealed: string | null;
  /** Minutes between the ticket closing and the email. */
  delayMinutes: number;
}

export type SiteEmailChange = Partial<Omit<SiteEmailSettings, 'siteId'>>;

/** `sending`: claimed by the worker. `throttled` and `opted_out` record a survey that was not created. */
export const EMAIL_STATUSES = ['queued', 'sending', 'sent', 'failed', 'cancelled', 'throttled', 'opted_out'] as const;
export type EmailStatus = (typeof EMAIL_STATUSES)[number];

export interface EmailRecord {
  id: number;
  siteId: number;
  ticketRef: string;
  surveyId: string | null;
  messageId: string | null;
  status: EmailStatus;
  attempts: number;
  /** When the next attempt is due (queued), or was last due. */
  sendAt: number;
  lastError: string | null;
  createdAt: number;
  sentAt: number | null;
}

/** An email claimed for sending: what the worker needs to compose and send it. */
export interface ClaimedEmail {
  id: number;
  siteId: number;
  surveyId: string;
  messageId: string;
  /** Attempts including this one. */
  attempts: number;
}

export interface EmailToQueue {
  sendAt: number;
  /** The stable Message-ID of the survey's email, from the survey id created in the transaction. */
  messageId: (surveyId: string) => string;
}

export type SurveyWithEmail =
  | { status: 'created' | 'existing'; survey: Survey; email: EmailRecord | null }
  | { status: 'throttled'; survey: Survey; email: EmailRecord | null }
  | { status: 'opted_out'; survey: null; email: EmailRecord | null };

export interface EmailStore {
  /** A site's email settings (defaults when never set). */
  getEmailSettings(siteId: number): Promise<SiteEmailSettings>;
  setEmailSettings(siteId: number, change: SiteEmailChange): Promise<SiteEmailSettings>;

  /** One transaction: the survey (as createSurvey, idempotent per ticket), skipped when
   * `skipOptedOut` and its contact is on the site's opt-out list, and its outbox row when `email` is
   * given. A skipped (throttled, opted-out) creation is recorded as an outbox row of that status when
   * `email` is given. An existing survey whose email was cancelled (a reopened ticket) is queued again at
   * `email.sendAt`; any other existing email is left as it is, so a retried creation never sends twice.
   * @throws ConflictError `ticket_already_rated` */
  createSurveyWithEmail(input: NewSurvey & { skipOptedOut: boolean }, email: EmailToQueue | null, now: number): Promise<SurveyWithEmail>;
  /** Cancels the ticket's email if it is still queued; true when it was. */
  cancelQueuedEmail(siteId: number, ticketRef: string, now: number): Promise<boolean>;
  /** Marks up to `limit` queued emails due at `now` as sending (one more attempt) and returns them. */
  claimDueEmails(now: number, limit: number): Promise<ClaimedEmail[]>;
  /** After a restart: emails left `sending` by a process that died go back to queued. */
  releaseSendingEmails(now: number): Promise<number>;
  /** The outcome of one attempt: sent, or failed with the next attempt (null: give up). */
  recordEmailAttempt(id: number, result: { sent: boolean; error: string | null; nextAttemptAt: number | null }, now: number): Promise<void>;
  /** Adds the contact to the site's opt-out list and marks its queued emails opted_out; false when
   * already there. */
  optOut(siteId: number, email: string, now: number): Promise<boolean>;
  isOptedOut(siteId: number, email: string): Promise<boolean>;
  getEmailForSurvey(surveyId: string): Promise<EmailRecord | null>;
  /** The site's email records, newest first; `limit` after the record with id `before`. */
  listEmails(siteId: number, limit: number, before?: number): Promise<EmailRecord[]>;
}
