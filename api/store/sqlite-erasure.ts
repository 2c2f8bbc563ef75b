// The SQLite side of erasure (see types-erasure.ts). The connection has `secure_delete` on (set at
// open in sqlite.ts), so the pages that held the erased text are overwritten with zeros, and the
// TRUNCATE checkpoint afterwards empties the WAL, whose older frames still held that text.
import type Database from 'better-sqlite3';
import { ERASED_NOTE } from '../domain/erasure.js';
import type { ErasureCounts, ErasureStore } from './types-erasure.js';

// Re-exported for callers that imported it from here before it moved to the domain.
export { ERASED_NOTE };

export function sqliteErasure(db: Database.Database): ErasureStore {
  // The contact's surveys, chosen once into a temporary table, so every statement below sees the same set.
  db.exec('CREATE TEMP TABLE IF NOT EXISTS erase_surveys (id TEXT PRIMARY KEY)');
  const q = {
    pick: db.prepare(
      `INSERT INTO temp.erase_surveys (id) SELECT id FROM surveys
       WHERE site_id = ? AND contact_email = ?`,
    ),
    comments: db.prepare(`UPDATE responses SET comment = NULL WHERE comment IS NOT NULL AND survey_id IN (SELECT id FROM temp.erase_surveys)`),
    notes: db.prepare(
      `UPDATE response_notes SET text = '${ERASED_NOTE}' WHERE text <> '${ERASED_NOTE}' AND response_id IN
       (SELECT r.id FROM responses r JOIN temp.erase_surveys e ON e.id = r.survey_id)`,
    ),
    held: db.prepare(`UPDATE held_answers SET comment = NULL WHERE comment IS NOT NULL AND survey_id IN (SELECT id FROM temp.erase_surveys)`),
    // The body is JSON built by domain/webhook.ts: { event, site, occurredAt, response: { id, comment, ... } }.
    webhookBodies: db.prepare(
      `UPDATE webhook_deliveries SET body = json_set(body, '$.response.comment', NULL)
       WHERE json_valid(body) AND json_extract(body, '$.response.comment') IS NOT NULL AND json_extract(body, '$.response.id') IN
       (SELECT r.id FROM responses r JOIN temp.erase_surveys e ON e.id = r.survey_id)`,
    ),
    emailErrors: db.prepare(`UPDATE email_outbox SET last_error = NULL WHERE last_error IS NOT NULL AND survey_id IN (SELECT id FROM temp.erase_surveys)`),
    surveys: db.prepare(`UPDATE surveys SET contact_email = NULL, contact_name = NULL WHERE id IN (SELECT id FROM temp.erase_surveys)`),
    // Run items keep only the contact's number, so removing the row leaves each run's counts intact.
    campaignContacts: db.prepare(
      'DELETE FROM campaign_contacts WHERE email = ? AND campaign_id IN (SELECT id FROM campaigns WHERE site_id = ?)',
    ),
    clear: db.prepare('DELETE FROM temp.erase_surveys'),
  };

  const erase = db.transaction((siteId: number, email: string): ErasureCounts => {
    q.clear.run();
    q.pick.run(siteId, email);
    const counts: ErasureCounts = {
      comments: q.comments.run().changes,
      notes: q.notes.run().changes,
      heldComments: q.held.run().changes,
      webhookBodies: q.webhookBodies.run().changes,
      emailErrors: q.emailErrors.run().changes,
      surveys: q.surveys.run().changes,
      campaignContacts: q.campaignContacts.run(email, siteId).changes,
    };
    q.clear.run();
    return counts;
  });

  return {
    async eraseContact(siteId, email) {
      const counts = erase.immediate(siteId, email);
      // Outside the transaction (a checkpoint cannot run inside one). If a reader holds the WAL open
      // the checkpoint copies what it can; the pages are zeroed in the database either way.
      db.pragma('wal_checkpoint(TRUNCATE)');
      return counts;
    },
  };
}
