// What the parts of the PostgreSQL store give each other: the hooks that run inside another part's
// transaction (a response's webhook deliveries, write-backs and log entries commit with the response).
import type { Tx } from './connection.js';
import type { WebhookEvent } from '../../domain/webhook.js';
import type { Reaction } from '../../domain/reaction.js';
import type { NewSurvey, StoredResponse, Survey } from '../types.js';

/** Queues `event` for the site's webhooks that get it, inside `tx`. The body is built only if needed. */
export type EnqueueWebhooks = (tx: Tx, siteId: number, event: WebhookEvent, body: () => string, now: number) => Promise<void>;
/** Queues the help-desk write-backs a response calls for, inside `tx`. */
export type AfterResponse = (tx: Tx, survey: Survey, previous: Reaction | null, response: StoredResponse, now: number) => Promise<void>;
/** Appends the site's new events to its public log, inside `tx` (which holds the site's row lock). */
export type CatchUpLog = (tx: Tx, siteId: number) => Promise<void>;
/** The store's survey creation, run inside the caller's transaction. */
export type CreateSurveyTx = (tx: Tx, input: NewSurvey, now: number) => Promise<{ survey: Survey; created: boolean; throttled: boolean }>;
