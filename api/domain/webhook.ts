// Webhook payloads and their signatures. A receiver verifies a delivery by recomputing
// HMAC-SHA256(secret, "<t>.<raw body>") and comparing it with v1 in the `CSAT-Signature: t=<unix
// seconds>,v1=<hex>` header, and refuses a `t` older than a few minutes (a replay).
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FollowUp } from './follow-up.js';
import type { Reaction } from './reaction.js';

export const SIGNATURE_HEADER = 'CSAT-Signature';
export const DEFAULT_TOLERANCE_S = 300;

export interface WebhookResponse {
  id: string;
  ticketRef: string;
  reaction: Reaction;
  comment: string | null;
  team: string | null;
  technician: string | null;
  followUp: FollowUp;
  createdAt: number;
  updatedAt: number;
}

export function webhookBody(event: string, site: string, response: WebhookResponse, at: number): string {
  return JSON.stringify({
    event,
    site,
    occurredAt: new Date(at).toISOString(),
    response: { ...response, createdAt: new Date(response.createdAt).toISOString(), updatedAt: new Date(response.updatedAt).toISOString() },
  });
}

function mac(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

export function signatureHeader(secret: string, body: string, nowMs: number): string {
  const t = Math.floor(nowMs / 1000);
  return `t=${t},v1=${mac(secret, t, body)}`;
}

/** True when the header signs exactly this body with this secret, within `toleranceS` of `nowMs`. */
export function verifySignature(secret: string, header: string | null | undefined, body: string, nowMs: number, toleranceS = DEFAULT_TOLERANCE_S): boolean {
  const parts = Object.fromEntries((header ?? '').split(',').map((p) => p.trim().split('=', 2) as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || !/^[0-9a-f]{64}$/.test(parts.v1 ?? '')) return false;
  if (Math.abs(nowMs / 1000 - t) > toleranceS) return false;
  return timingSafeEqual(Buffer.from(parts.v1!, 'hex'), Buffer.from(mac(secret, t, body), 'hex'));
}

/** Retry schedule after a failed attempt: 10 s, 1 min, 5 min, 30 min, 2 h, 6 h, then give up (null). */
const BACKOFF_S = [10, 60, 300, 1800, 7200, 21600];

export function nextAttemptAfter(attempts: number, nowMs: number): number | null {
  const wait = BACKOFF_S[attempts - 1];
  return wait === undefined ? null : nowMs + wait * 1000;
}
