// The append-only response log of a site is a hash chain: each event stores the SHA-256 of its own
// canonical form, which includes the previous event's hash. Changing, removing or reordering any past
// event breaks every hash after it.
import { createHash } from 'node:crypto';
import type { Reaction } from './reaction.js';

export const GENESIS_HASH = '0'.repeat(64);

export type EventType = 'submit' | 'change' | 'import';

/** What an event says; personal data (comments, contacts) is deliberately not part of it, so erasing
 * it later never breaks the chain. */
export interface ChainEventBody {
  site: string;
  seq: number;
  type: EventType;
  response: string;
  reaction: Reaction;
  /** The answer of a CSAT or NPS survey (absent for reactions, so their events hash as they always did). */
  value?: number;
  /** When the reaction was given (for imports: the date from the other tool). */
  respondedAt: number;
  /** When the event was written. */
  at: number;
  prevHash: string;
}

export interface ChainEvent extends ChainEventBody {
  hash: string;
}

/** Fixed field order, so the same event always hashes the same way. */
export function canonicalEvent(body: ChainEventBody): string {
  return JSON.stringify([
    'csat-event-v1',
    body.site,
    body.seq,
    body.type,
    body.response,
    body.reaction,
    ...(body.value === undefined ? [] : [body.value]),
    body.respondedAt,
    body.at,
    body.prevHash,
  ]);
}

export function hashEvent(body: ChainEventBody): string {
  return createHash('sha256').update(canonicalEvent(body)).digest('hex');
}

export function chainEvent(body: Omit<ChainEventBody, 'prevHash'>, previous: ChainEvent | null): ChainEvent {
  const full: ChainEventBody = { ...body, prevHash: previous?.hash ?? GENESIS_HASH };
  return { ...full, hash: hashEvent(full) };
}

export type ChainCheck =
  | { valid: true; length: number; head: string }
  | { valid: false; length: number; brokenAt: number; reason: string };

/** Verifies a site's whole log, oldest first. */
export function verifyChain(events: Iterable<ChainEvent>): ChainCheck {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let length = 0;
  for (const event of events) {
    length++;
    const fail = (reason: string): ChainCheck => ({ valid: false, length, brokenAt: event.seq, reason });
    if (event.seq !== expectedSeq) return fail(`expected event ${expectedSeq}, found ${event.seq}`);
    if (event.prevHash !== prevHash) return fail(`event ${event.seq} does not follow the previous event`);
    if (hashEvent(event) !== event.hash) return fail(`event ${event.seq} was modified after it was written`);
    prevHash = event.hash;
    expectedSeq++;
  }
  return { valid: true, length, head: prevHash };
}
