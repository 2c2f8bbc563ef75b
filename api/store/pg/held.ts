// The PostgreSQL side of scanner detection: link opens and held answers (mirrors sqlite-held.ts).
import { REACTION_VALUE } from '../../domain/kinds.js';
import type { HeldAnswer, HeldStore } from '../types-held.js';
import { transaction, type Sql, type Tx } from './connection.js';
import { toOpens, type HeldRow, type OpensRow } from '../rows-held.js';

const readOpens = async (db: Sql | Tx, surveyId: string, lock: boolean): Promise<OpensRow | undefined> => {
  const [row] = lock
    ? await db<OpensRow[]>`SELECT positive_at, neutral_at, negative_at, trap_at, scanned_until FROM survey_link_opens WHERE survey_id = ${surveyId} FOR NO KEY UPDATE`
    : await db<OpensRow[]>`SELECT positive_at, neutral_at, negative_at, trap_at, scanned_until FROM survey_link_opens WHERE survey_id = ${surveyId}`;
  return row;
};

export function pgHeld(sql: Sql): HeldStore {
  return {
    async getLinkOpens(surveyId) {
      return toOpens(await readOpens(sql, surveyId, false));
    },
    async recordLinkOpen(surveyId, kind, at, next) {
      return transaction(sql, async (tx) => {
        // A scanner opens every link of a mail at once, often from several instances: the rule must see
        // the state the previous open left. The survey's row lock also covers a first open (no row yet),
        // which a lock on survey_link_opens alone could not; NO KEY, so it never holds up a row that
        // merely references the survey (an answer being written).
        await tx`SELECT 1 FROM surveys WHERE id = ${surveyId} FOR NO KEY UPDATE`;
        const state = next(toOpens(await readOpens(tx, surveyId, true)), kind, at);
        await tx`
          INSERT INTO survey_link_opens (survey_id, positive_at, neutral_at, negative_at, trap_at, scanned_until)
          VALUES (${surveyId}, ${state.positive}, ${state.neutral}, ${state.negative}, ${state.trap}, ${state.scannedUntil})
          ON CONFLICT (survey_id) DO UPDATE SET positive_at = excluded.positive_at, neutral_at = excluded.neutral_at,
            negative_at = excluded.negative_at, trap_at = excluded.trap_at, scanned_until = excluded.scanned_until`;
        return state;
      });
    },
    async holdAnswer(held: HeldAnswer) {
      await sql`
        INSERT INTO held_answers (survey_id, reaction, value, comment, at)
        VALUES (${held.surveyId}, ${held.reaction}, ${held.value}, ${held.comment}, ${held.at})
        ON CONFLICT (survey_id) DO UPDATE SET reaction = excluded.reaction, value = excluded.value, comment = excluded.comment, at = excluded.at`;
    },
    async getHeldAnswer(surveyId) {
      const [r] = await sql<HeldRow[]>`SELECT survey_id, reaction, value, comment, at FROM held_answers WHERE survey_id = ${surveyId}`;
      // Rows held before survey kinds carry no value: a reaction's value follows from it.
      return r ? { surveyId: r.survey_id, reaction: r.reaction, value: r.value ?? REACTION_VALUE[r.reaction], comment: r.comment, at: r.at } : null;
    },
    async dropHeldAnswer(surveyId) {
      const result = await sql`DELETE FROM held_answers WHERE survey_id = ${surveyId}`;
      return result.count > 0;
    },
    async countHeldAnswers(siteId) {
      const [row] = await sql<{ n: number }[]>`
        SELECT count(*) AS n FROM held_answers h JOIN surveys s ON s.id = h.survey_id WHERE s.site_id = ${siteId}`;
      return row!.n;
    },
  };
}
