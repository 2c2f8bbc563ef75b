// The storage contract of the public per-site Merkle log (api/domain/merkle.ts) and of the replay checks.
import type { DayTotals, ResponseFact } from '../domain/replay.js';

export interface LogHead {
  size: number;
  /** Base64, as in the checkpoint. */
  rootHash: string;
  /** The C2SP signed checkpoint for this size and root. */
  checkpoint: string;
}

export interface LogStore {
  /** The site's log origin and its public (verifier) key; makes the key on first use. */
  logKey(siteId: number): Promise<{ origin: string; verifierKey: string }>;
  logHead(siteId: number): Promise<LogHead>;
  /** Entries [start, end) that exist, oldest first, as the exact text that was hashed. */
  logEntries(siteId: number, start: number, end: number): Promise<Array<{ index: number; data: string }>>;
  /** Base64 hashes; null when index < size <= log size does not hold. */
  logInclusionProof(siteId: number, index: number, size: number): Promise<string[] | null>;
  /** Base64 hashes; null when from <= to <= log size does not hold. */
  logConsistencyProof(siteId: number, from: number, to: number): Promise<string[] | null>;
  /** The log index of a response's latest event (the entry that holds its current reaction), or null
   * when it has none in the log. */
  logIndexOfResponse(siteId: number, responseId: string): Promise<number | null>;
  /** Every response's reaction, day and source, as the tables hold them (for `csat verify`). */
  responseFacts(siteId: number): Promise<ResponseFact[]>;
  /** The stored per-day counts (for `csat verify`). */
  storedDayCounts(siteId: number): Promise<DayTotals[]>;
  /** The stored per-day answer values the scores read, folded into classes (for `csat verify`). */
  storedDayValues(siteId: number): Promise<DayTotals[]>;
}
