// PostgreSQL tables of the held part (mirrors HELD_SCHEMA of sqlite-held.ts and its kinds column).
export const HELD_SCHEMA = `
  -- The latest open of each link of a survey (a GET or HEAD; never a reaction) and the scanned mark.
  CREATE TABLE survey_link_opens (
    survey_id TEXT PRIMARY KEY REFERENCES surveys(id),
    positive_at BIGINT,
    neutral_at BIGINT,
    negative_at BIGINT,
    trap_at BIGINT,
    scanned_until BIGINT
  );

  -- An answer auto-sent while its survey was marked as scanned: kept apart from responses (no score,
  -- no event, no daily count) until a person confirms it.
  CREATE TABLE held_answers (
    survey_id TEXT PRIMARY KEY REFERENCES surveys(id),
    reaction TEXT NOT NULL CHECK (reaction IN ('positive', 'neutral', 'negative')),
    comment TEXT,
    at BIGINT NOT NULL,
    value INTEGER
  );
`;
