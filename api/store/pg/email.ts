// The PostgreSQL side of survey email: site sender settings, the outbox and the opt-out list, as
// api/store/sqlite-email.ts keeps them. The survey and its outbox row are written in one transaction;
// who gets an email is decided in domain/survey-email.ts.
import { mayBeSkippedAsOptedOut, optOutKey, outboxStep } from '../../domain/survey-email.js';
import type { ClaimedEmail, EmailStore, SiteEmailSettings, SurveyWithEmail } from '../types-email.js';
import { transaction, type Sql, type Tx } from './connection.js';
import { lockSite } from './core-sites.js';
import type { CreateSurveyTx } from './parts.js';
import { toRecord, toSettings, type OutboxRow, type SettingsRow } from '../rows-email.js';

/** How long an email claimed by one instance stays `sending` before another may take it. Far longer
 * than one SMTP conversation (the worker's timeouts add up to under a minute), so only a claim whose
 * process died runs out; that email is then sent again with the same Message-ID, as after a restart of
 * the one SQLite process. */
export const EMAIL_LEASE_MS = 10 * 60_000;

/** `createSurvey` is the core's survey creation; it runs inside this part's transaction. */
export function pgEmail(sql: Sql, createSurvey: CreateSurveyTx): { methods: EmailStore } {
  const settingsOf = async (db: Sql | Tx, siteId: number) => {
    const [row] = await db<SettingsRow[]>`SELECT * FROM site_email WHERE site_id = ${siteId}`;
    return toSettings(siteId, row);
  };
  const isOptedOut = async (db: Sql | Tx, siteId: number, email: string) =>
    (await db`SELECT 1 FROM email_opt_outs WHERE site_id = ${siteId} AND email_hash = ${optOutKey(email)}`).length > 0;
  const byTicket = async (tx: Tx, siteId: number, ticketRef: string) => {
    const [row] = await tx<OutboxRow[]>`SELECT * FROM email_outbox WHERE site_id = ${siteId} AND ticket_ref = ${ticketRef}`;
    return row ? toRecord(row) : null;
  };
  const bySurvey = async (db: Sql | Tx, surveyId: string) => {
    const [row] = await db<OutboxRow[]>`SELECT * FROM email_outbox WHERE survey_id = ${surveyId}`;
    return row ? toRecord(row) : null;
  };
  // A skipped creation; it replaces only an earlier skip of the same ticket, never a real email.
  const recordSkip = (tx: Tx, siteId: number, ticketRef: string, status: 'throttled' | 'opted_out', now: number) => tx`
    INSERT INTO email_outbox (site_id, ticket_ref, status, send_at, created_at, updated_at)
    VALUES (${siteId}, ${ticketRef}, ${status}, ${now}, ${now}, ${now})
    ON CONFLICT (site_id, ticket_ref) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at
    WHERE email_outbox.status IN ('throttled', 'opted_out')`;

  const methods: EmailStore = {
    async getEmailSettings(siteId) {
      return settingsOf(sql, siteId);
    },
    async setEmailSettings(siteId, change) {
      return transaction(sql, async (tx) => {
        // A row of defaults first (what a site without one reads anyway), then its lock: two instances
        // changing different fields at once both keep their change.
        await tx`INSERT INTO site_email (site_id) VALUES (${siteId}) ON CONFLICT (site_id) DO NOTHING`;
        await tx`SELECT 1 FROM site_email WHERE site_id = ${siteId} FOR UPDATE`;
        const current = await settingsOf(tx, siteId);
        const next = { ...current, ...Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined)) } as SiteEmailSettings;
        await tx`
          INSERT INTO site_email (site_id, sender_name, sender_email, reply_to, smtp_url_sealed, delay_minutes)
          VALUES (${siteId}, ${next.senderName}, ${next.senderEmail}, ${next.replyTo}, ${next.smtpUrlSealed}, ${next.delayMinutes})
          ON CONFLICT (site_id) DO UPDATE SET sender_name = excluded.sender_name, sender_email = excluded.sender_email,
            reply_to = excluded.reply_to, smtp_url_sealed = excluded.smtp_url_sealed, delay_minutes = excluded.delay_minutes`;
        return settingsOf(tx, siteId);
      });
    },
    async createSurveyWithEmail(input, email, now) {
      return transaction(sql, async (tx): Promise<SurveyWithEmail> => {
        // The site's row lock (the survey creation takes it anyway) orders this after an opt-out in
        // progress, so an address opted out a moment ago never gets its email queued.
        await lockSite(tx, input.siteId);
        const contact = input.contactEmail?.toLowerCase() ?? null;
        const [existing] = await tx`SELECT 1 FROM surveys WHERE site_id = ${input.siteId} AND ticket_ref = ${input.ticketRef}`;
        if (
          mayBeSkippedAsOptedOut({ isNew: !existing, contactEmail: contact, skipOptedOut: input.skipOptedOut }) &&
          (await isOptedOut(tx, input.siteId, contact!))
        ) {
          if (email) await recordSkip(tx, input.siteId, input.ticketRef, 'opted_out', now);
          return { status: 'opted_out', survey: null, email: await byTicket(tx, input.siteId, input.ticketRef) };
        }
        const { survey, created, throttled } = await createSurvey(tx, input, now);
        const step = outboxStep({ wantsEmail: email !== null, created, throttled, contactEmail: survey.contactEmail });
        if (step === 'record_throttled') await recordSkip(tx, input.siteId, input.ticketRef, 'throttled', now);
        if (throttled) return { status: 'throttled', survey, email: await byTicket(tx, input.siteId, input.ticketRef) };
        if (step === 'queue') {
          await tx`
            INSERT INTO email_outbox (site_id, ticket_ref, survey_id, message_id, status, send_at, created_at, updated_at)
            VALUES (${survey.siteId}, ${survey.ticketRef}, ${survey.id}, ${email!.messageId(survey.id)}, 'queued', ${email!.sendAt}, ${now}, ${now})
            ON CONFLICT (site_id, ticket_ref) DO UPDATE SET survey_id = excluded.survey_id, message_id = excluded.message_id,
              status = 'queued', send_at = excluded.send_at, attempts = 0, last_error = NULL, updated_at = excluded.updated_at
            WHERE email_outbox.status IN ('throttled', 'opted_out')`;
        } else if (step === 'requeue_cancelled') {
          await tx`
            UPDATE email_outbox SET status = 'queued', send_at = ${email!.sendAt}, last_error = NULL, updated_at = ${now}
            WHERE survey_id = ${survey.id} AND status = 'cancelled'`;
        }
        return { status: created ? 'created' : 'existing', survey, email: await bySurvey(tx, survey.id) };
      });
    },
    async cancelQueuedEmail(siteId, ticketRef, now) {
      const result = await sql`
        UPDATE email_outbox SET status = 'cancelled', updated_at = ${now}
        WHERE site_id = ${siteId} AND ticket_ref = ${ticketRef} AND status = 'queued'`;
      return result.count === 1;
    },
    async claimDueEmails(now, limit) {
      // SKIP LOCKED: two instances claiming at once take different rows. A `sending` row whose lease ran
      // out (its instance died mid-send) is due again, so no restart of that very instance is needed.
      const rows = await sql<{ id: number; site_id: number; survey_id: string; message_id: string; attempts: number }[]>`
        UPDATE email_outbox SET status = 'sending', attempts = attempts + 1, updated_at = ${now}
        WHERE id IN (
          SELECT id FROM email_outbox
          WHERE (status = 'queued' AND send_at <= ${now}) OR (status = 'sending' AND updated_at <= ${now - EMAIL_LEASE_MS})
          ORDER BY send_at, id LIMIT ${limit}
          FOR UPDATE SKIP LOCKED)
        RETURNING id, site_id, survey_id, message_id, attempts`;
      return [...rows]
        .sort((a, b) => a.id - b.id)
        .map((r): ClaimedEmail => ({ id: r.id, siteId: r.site_id, surveyId: r.survey_id, messageId: r.message_id, attempts: r.attempts }));
    },
    async releaseSendingEmails(now) {
      // Every instance calls this when its worker starts: only claims whose lease ran out are released,
      // never an email another running instance is sending right now.
      const result = await sql`
        UPDATE email_outbox SET status = 'queued', updated_at = ${now}
        WHERE status = 'sending' AND updated_at <= ${now - EMAIL_LEASE_MS}`;
      return result.count;
    },
    async recordEmailAttempt(id, result, now) {
      await sql`
        UPDATE email_outbox SET last_error = ${result.error}, updated_at = ${now},
          status = CASE WHEN ${result.sent} THEN 'sent' WHEN ${result.nextAttemptAt}::bigint IS NULL THEN 'failed' ELSE 'queued' END,
          send_at = coalesce(${result.nextAttemptAt}::bigint, send_at),
          sent_at = CASE WHEN ${result.sent} THEN ${now}::bigint ELSE sent_at END
        WHERE id = ${id} AND status = 'sending'`;
    },
    async optOut(siteId, email, now) {
      return transaction(sql, async (tx) => {
        await lockSite(tx, siteId);
        const added = (await tx`
          INSERT INTO email_opt_outs (site_id, email_hash, at) VALUES (${siteId}, ${optOutKey(email)}, ${now})
          ON CONFLICT DO NOTHING`).count === 1;
        await tx`
          UPDATE email_outbox SET status = 'opted_out', updated_at = ${now}
          WHERE status = 'queued' AND survey_id IN (
            SELECT id FROM surveys WHERE site_id = ${siteId} AND contact_email = ${email.trim().toLowerCase()})`;
        return added;
      });
    },
    async isOptedOut(siteId, email) {
      return isOptedOut(sql, siteId, email);
    },
    async getEmailForSurvey(surveyId) {
      return bySurvey(sql, surveyId);
    },
    async listEmails(siteId, limit, before = Number.MAX_SAFE_INTEGER) {
      const rows = await sql<OutboxRow[]>`
        SELECT * FROM email_outbox WHERE site_id = ${siteId} AND id < ${before} ORDER BY id DESC LIMIT ${limit}`;
      return rows.map(toRecord);
    },
  };
  return { methods };
}
