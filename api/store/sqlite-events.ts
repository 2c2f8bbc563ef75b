// A row of response_events and the chain event it holds: shared by the store's writes and the import.
import type { ChainEvent, EventType } from '../domain/chain.js';
import type { Reaction } from '../domain/reaction.js';

export interface EventRow {
  seq: number;
  type: EventType;
  response_id: string;
  reaction: Reaction;
  /** The CSAT or NPS answer; null for reactions. */
  value: number | null;
  responded_at: number;
  at: number;
  prev_hash: string;
  hash: string;
}

export const eventFromRow = (r: EventRow, slug: string): ChainEvent => ({
  site: slug,
  seq: r.seq,
  type: r.type,
  response: r.response_id,
  reaction: r.reaction,
  ...(r.value === null ? {} : { value: r.value }),
  respondedAt: r.responded_at,
  at: r.at,
  prevHash: r.prev_hash,
  hash: r.hash,
});
