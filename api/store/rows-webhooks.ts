// A row of webhook_deliveries as both stores read it, and the delivery's status made from it. A webhook's
// own row stays with each store: SQLite reads its owner's revocation as 0/1 and its queue with other
// queries, PostgreSQL reads a boolean and the queue in the same row.
import type { WebhookEvent } from '../domain/webhook.js';
import type { DeliveryStatus } from './types-webhooks.js';

export interface DeliveryRow {
  id: number;
  webhook_id: string;
  message_id: string | null;
  event: WebhookEvent;
  status: DeliveryStatus['status'];
  attempts: number;
  last_status: number | null;
  last_error: string | null;
  created_at: number;
  next_attempt_at: number;
  delivered_at: number | null;
}

/** The pre-Standard-Webhooks rows have no message id: theirs is derived from the row id. */
export const messageIdOf = (row: { id: number; message_id: string | null }) => row.message_id ?? `msg_${row.id}`;

export const toDeliveryStatus = (r: DeliveryRow): DeliveryStatus => ({
  id: r.id,
  webhookId: r.webhook_id,
  messageId: messageIdOf(r),
  event: r.event,
  status: r.status,
  attempts: r.attempts,
  httpStatus: r.last_status,
  error: r.last_error,
  createdAt: r.created_at,
  nextAttemptAt: r.status === 'pending' ? r.next_attempt_at : null,
  deliveredAt: r.delivered_at,
});
