// The SQLite side of survey email: site sender settings, the outbox and the opt-out list. Runs inside the
// store's connection; the survey and its outbox row are written in one transaction.
import { mayBeSkippedAsOptedOut, optOutKey, outboxStep } from '../domain/survey-email.js';
import type Database from 'better-sqlite3';
import type { ClaimedEmail, EmailStore, SurveyWithEmail } from './types-email.js';
import type { NewSurvey, Survey } from './types.js';
import { toRecord, toSettings, type OutboxRow, type SettingsRow } from './rows-email.js';

/** The migration step's SQL; its version number lives in migrations.ts. */
export const EMAIL_SCHEMA = `
  CREATE TABLE site_email (
    site_id INTEGER PRIMARY KEY REFERENCES sites(id),
    sender_name TEXT,
    sender_email TEXT,
    reply_to TEXT,
    -- AES-256-GCM under a key derived from the server secret (domain/secret-box.ts): never plain text
    smtp_url_sealed TEXT CHECK (smtp_url_sealed IS NULL OR smtp_url_sealed LIKE 'v1.%'),
    delay_minutes INTEGER NOT NULL DEFAULT 0 CHECK (delay_minutes BETWEEN 0 AND 43200)
  ) STRICT;

  -- One row per ticket of a site that emails: written in the survey's own transaction (queued), or
  -- recording why no survey was made (throttled, opted_out).
  CREATE TABLE email_outbox (
    id INTEGER PRIMARY KEY,
    site_id INTEGER NOT NULL REFERENCES sites(id),
    ticket_ref TEXT NOT NULL,
    survey_id TEXT UNIQUE REFERENCES surveys(id),
    message_id TEXT UNIQUE,
    status TEXT NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'cancelled', 'throttled', 'opted_out')),
    attempts INTEGER NOT NULL DEFAULT 0,
    send_at INTEGER NOT NULL,
    last_error TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    sent_at INTEGER,
    CHECK (status IN ('throttled', 'opted_out') OR survey_id IS NOT NULL),
    UNIQUE (site_id, ticket_ref)
  ) STRICT;
  CREATE INDEX email_outbox_due ON email_outbox(send_at) WHERE status = 'queued';

  -- The SHA-256 of the lower-cased address, not the address: the list outlives an erasure request.
  CREATE TABLE email_opt_outs (
    site_id INTEGER NOT NULL REFERENCES sites(id),
    email_hash TEXT NOT NULL,
    at INTEGER NOT NULL,
    PRIMARY KEY (site_id, email_hash)
  ) STRICT, WITHOUT ROWID;
`;

type CreateSurvey = (input: NewSurvey, now: number) => { survey: Survey; created: boolean; throttled: boolean };

/** `createSurvey` is the store's own survey transaction; called inside ours it runs as a savepoint. */
export function sqliteEmail(db: Database.Database, createSurvey: CreateSurvey): { methods: EmailStore } {
  const q = {
    settings: db.prepare<[number], SettingsRow>('SELECT * FROM site_email WHERE site_id = ?'),
    upsertSettings: db.prepare(
      `INSERT INTO site_email (site_id, sender_name, sender_email, reply_to, smtp_url_sealed, delay_minutes)
       VALUES (@siteId, @senderName, @senderEmail, @replyTo, @smtpUrlSealed, @delayMinutes)
       ON CONFLICT (site_id) DO UPDATE SET sender_name = excluded.sender_name, sender_email = excluded.sender_email,
         reply_to = excluded.reply_to, smtp_url_sealed = excluded.smtp_url_sealed, delay_minutes = excluded.delay_minutes`,
    ),
    surveyExists: db.prepare<[number, string], { one: number }>('SELECT 1 AS one FROM surveys WHERE site_id = ? AND ticket_ref = ?'),
    optedOut: db.prepare<[number, string], { one: number }>('SELECT 1 AS one FROM email_opt_outs WHERE site_id = ? AND email_hash = ?'),
    insertOptOut: db.prepare('INSERT INTO email_opt_outs (site_id, email_hash, at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING'),
    optOutQueued: db.prepare(
      `UPDATE email_outbox SET status = 'opted_out', updated_at = @now
       WHERE status = 'queued' AND survey_id IN (SELECT id FROM surveys WHERE site_id = @siteId AND contact_email = @email)`,
    ),
    // A skipped creation; it replaces only an earlier skip of the same ticket, never a real email.
    recordSkip: db.prepare(
      `INSERT INTO email_outbox (site_id, ticket_ref, status, send_at, created_at, updated_at)
       VALUES (@siteId, @ticketRef, @status, @now, @now, @now)
       ON CONFLICT (site_id, ticket_ref) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at
       WHERE status IN ('throttled', 'opted_out')`,
    ),
    queue: db.prepare(
      `INSERT INTO email_outbox (site_id, ticket_ref, survey_id, message_id, status, send_at, created_at, updated_at)
       VALUES (@siteId, @ticketRef, @surveyId, @messageId, 'queued', @sendAt, @now, @now)
       ON CONFLICT (site_id, ticket_ref) DO UPDATE SET survey_id = excluded.survey_id, message_id = excluded.message_id,
         status = 'queued', send_at = excluded.send_at, attempts = 0, last_error = NULL, updated_at = excluded.updated_at
       WHERE status IN ('throttled', 'opted_out')`,
    ),
    requeueCancelled: db.prepare(
      `UPDATE email_outbox SET status = 'queued', send_at = @sendAt, last_error = NULL, updated_at = @now
       WHERE survey_id = @surveyId AND status = 'cancelled'`,
    ),
    cancel: db.prepare(
      `UPDATE email_outbox SET status = 'cancelled', updated_at = @now
       WHERE site_id = @siteId AND ticket_ref = @ticketRef AND status = 'queued'`,
    ),
    bySurvey: db.prepare<[string], OutboxRow>('SELECT * FROM email_outbox WHERE survey_id = ?'),
    byTicket: db.prepare<[number, string], OutboxRow>('SELECT * FROM email_outbox WHERE site_id = ? AND ticket_ref = ?'),
    claim: db.prepare<[{ now: number; limit: number }], { id: number; site_id: number; survey_id: string; message_id: string; attempts: number }>(
      `UPDATE email_outbox SET status = 'sending', attempts = attempts + 1, updated_at = @now
       WHERE id IN (SELECT id FROM email_outbox WHERE status = 'queued' AND send_at <= @now ORDER BY send_at, id LIMIT @limit)
       RETURNING id, site_id, survey_id, message_id, attempts`,
    ),
    release: db.prepare(`UPDATE email_outbox SET status = 'queued', updated_at = ? WHERE status = 'sending'`),
    record: db.prepare(
      `UPDATE email_outbox SET last_error = @error, updated_at = @now,
         status = CASE WHEN @sent THEN 'sent' WHEN @nextAttemptAt IS NULL THEN 'failed' ELSE 'queued' END,
         send_at = coalesce(@nextAttemptAt, send_at),
         sent_at = CASE WHEN @sent THEN @now ELSE sent_at END
       WHERE id = @id AND status = 'sending'`,
    ),
    list: db.prepare<[number, number, number], OutboxRow>('SELECT * FROM email_outbox WHERE site_id = ? AND id < ? ORDER BY id DESC LIMIT ?'),
  };

  const createSurveyWithEmail = db.transaction(
    (input: NewSurvey & { skipOptedOut: boolean }, email: Parameters<EmailStore['createSurveyWithEmail']>[1], now: number): SurveyWithEmail => {
      const contact = input.contactEmail?.toLowerCase() ?? null;
      const isNew = !q.surveyExists.get(input.siteId, input.ticketRef);
      if (mayBeSkippedAsOptedOut({ isNew, contactEmail: contact, skipOptedOut: input.skipOptedOut }) && q.optedOut.get(input.siteId, optOutKey(contact!))) {
        if (email) q.recordSkip.run({ siteId: input.siteId, ticketRef: input.ticketRef, status: 'opted_out', now });
        const row = q.byTicket.get(input.siteId, input.ticketRef);
        return { status: 'opted_out', survey: null, email: row ? toRecord(row) : null };
      }
      const { survey, created, throttled } = createSurvey(input, now);
      const step = outboxStep({ wantsEmail: Boolean(email), created, throttled, contactEmail: survey.contactEmail });
      if (step === 'record_throttled') q.recordSkip.run({ siteId: input.siteId, ticketRef: input.ticketRef, status: 'throttled', now });
      if (throttled) {
        const row = q.byTicket.get(input.siteId, input.ticketRef);
        return { status: 'throttled', survey, email: row ? toRecord(row) : null };
      }
      if (step === 'queue' && email) {
        q.queue.run({ siteId: survey.siteId, ticketRef: survey.ticketRef, surveyId: survey.id, messageId: email.messageId(survey.id), sendAt: email.sendAt, now });
      } else if (step === 'requeue_cancelled' && email) {
        q.requeueCancelled.run({ surveyId: survey.id, sendAt: email.sendAt, now });
      }
      const row = q.bySurvey.get(survey.id);
      return { status: created ? 'created' : 'existing', survey, email: row ? toRecord(row) : null };
    },
  );

  const optOut = db.transaction((siteId: number, email: string, now: number) => {
    const added = q.insertOptOut.run(siteId, optOutKey(email), now).changes === 1;
    q.optOutQueued.run({ siteId, email: email.trim().toLowerCase(), now });
    return added;
  });

  return {
    methods: {
      async getEmailSettings(siteId) {
        return toSettings(siteId, q.settings.get(siteId));
      },
      async setEmailSettings(siteId, change) {
        const current = toSettings(siteId, q.settings.get(siteId));
        const next = { ...current, ...Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined)) };
        q.upsertSettings.run(next);
        return toSettings(siteId, q.settings.get(siteId));
      },
      async createSurveyWithEmail(input, email, now) {
        return createSurveyWithEmail.immediate(input, email, now);
      },
      async cancelQueuedEmail(siteId, ticketRef, now) {
        return q.cancel.run({ siteId, ticketRef, now }).changes === 1;
      },
      async claimDueEmails(now, limit) {
        return q.claim.all({ now, limit }).map(
          (r): ClaimedEmail => ({ id: r.id, siteId: r.site_id, surveyId: r.survey_id, messageId: r.message_id, attempts: r.attempts }),
        );
      },
      async releaseSendingEmails(now) {
        return q.release.run(now).changes;
      },
      async recordEmailAttempt(id, result, now) {
        q.record.run({ id, sent: result.sent ? 1 : 0, error: result.error, nextAttemptAt: result.nextAttemptAt, now });
      },
      async optOut(siteId, email, now) {
        return optOut.immediate(siteId, email, now);
      },
      async isOptedOut(siteId, email) {
        return Boolean(q.optedOut.get(siteId, optOutKey(email)));
      },
      async getEmailForSurvey(surveyId) {
        const row = q.bySurvey.get(surveyId);
        return row ? toRecord(row) : null;
      },
      async listEmails(siteId, limit, before = Number.MAX_SAFE_INTEGER) {
        return q.list.all(siteId, before, limit).map(toRecord);
      },
    },
  };
}
