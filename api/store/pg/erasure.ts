// The PostgreSQL side of erasure (mirrors sqlite-erasure.ts): a contact's personal fields rewritten in
// one transaction; ratings, events, daily counts, the chain and the log never move. Old row versions
// holding the erased text stay in the table files until VACUUM reclaims them (autovacuum does so on
// its own schedule); PostgreSQL has no equivalent of SQLite's secure_delete.
import type { ErasureCounts, ErasureStore } from '../types-erasure.js';
import { ERASED_NOTE } from '../../domain/erasure.js';
import { transaction, type Sql, type Tx } from './connection.js';
import { bumpVersion } from './core-sites.js';
import { notifyChange } from './notify.js';

/** The stored webhook body without the comment of one of `responses`; null when it names none of them,
 * has no comment, or is not the JSON that domain/webhook.ts builds. Done here rather than with jsonb_set,
 * which would reorder the keys and respace the text that is delivered and signed. */
const withoutComment = (body: string, responses: ReadonlySet<string>): string | null => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return null;
  }
  const response = (parsed as { response?: unknown } | null)?.response as Record<string, unknown> | null | undefined;
  if (typeof response !== 'object' || response === null || !responses.has(response.id as string)) return null;
  if (response.comment === null || response.comment === undefined) return null;
  response.comment = null;
  return JSON.stringify(parsed);
};

async function erase(tx: Tx, siteId: number, email: string): Promise<ErasureCounts> {
  // The contact's surveys, chosen and locked once, so every statement below sees the same set.
  const surveys = (await tx<{ id: string }[]>`
    SELECT id FROM surveys WHERE site_id = ${siteId} AND contact_email = ${email} ORDER BY id FOR NO KEY UPDATE`).map((s) => s.id);
  const responses = surveys.length === 0 ? [] : (await tx<{ id: string }[]>`SELECT id FROM responses WHERE survey_id = ANY(${surveys}::text[])`).map((r) => r.id);

  const comments = (await tx`UPDATE responses SET comment = NULL WHERE comment IS NOT NULL AND survey_id = ANY(${surveys}::text[])`).count;
  const notes = (await tx`
    UPDATE response_notes SET text = ${ERASED_NOTE} WHERE text <> ${ERASED_NOTE} AND response_id = ANY(${responses}::text[])`).count;
  const heldComments = (await tx`UPDATE held_answers SET comment = NULL WHERE comment IS NOT NULL AND survey_id = ANY(${surveys}::text[])`).count;

  // The body is JSON built by domain/webhook.ts: { event, site, occurredAt, response: { id, comment, ... } }.
  // Only the site's deliveries whose text names one of the responses are read and parsed.
  let webhookBodies = 0;
  if (responses.length > 0) {
    const candidates = await tx<{ id: number; body: string }[]>`
      SELECT d.id, d.body FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
      WHERE w.site_id = ${siteId} AND EXISTS (SELECT 1 FROM unnest(${responses}::text[]) AS r(id) WHERE strpos(d.body, r.id) > 0)
      ORDER BY d.id FOR NO KEY UPDATE OF d`;
    const ids = new Set(responses);
    for (const d of candidates) {
      const body = withoutComment(d.body, ids);
      if (body === null) continue;
      await tx`UPDATE webhook_deliveries SET body = ${body} WHERE id = ${d.id}`;
      webhookBodies += 1;
    }
  }

  const emailErrors = (await tx`UPDATE email_outbox SET last_error = NULL WHERE last_error IS NOT NULL AND survey_id = ANY(${surveys}::text[])`).count;
  const surveysCleared = (await tx`UPDATE surveys SET contact_email = NULL, contact_name = NULL WHERE id = ANY(${surveys}::text[])`).count;
  // Run items keep only the contact's number, so removing the row leaves each run's counts intact.
  const campaignContacts = (await tx`
    DELETE FROM campaign_contacts WHERE email = ${email} AND campaign_id IN (SELECT id FROM campaigns WHERE site_id = ${siteId})`).count;
  const counts = { comments, notes, heldComments, webhookBodies, emailErrors, surveys: surveysCleared, campaignContacts };
  if (Object.values(counts).some((n) => n > 0)) {
    // Walls and inboxes show comments: other instances (and caches keyed on the data version) must
    // learn that these are gone.
    await bumpVersion(tx, siteId);
    await notifyChange(tx, siteId);
  }
  return counts;
}

export function pgErasure(sql: Sql): ErasureStore {
  return {
    async eraseContact(siteId, email) {
      return transaction(sql, (tx) => erase(tx, siteId, email));
    },
  };
}
