// Who gets a survey email when a survey is created, and what the outbox records when nobody does: the
// rules every store applies inside the survey's own transaction, so no store decides them itself.
import { createHash } from 'node:crypto';

/** The opt-out list keeps this instead of the address, so it outlives an erasure request; the same
 * address in any case and with stray spaces is the same entry. */
export function optOutKey(email: string): string {
  return createHash('sha256').update(email.trim().toLowerCase()).digest('hex');
}

/** Only a new survey is skipped for an opted-out contact: an existing one is returned as it is, so a
 * retried creation answers the same. The list is read only when this is true. */
export function mayBeSkippedAsOptedOut(s: { isNew: boolean; contactEmail: string | null; skipOptedOut: boolean }): boolean {
  return s.isNew && s.contactEmail !== null && s.contactEmail !== '' && s.skipOptedOut;
}

/** What a creation does to the ticket's outbox row, given what the survey creation did.
 * - `record_throttled`: no survey was made (survey fatigue); the row says why.
 * - `queue`: a new survey with an address gets its email.
 * - `requeue_cancelled`: a reopened ticket's cancelled email goes out again; any other email of an
 *   existing survey stays as it is, so a retried creation never sends twice.
 * - `none`: no email asked for, or no address to send it to. */
export type OutboxStep = 'record_throttled' | 'queue' | 'requeue_cancelled' | 'none';

export function outboxStep(s: { wantsEmail: boolean; created: boolean; throttled: boolean; contactEmail: string | null }): OutboxStep {
  if (!s.wantsEmail) return 'none';
  if (s.throttled) return 'record_throttled';
  if (s.created) return s.contactEmail ? 'queue' : 'none';
  return 'requeue_cancelled';
}
