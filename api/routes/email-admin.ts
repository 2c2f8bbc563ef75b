// Operators' view of survey email: the site's email settings (the SMTP server shown only as set / not
// set) and each ticket's email status (queued, sent, failed with the last error, throttled, opted out).
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppConfig } from '../config.js';
import { secretBox } from '../domain/secret-box.js';
import { emailSettingsChange } from '../email/settings-change.js';
import { describeEmailSettings } from '../email/smtp-settings.js';
import { ApiError } from '../errors.js';
import { adminAuth } from '../middleware/admin-auth.js';
import { jsonBody, limitBody, requireJson } from '../middleware/json-body.js';
import { loadSite, type SiteEnv } from '../middleware/site.js';
import type { EmailRecord } from '../store/types-email.js';
import type { Store } from '../store/types.js';

const settingsSchema = z.strictObject({
  senderName: z.string().max(100).nullable().optional(),
  senderEmail: z.string().max(254).nullable().optional(),
  replyTo: z.string().max(254).nullable().optional(),
  smtpUrl: z.string().max(2000).nullable().optional(),
  delayMinutes: z.number().int().optional(),
});

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function emailView(e: EmailRecord) {
  return {
    id: e.id,
    ticketRef: e.ticketRef,
    surveyId: e.surveyId,
    status: e.status,
    attempts: e.attempts,
    lastError: e.lastError,
    sendAt: e.status === 'queued' || e.status === 'sending' ? iso(e.sendAt) : null,
    sentAt: iso(e.sentAt),
    createdAt: iso(e.createdAt),
  };
}

export function emailAdminRoutes({ store, config }: { store: Store; config: AppConfig }) {
  const site = loadSite(store);
  const auth = adminAuth(store);
  const box = secretBox(config.tokenSecret);

  return new Hono<SiteEnv>()
    .get('/:site/emails', site, auth, async (c) => {
      const limit = Math.min(Math.max(Number(c.req.query('limit') ?? 50) || 50, 1), 200);
      const before = c.req.query('before') ? Number(c.req.query('before')) : undefined;
      if (before !== undefined && !Number.isSafeInteger(before)) throw new ApiError(400, 'invalid_request', 'before must be an email id');
      const emails = await store.listEmails(c.get('site').id, limit, before);
      c.header('Cache-Control', 'no-store');
      return c.json({ emails: emails.map(emailView), next: emails.length === limit ? emails[emails.length - 1]!.id : null });
    })
    .get('/:site/email-settings', site, auth, async (c) => {
      c.header('Cache-Control', 'no-store');
      return c.json(describeEmailSettings(await store.getEmailSettings(c.get('site').id)));
    })
    .patch('/:site/email-settings', site, auth, limitBody, requireJson, jsonBody(settingsSchema), async (c) => {
      const siteId = c.get('site').id;
      const result = emailSettingsChange(siteId, c.req.valid('json'), box);
      if ('problem' in result) throw new ApiError(400, 'invalid_request', result.problem);
      return c.json(describeEmailSettings(await store.setEmailSettings(siteId, result.change)));
    });
}
