// The SQLite side of webhooks: subscriptions, the delivery queue and its history. Which webhook gets an
// event and in which state a webhook is are decided in domain/webhook.ts; this file only stores and reads.
import type Database from 'better-sqlite3';
import { recipients, webhookState, type WebhookEvent } from '../domain/webhook.js';
import { publicId } from '../domain/tokens.js';
import type { Delivery, WebhookStatus, WebhookStore } from './types-webhooks.js';
import { messageIdOf, toDeliveryStatus, type DeliveryRow } from './rows-webhooks.js';

interface HookRow {
  id: string;
  site_id: number;
  url: string;
  events: string;
  created_at: number;
  disabled_at: number | null;
  registered_by: string | null;
  owner_revoked: number;
  previous_secret_until: number | null;
  last_error: string | null;
  last_error_at: number | null;
}

// A webhook's owner counts as revoked when the key that registered (or last confirmed) it is revoked.
const HOOK_SELECT = `SELECT w.id, w.site_id, w.url, w.events, w.created_at, w.disabled_at, w.registered_by,
    w.previous_secret_until, w.last_error, w.last_error_at, (k.revoked_at IS NOT NULL) AS owner_revoked
  FROM webhooks w LEFT JOIN admin_keys k ON k.id = w.registered_by`;

export function sqliteWebhooks(db: Database.Database) {
  const q = {
    insertWebhook: db.prepare(
      `INSERT INTO webhooks (id, site_id, url, events, secret, created_at, registered_by)
       VALUES (@id, @siteId, @url, @events, @secret, @createdAt, @registeredBy)`,
    ),
    hooksOf: db.prepare<[number], HookRow>(`${HOOK_SELECT} WHERE w.site_id = ? ORDER BY w.created_at, w.id`),
    hook: db.prepare<[number, string], HookRow>(`${HOOK_SELECT} WHERE w.site_id = ? AND w.id = ?`),
    tally: db.prepare<[string], { pending: number; failed: number }>(
      `SELECT coalesce(sum(status = 'pending'), 0) AS pending, coalesce(sum(status = 'failed'), 0) AS failed
       FROM webhook_deliveries WHERE webhook_id = ?`,
    ),
    last: db.prepare<[string], DeliveryRow>('SELECT * FROM webhook_deliveries WHERE webhook_id = ? ORDER BY id DESC LIMIT 1'),
    setEnabled: db.prepare(
      `UPDATE webhooks SET disabled_at = CASE WHEN @enabled THEN NULL ELSE @now END,
         registered_by = CASE WHEN @enabled THEN @byKey ELSE registered_by END
       WHERE site_id = @siteId AND id = @id`,
    ),
    deleteDeliveries: db.prepare('DELETE FROM webhook_deliveries WHERE webhook_id = ?'),
    deleteHook: db.prepare('DELETE FROM webhooks WHERE site_id = ? AND id = ?'),
    rotate: db.prepare(
      `UPDATE webhooks SET previous_secret = secret, previous_secret_until = @previousUntil, secret = @secret
       WHERE site_id = @siteId AND id = @id`,
    ),
    deliveries: db.prepare<[string, number], DeliveryRow>('SELECT * FROM webhook_deliveries WHERE webhook_id = ? ORDER BY id DESC LIMIT ?'),
    delivery: db.prepare<[string, number], DeliveryRow & { body: string }>('SELECT * FROM webhook_deliveries WHERE webhook_id = ? AND id = ?'),
    insertDelivery: db.prepare(
      `INSERT INTO webhook_deliveries (webhook_id, message_id, event, body, next_attempt_at, created_at)
       VALUES (@webhookId, @messageId, @event, @body, @now, @now)`,
    ),
    // The SQL twin of webhookState() === 'enabled', so a held webhook's queue waits in the database.
    dueHeads: db.prepare<{ now: number; limit: number; webhookId: string | null }, Delivery & { message_id: string | null }>(
      `SELECT d.id, d.webhook_id AS webhookId, d.message_id, w.url, w.secret, w.previous_secret AS previousSecret,
              w.previous_secret_until AS previousSecretUntil, d.event, d.body, d.attempts
       FROM webhooks w
       JOIN webhook_deliveries d ON d.id = (SELECT min(p.id) FROM webhook_deliveries p WHERE p.webhook_id = w.id AND p.status = 'pending')
       LEFT JOIN admin_keys k ON k.id = w.registered_by
       WHERE w.disabled_at IS NULL AND k.revoked_at IS NULL AND d.next_attempt_at <= @now
         AND (@webhookId IS NULL OR w.id = @webhookId)
       ORDER BY d.next_attempt_at, d.id LIMIT @limit`,
    ),
    recordAttempt: db.prepare(
      `UPDATE webhook_deliveries SET attempts = attempts + 1, last_status = @httpStatus, last_error = @error, last_attempt_at = @now,
         status = CASE WHEN @ok THEN 'delivered' WHEN @nextAttemptAt IS NULL THEN 'failed' ELSE 'pending' END,
         next_attempt_at = coalesce(@nextAttemptAt, next_attempt_at),
         delivered_at = CASE WHEN @ok THEN @now ELSE delivered_at END
       WHERE id = @id`,
    ),
    recordHookError: db.prepare(
      'UPDATE webhooks SET last_error = @error, last_error_at = @now WHERE id = (SELECT webhook_id FROM webhook_deliveries WHERE id = @id)',
    ),
  };

  const toStatus = (w: HookRow): WebhookStatus => {
    const last = q.last.get(w.id);
    return {
      id: w.id,
      siteId: w.site_id,
      url: w.url,
      events: JSON.parse(w.events) as WebhookEvent[],
      createdAt: w.created_at,
      registeredBy: w.registered_by,
      disabledAt: w.disabled_at,
      ownerRevoked: w.owner_revoked === 1,
      previousSecretUntil: w.previous_secret_until,
      ...q.tally.get(w.id)!,
      last: last
        ? { id: last.id, status: last.status, attempts: last.attempts, httpStatus: last.last_status, error: last.last_error, at: last.delivered_at ?? last.created_at }
        : null,
      lastError: w.last_error !== null && w.last_error_at !== null ? { error: w.last_error, at: w.last_error_at } : null,
    };
  };

  /** Queues `event` for the site's webhooks that get it; runs inside the caller's transaction, so the
   * queue row and the change that caused it are written together. The body is built only if needed. */
  const enqueue = (siteId: number, event: WebhookEvent, body: () => string, now: number) => {
    const hooks = q.hooksOf.all(siteId).map((w) => ({
      id: w.id,
      events: JSON.parse(w.events) as string[],
      state: webhookState({ disabledAt: w.disabled_at, ownerRevoked: w.owner_revoked === 1 }),
    }));
    const to = recipients(hooks, event);
    if (to.length === 0) return;
    const text = body();
    for (const hook of to) q.insertDelivery.run({ webhookId: hook.id, messageId: publicId('msg'), event, body: text, now });
  };

  const deleteWebhook = db.transaction((siteId: number, id: string): boolean => {
    if (!q.hook.get(siteId, id)) return false;
    q.deleteDeliveries.run(id);
    return q.deleteHook.run(siteId, id).changes === 1;
  });

  const redeliver = db.transaction((siteId: number, webhookId: string, deliveryId: number, now: number) => {
    if (!q.hook.get(siteId, webhookId)) return { status: 'not_found' as const };
    const original = q.delivery.get(webhookId, deliveryId);
    if (!original) return { status: 'not_found' as const };
    if (original.status === 'pending') return { status: 'still_pending' as const };
    const { lastInsertRowid } = q.insertDelivery.run({ webhookId, messageId: messageIdOf(original), event: original.event, body: original.body, now });
    return { status: 'queued' as const, delivery: toDeliveryStatus(q.delivery.get(webhookId, Number(lastInsertRowid))!) };
  });

  const recordAttempt = db.transaction((params: { id: number; ok: number; httpStatus: number | null; error: string | null; nextAttemptAt: number | null; now: number }) => {
    q.recordAttempt.run(params);
    if (params.error !== null) q.recordHookError.run(params);
  });

  const methods: WebhookStore = {
    async createWebhook(webhook, now) {
      q.insertWebhook.run({ ...webhook, events: JSON.stringify(webhook.events), createdAt: now });
    },
    async listWebhooks(siteId) {
      return q.hooksOf.all(siteId).map(toStatus);
    },
    async getWebhook(siteId, id) {
      const row = q.hook.get(siteId, id);
      return row ? toStatus(row) : null;
    },
    async setWebhookEnabled(siteId, id, enabled, byKey, now) {
      return q.setEnabled.run({ siteId, id, enabled: enabled ? 1 : 0, byKey, now }).changes === 1;
    },
    async deleteWebhook(siteId, id) {
      return deleteWebhook.immediate(siteId, id);
    },
    async rotateWebhookSecret(siteId, id, secret, previousUntil) {
      return q.rotate.run({ siteId, id, secret, previousUntil }).changes === 1;
    },
    async listDeliveries(siteId, webhookId, limit) {
      if (!q.hook.get(siteId, webhookId)) return [];
      return q.deliveries.all(webhookId, limit).map(toDeliveryStatus);
    },
    async redeliver(siteId, webhookId, deliveryId, now) {
      return redeliver.immediate(siteId, webhookId, deliveryId, now);
    },
    async dueDeliveries(now, limit, webhookId) {
      return q.dueHeads.all({ now, limit, webhookId: webhookId ?? null }).map(({ message_id, ...d }) => ({ ...d, messageId: messageIdOf({ id: d.id, message_id }) }));
    },
    async recordAttempt(id, result, now) {
      recordAttempt.immediate({ id, ok: result.ok ? 1 : 0, httpStatus: result.httpStatus, error: result.error, nextAttemptAt: result.nextAttemptAt, now });
    },
  };
  return { methods, enqueue };
}
