// The SQLite side of scanner detection: link opens and held answers (see types-held.ts).
import type Database from 'better-sqlite3';
import type { LinkOpens } from '../domain/scanner.js';
import { REACTION_VALUE } from '../domain/kinds.js';
import type { HeldAnswer, HeldStore } from './types-held.js';
import { toOpens, type HeldRow, type OpensRow } from './rows-held.js';

/** The migration step's SQL; its version number lives in migrations.ts. */
export const HELD_SCHEMA = `
  -- The latest open of each link of a survey (a GET or HEAD; never a reaction) and the scanned mark.
  CREATE TABLE survey_link_opens (
    survey_id TEXT PRIMARY KEY REFERENCES surveys(id),
    positive_at INTEGER,
    neutral_at INTEGER,
    negative_at INTEGER,
    trap_at INTEGER,
    scanned_until INTEGER
  ) STRICT;

  -- An answer auto-sent while its survey was marked as scanned: kept apart from responses (no score,
  -- no event, no daily count) until a person confirms it.
  CREATE TABLE held_answers (
    survey_id TEXT PRIMARY KEY REFERENCES surveys(id),
    reaction TEXT NOT NULL CHECK (reaction IN ('positive', 'neutral', 'negative')),
    comment TEXT,
    at INTEGER NOT NULL
  ) STRICT;
`;

export function sqliteHeld(db: Database.Database): HeldStore {
  const q = {
    opens: db.prepare<[string], OpensRow>('SELECT * FROM survey_link_opens WHERE survey_id = ?'),
    saveOpens: db.prepare(
      `INSERT INTO survey_link_opens (survey_id, positive_at, neutral_at, negative_at, trap_at, scanned_until)
       VALUES (@surveyId, @positive, @neutral, @negative, @trap, @scannedUntil)
       ON CONFLICT (survey_id) DO UPDATE SET positive_at = excluded.positive_at, neutral_at = excluded.neutral_at,
         negative_at = excluded.negative_at, trap_at = excluded.trap_at, scanned_until = excluded.scanned_until`,
    ),
    hold: db.prepare(
      `INSERT INTO held_answers (survey_id, reaction, value, comment, at) VALUES (@surveyId, @reaction, @value, @comment, @at)
       ON CONFLICT (survey_id) DO UPDATE SET reaction = excluded.reaction, value = excluded.value, comment = excluded.comment, at = excluded.at`,
    ),
    held: db.prepare<[string], HeldRow>('SELECT * FROM held_answers WHERE survey_id = ?'),
    drop: db.prepare('DELETE FROM held_answers WHERE survey_id = ?'),
    count: db.prepare<[number], { n: number }>(
      'SELECT COUNT(*) AS n FROM held_answers h JOIN surveys s ON s.id = h.survey_id WHERE s.site_id = ?',
    ),
  };
  const record = db.transaction((surveyId: string, apply: (state: LinkOpens) => LinkOpens) => {
    const next = apply(toOpens(q.opens.get(surveyId)));
    q.saveOpens.run({ surveyId, ...next });
    return next;
  });
  return {
    async getLinkOpens(surveyId) {
      return toOpens(q.opens.get(surveyId));
    },
    async recordLinkOpen(surveyId, kind, at, next) {
      return record.immediate(surveyId, (state) => next(state, kind, at));
    },
    async holdAnswer(held: HeldAnswer) {
      q.hold.run(held);
    },
    async getHeldAnswer(surveyId) {
      const r = q.held.get(surveyId);
      // Rows held before survey kinds carry no value: a reaction's value follows from it.
      return r ? { surveyId: r.survey_id, reaction: r.reaction, value: r.value ?? REACTION_VALUE[r.reaction], comment: r.comment, at: r.at } : null;
    },
    async dropHeldAnswer(surveyId) {
      return q.drop.run(surveyId).changes > 0;
    },
    async countHeldAnswers(siteId) {
      return q.count.get(siteId)!.n;
    },
  };
}
