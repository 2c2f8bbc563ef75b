// The webhook part of the Store interface: subscriptions, their delivery queue and its history.
import type { WebhookEvent } from '../domain/webhook.js';

export type { WebhookEvent };

export interface Webhook {
  id: string;
  siteId: number;
  url: string;
  events: WebhookEvent[];
  secret: string;
  createdAt: number;
}

export interface NewWebhook extends Omit<Webhook, 'createdAt'> {
  /** The admin key that registered it (null: created outside the API). */
  registeredBy: string | null;
}

export type DeliveryStatusName = 'pending' | 'delivered' | 'failed';

export interface WebhookStatus extends Omit<Webhook, 'secret'> {
  registeredBy: string | null;
  disabledAt: number | null;
  /** The registering key has been revoked (since the last confirmation). */
  ownerRevoked: boolean;
  /** Until when the previous secret still signs (null: no rotation in progress). */
  previousSecretUntil: number | null;
  pending: number;
  failed: number;
  last: { id: number; status: DeliveryStatusName; attempts: number; httpStatus: number | null; error: string | null; at: number } | null;
  /** The latest error of any attempt, kept after later deliveries succeed. */
  lastError: { error: string; at: number } | null;
}

export interface DeliveryStatus {
  id: number;
  webhookId: string;
  messageId: string;
  event: WebhookEvent;
  status: DeliveryStatusName;
  attempts: number;
  httpStatus: number | null;
  error: string | null;
  createdAt: number;
  nextAttemptAt: number | null;
  deliveredAt: number | null;
}

/** One delivery for the worker: what to send, where, and the secrets to sign it with. */
export interface Delivery {
  id: number;
  webhookId: string;
  messageId: string;
  url: string;
  secret: string;
  previousSecret: string | null;
  previousSecretUntil: number | null;
  event: WebhookEvent;
  body: string;
  attempts: number;
}

export type RedeliverOutcome =
  | { status: 'queued'; delivery: DeliveryStatus }
  | { status: 'not_found' }
  | { status: 'still_pending' };

export interface WebhookStore {
  createWebhook(webhook: NewWebhook, now: number): Promise<void>;
  /** Every webhook of the site, disabled ones included, oldest first. */
  listWebhooks(siteId: number): Promise<WebhookStatus[]>;
  getWebhook(siteId: number, id: string): Promise<WebhookStatus | null>;
  /** Disables, or enables, which also confirms it: `byKey` becomes its owner (null, from the server's
   * command line: no key owns it, so no revocation holds it). false: no such webhook. */
  setWebhookEnabled(siteId: number, id: string, enabled: boolean, byKey: string | null, now: number): Promise<boolean>;
  /** Removes the webhook and its delivery history. false: no such webhook. */
  deleteWebhook(siteId: number, id: string): Promise<boolean>;
  /** New secret; the old one keeps signing until `previousUntil`. false: no such webhook. */
  rotateWebhookSecret(siteId: number, id: string, secret: string, previousUntil: number): Promise<boolean>;
  /** The webhook's deliveries, newest first. */
  listDeliveries(siteId: number, webhookId: string, limit: number): Promise<DeliveryStatus[]>;
  /** Queues a finished delivery of this webhook again, at the end of its queue, with the same message id. */
  redeliver(siteId: number, webhookId: string, deliveryId: number, now: number): Promise<RedeliverOutcome>;
  /** For each webhook that may deliver, its oldest pending delivery if that one is due: a webhook's
   * deliveries go out one at a time, in order, so a later one never overtakes one waiting for a retry.
   * With `webhookId`, only that webhook's. */
  dueDeliveries(now: number, limit: number, webhookId?: string): Promise<Delivery[]>;
  /** Records one attempt: delivered, or failed with the next try (null: give up). */
  recordAttempt(id: number, result: { ok: boolean; httpStatus: number | null; error: string | null; nextAttemptAt: number | null }, now: number): Promise<void>;
}
