// Webhooks in the Standard Webhooks shape (https://www.standardwebhooks.com): each delivery carries
// `webhook-id` (the same on every retry and redelivery, so receivers can drop duplicates),
// `webhook-timestamp` (unix seconds) and `webhook-signature: v1,<base64 HMAC-SHA256>` over
// "<id>.<timestamp>.<raw body>", keyed with the base64-decoded part of the `whsec_...` secret.
// Also who gets an event, the state of a webhook and the retry schedule: rules, not storage.
import { createHmac, randomBytes } from 'node:crypto';
import type { FollowUp } from './follow-up.js';
import type { Reaction } from './reaction.js';
import type { SurveyKind } from './kinds.js';

export type WebhookEvent = 'response.created' | 'response.changed';
export const WEBHOOK_EVENTS = ['response.created', 'response.changed'] as const satisfies readonly WebhookEvent[];

export const SECRET_PREFIX = 'whsec_';
/** How long the previous secret keeps signing after a rotation, so receivers can switch without a gap. */
export const ROTATION_OVERLAP_MS = 24 * 3600_000;

export interface WebhookResponse {
  id: string;
  ticketRef: string;
  /** The answer's class (the reaction itself on reaction surveys). */
  reaction: Reaction;
  kind: SurveyKind;
  scale: number | null;
  /** The CSAT or NPS answer; null for reactions. */
  score: number | null;
  moment: string;
  dimensions: readonly string[];
  comment: string | null;
  team: string | null;
  technician: string | null;
  followUp: FollowUp;
  createdAt: number;
  updatedAt: number;
}

/** What a webhook says about a response: its answer, who handled the ticket and its follow-up state.
 * The score is only sent for CSAT and NPS answers (a reaction's class already says it all). */
export function webhookResponse(
  response: {
    id: string; ticketRef: string; reaction: Reaction; kind: SurveyKind; scale: number | null; value: number;
    moment: string; dimensions: readonly string[]; comment: string | null; createdAt: number; updatedAt: number;
  },
  survey: { team: string | null; technician: string | null },
  followUp: FollowUp,
): WebhookResponse {
  return {
    id: response.id,
    ticketRef: response.ticketRef,
    reaction: response.reaction,
    kind: response.kind,
    scale: response.scale,
    score: response.kind === 'reaction' ? null : response.value,
    moment: response.moment,
    dimensions: response.dimensions,
    comment: response.comment,
    team: survey.team,
    technician: survey.technician,
    followUp,
    createdAt: response.createdAt,
    updatedAt: response.updatedAt,
  };
}

export function webhookBody(event: string, site: string, response: WebhookResponse, at: number): string {
  return JSON.stringify({
    event,
    site,
    occurredAt: new Date(at).toISOString(),
    response: { ...response, createdAt: new Date(response.createdAt).toISOString(), updatedAt: new Date(response.updatedAt).toISOString() },
  });
}

/** 24 random bytes in standard base64 (32 characters, no padding), as the spec's libraries decode it. */
export function newWebhookSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(24).toString('base64')}`;
}

/** The signing key of a secret. Buffer's base64 decoder also reads the URL-safe alphabet, which secrets
 * made before the Standard Webhooks switch used, so those keep signing. */
function secretKey(secret: string): Buffer {
  return Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, 'base64');
}

export function sign(secret: string, id: string, timestampS: number, body: string): string {
  return `v1,${createHmac('sha256', secretKey(secret)).update(`${id}.${timestampS}.`).update(body).digest('base64')}`;
}

/** The three headers of one attempt. Several secrets (during a rotation) give several space-separated
 * signatures; the spec has receivers accept any one that matches their secret. */
export function deliveryHeaders(secrets: readonly string[], id: string, body: string, nowMs: number): Record<string, string> {
  const timestampS = Math.floor(nowMs / 1000);
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestampS),
    'webhook-signature': secrets.map((s) => sign(s, id, timestampS, body)).join(' '),
  };
}

/** The secrets to sign with at `nowMs`: the current one, and the previous one until its overlap ends. */
export function signingSecrets(hook: { secret: string; previousSecret: string | null; previousSecretUntil: number | null }, nowMs: number): string[] {
  return hook.previousSecret && hook.previousSecretUntil !== null && nowMs < hook.previousSecretUntil ? [hook.secret, hook.previousSecret] : [hook.secret];
}

export type WebhookState = 'enabled' | 'disabled' | 'needs_confirmation';

/** A webhook disabled by an admin stays off until enabled. One whose registering key was revoked waits
 * for an admin to confirm it: a revoked key may have been a stolen one, and its receiver would otherwise
 * keep getting every comment. Webhooks made before keys were recorded have no owner to revoke. */
export function webhookState(hook: { disabledAt: number | null; ownerRevoked: boolean }): WebhookState {
  if (hook.disabledAt !== null) return 'disabled';
  return hook.ownerRevoked ? 'needs_confirmation' : 'enabled';
}

/** Who gets `event`: enabled webhooks subscribed to it. Others get nothing queued (no backlog of
 * comments piles up for a receiver nobody vouches for); a redelivery can fill a gap later. */
export function recipients<H extends { events: readonly string[]; state: WebhookState }>(hooks: readonly H[], event: WebhookEvent): H[] {
  return hooks.filter((h) => h.state === 'enabled' && h.events.includes(event));
}

/** Retry schedule after a failed attempt: 10 s, 1 min, 5 min, 30 min, 2 h, 6 h, then give up (null). */
const BACKOFF_S = [10, 60, 300, 1800, 7200, 21600];

export function nextAttemptAfter(attempts: number, nowMs: number): number | null {
  const wait = BACKOFF_S[attempts - 1];
  return wait === undefined ? null : nowMs + wait * 1000;
}
