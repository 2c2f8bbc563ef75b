// The PostgreSQL side of webhooks: subscriptions, the delivery queue and its history, as
// api/store/sqlite-webhooks.ts keeps them. Which webhook gets an event and in which state a webhook is
// are decided in domain/webhook.ts; this file only stores, reads and hands out deliveries.
import { recipients, webhookState, type WebhookEvent } from '../../domain/webhook.js';
import { publicId } from '../../domain/tokens.js';
import type { Delivery, DeliveryStatus, WebhookStatus, WebhookStore } from '../types-webhooks.js';
import { transaction, type Sql, type Tx } from './connection.js';
import type { EnqueueWebhooks } from './parts.js';
import { messageIdOf, toDeliveryStatus, type DeliveryRow } from '../rows-webhooks.js';

/** How long a delivery handed to one instance's worker stays its own. Longer than any attempt (the
 * worker's request timeout is seconds), so only a holder that died loses it, and then another instance
 * sends it once the lease runs out, with the same webhook-id. */
export const DELIVERY_LEASE_MS = 5 * 60_000;

interface HookRow {
  id: string;
  site_id: number;
  url: string;
  events: string;
  created_at: number;
  disabled_at: number | null;
  registered_by: string | null;
  owner_revoked: boolean;
  previous_secret_until: number | null;
  last_error: string | null;
  last_error_at: number | null;
  pending: number;
  failed: number;
  last_id: number | null;
  last_state: DeliveryStatus['status'] | null;
  last_attempts: number | null;
  last_http: number | null;
  last_failure: string | null;
  last_at: number | null;
}

const DELIVERY_COLUMNS = 'id, webhook_id, message_id, event, status, attempts, last_status, last_error, created_at, next_attempt_at, delivered_at';

/** A webhook with its owner's revocation, its queue tally and its latest delivery, in one read. The
 * owner counts as revoked when the key that registered (or last confirmed) it is revoked. */
const HOOK_SELECT = `
  SELECT w.id, w.site_id, w.url, w.events, w.created_at, w.disabled_at, w.registered_by,
         w.previous_secret_until, w.last_error, w.last_error_at, (k.revoked_at IS NOT NULL) AS owner_revoked,
         t.pending, t.failed, l.id AS last_id, l.status AS last_state, l.attempts AS last_attempts,
         l.last_status AS last_http, l.last_error AS last_failure, coalesce(l.delivered_at, l.created_at) AS last_at
  FROM webhooks w
  LEFT JOIN admin_keys k ON k.id = w.registered_by
  CROSS JOIN LATERAL (
    SELECT count(*) FILTER (WHERE d.status = 'pending') AS pending, count(*) FILTER (WHERE d.status = 'failed') AS failed
    FROM webhook_deliveries d WHERE d.webhook_id = w.id
  ) t
  LEFT JOIN LATERAL (SELECT * FROM webhook_deliveries d WHERE d.webhook_id = w.id ORDER BY d.id DESC LIMIT 1) l ON true`;

const toStatus = (w: HookRow): WebhookStatus => ({
  id: w.id,
  siteId: w.site_id,
  url: w.url,
  events: JSON.parse(w.events) as WebhookEvent[],
  createdAt: w.created_at,
  registeredBy: w.registered_by,
  disabledAt: w.disabled_at,
  ownerRevoked: w.owner_revoked,
  previousSecretUntil: w.previous_secret_until,
  pending: w.pending,
  failed: w.failed,
  last:
    w.last_id !== null
      ? { id: w.last_id, status: w.last_state!, attempts: w.last_attempts!, httpStatus: w.last_http, error: w.last_failure, at: w.last_at! }
      : null,
  lastError: w.last_error !== null && w.last_error_at !== null ? { error: w.last_error, at: w.last_error_at } : null,
});

export function pgWebhooks(sql: Sql): { methods: WebhookStore; enqueue: EnqueueWebhooks } {
  const hookOf = async (db: Sql | Tx, siteId: number, id: string, lock = false): Promise<HookRow | undefined> => {
    if (lock) {
      const [locked] = await db`SELECT id FROM webhooks WHERE site_id = ${siteId} AND id = ${id} FOR UPDATE`;
      if (!locked) return undefined;
    }
    const [row] = await db.unsafe<HookRow[]>(`${HOOK_SELECT} WHERE w.site_id = $1 AND w.id = $2`, [siteId, id]);
    return row;
  };

  const insertDelivery = async (tx: Tx, d: { webhookId: string; messageId: string; event: WebhookEvent; body: string; now: number }) => {
    const [row] = await tx<{ id: number }[]>`
      INSERT INTO webhook_deliveries (webhook_id, message_id, event, body, next_attempt_at, created_at)
      VALUES (${d.webhookId}, ${d.messageId}, ${d.event}, ${d.body}, ${d.now}, ${d.now}) RETURNING id`;
    return row!.id;
  };

  /** Queues `event` for the site's webhooks that get it, inside the caller's transaction, so the queue
   * row and the change that caused it commit together. The body is built only if needed. */
  const enqueue: EnqueueWebhooks = async (tx, siteId, event, body, now) => {
    // KEY SHARE: a webhook being deleted right now is waited for and then left out, instead of its
    // delivery's foreign key failing the response that caused it.
    const rows = await tx<{ id: string; events: string; disabled_at: number | null; owner_revoked: boolean }[]>`
      SELECT w.id, w.events, w.disabled_at, (k.revoked_at IS NOT NULL) AS owner_revoked
      FROM webhooks w LEFT JOIN admin_keys k ON k.id = w.registered_by
      WHERE w.site_id = ${siteId} ORDER BY w.created_at, w.id
      FOR KEY SHARE OF w`;
    const hooks = rows.map((w) => ({
      id: w.id,
      events: JSON.parse(w.events) as string[],
      state: webhookState({ disabledAt: w.disabled_at, ownerRevoked: w.owner_revoked }),
    }));
    const to = recipients(hooks, event);
    if (to.length === 0) return;
    const text = body();
    for (const hook of to) await insertDelivery(tx, { webhookId: hook.id, messageId: publicId('msg'), event, body: text, now });
  };

  const methods: WebhookStore = {
    async createWebhook(webhook, now) {
      await sql`
        INSERT INTO webhooks (id, site_id, url, events, secret, created_at, registered_by)
        VALUES (${webhook.id}, ${webhook.siteId}, ${webhook.url}, ${JSON.stringify(webhook.events)}, ${webhook.secret}, ${now}, ${webhook.registeredBy})`;
    },
    async listWebhooks(siteId) {
      const rows = await sql.unsafe<HookRow[]>(`${HOOK_SELECT} WHERE w.site_id = $1 ORDER BY w.created_at, w.id`, [siteId]);
      return rows.map(toStatus);
    },
    async getWebhook(siteId, id) {
      const row = await hookOf(sql, siteId, id);
      return row ? toStatus(row) : null;
    },
    async setWebhookEnabled(siteId, id, enabled, byKey, now) {
      const result = await sql`
        UPDATE webhooks SET disabled_at = ${enabled ? null : now}::bigint,
          registered_by = CASE WHEN ${enabled} THEN ${byKey}::text ELSE registered_by END
        WHERE site_id = ${siteId} AND id = ${id}`;
      return result.count === 1;
    },
    async deleteWebhook(siteId, id) {
      return transaction(sql, async (tx) => {
        // The row lock waits for a response's transaction queueing a delivery to this webhook.
        const [hook] = await tx`SELECT id FROM webhooks WHERE site_id = ${siteId} AND id = ${id} FOR UPDATE`;
        if (!hook) return false;
        await tx`DELETE FROM webhook_deliveries WHERE webhook_id = ${id}`;
        return (await tx`DELETE FROM webhooks WHERE site_id = ${siteId} AND id = ${id}`).count === 1;
      });
    },
    async rotateWebhookSecret(siteId, id, secret, previousUntil) {
      const result = await sql`
        UPDATE webhooks SET previous_secret = secret, previous_secret_until = ${previousUntil}, secret = ${secret}
        WHERE site_id = ${siteId} AND id = ${id}`;
      return result.count === 1;
    },
    async listDeliveries(siteId, webhookId, limit) {
      const [hook] = await sql`SELECT id FROM webhooks WHERE site_id = ${siteId} AND id = ${webhookId}`;
      if (!hook) return [];
      const rows = await sql.unsafe<DeliveryRow[]>(
        `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries WHERE webhook_id = $1 ORDER BY id DESC LIMIT $2`,
        [webhookId, limit],
      );
      return rows.map(toDeliveryStatus);
    },
    async redeliver(siteId, webhookId, deliveryId, now) {
      return transaction(sql, async (tx) => {
        if (!(await hookOf(tx, siteId, webhookId, true))) return { status: 'not_found' as const };
        const [original] = await tx<(DeliveryRow & { body: string })[]>`
          SELECT * FROM webhook_deliveries WHERE webhook_id = ${webhookId} AND id = ${deliveryId}`;
        if (!original) return { status: 'not_found' as const };
        if (original.status === 'pending') return { status: 'still_pending' as const };
        const id = await insertDelivery(tx, { webhookId, messageId: messageIdOf(original), event: original.event, body: original.body, now });
        const [row] = await tx.unsafe<DeliveryRow[]>(`SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries WHERE id = $1`, [id]);
        return { status: 'queued' as const, delivery: toDeliveryStatus(row!) };
      });
    },
    async dueDeliveries(now, limit, webhookId) {
      // Each webhook's head (its oldest pending delivery), when due and not leased to another instance;
      // the WHERE is the SQL twin of webhookState() === 'enabled', so a held webhook's queue waits in the
      // database. SKIP LOCKED passes over heads another instance is taking right now, and the lease
      // (the head's next attempt moved past its end) keeps them from it until the attempt is recorded,
      // which sets the real next attempt. Only a head is ever taken, so a webhook's
      // deliveries still go out one at a time, in order, whichever instance sends them.
      const rows = await sql<(Omit<Delivery, 'messageId'> & { message_id: string | null; due_at: number })[]>`
        WITH heads AS (
          SELECT d.id, d.next_attempt_at AS due_at FROM webhooks w
          JOIN webhook_deliveries d ON d.id = (
            SELECT min(p.id) FROM webhook_deliveries p WHERE p.webhook_id = w.id AND p.status = 'pending')
          LEFT JOIN admin_keys k ON k.id = w.registered_by
          WHERE w.disabled_at IS NULL AND k.revoked_at IS NULL
            AND d.status = 'pending' AND d.next_attempt_at <= ${now}
            AND (${webhookId ?? null}::text IS NULL OR w.id = ${webhookId ?? null}::text)
          ORDER BY d.next_attempt_at, d.id
          LIMIT ${limit}
          FOR UPDATE OF d SKIP LOCKED
        )
        UPDATE webhook_deliveries d SET next_attempt_at = ${now + DELIVERY_LEASE_MS}
        FROM heads, webhooks w
        WHERE d.id = heads.id AND w.id = d.webhook_id
        RETURNING d.id, d.webhook_id AS "webhookId", d.message_id, w.url, w.secret, w.previous_secret AS "previousSecret",
          w.previous_secret_until AS "previousSecretUntil", d.event, d.body, d.attempts, heads.due_at`;
      return [...rows]
        .sort((a, b) => a.due_at - b.due_at || a.id - b.id)
        .map(({ message_id, due_at: _, ...d }) => ({ ...d, messageId: messageIdOf({ id: d.id, message_id }) }));
    },
    async recordAttempt(id, result, now) {
      await transaction(sql, async (tx) => {
        await tx`
          UPDATE webhook_deliveries SET attempts = attempts + 1, last_status = ${result.httpStatus}, last_error = ${result.error},
            last_attempt_at = ${now},
            status = CASE WHEN ${result.ok} THEN 'delivered' WHEN ${result.nextAttemptAt}::bigint IS NULL THEN 'failed' ELSE 'pending' END,
            next_attempt_at = coalesce(${result.nextAttemptAt}::bigint, next_attempt_at),
            delivered_at = CASE WHEN ${result.ok} THEN ${now}::bigint ELSE delivered_at END
          WHERE id = ${id}`;
        if (result.error !== null) {
          await tx`
            UPDATE webhooks SET last_error = ${result.error}, last_error_at = ${now}
            WHERE id = (SELECT webhook_id FROM webhook_deliveries WHERE id = ${id})`;
        }
      });
    },
  };
  return { methods, enqueue };
}
