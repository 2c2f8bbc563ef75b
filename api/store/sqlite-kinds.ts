// Survey kinds in SQLite: the schema that lets a site or a survey be a reaction, CSAT or NPS survey, and
// the per-day counts per kind, scale, moment and answer value that every score is summed from.

export const KINDS_SCHEMA = `
  -- sites.kind (version 1) only allows 'reaction' and SQLite cannot change a CHECK in place, so the kind
  -- lives in a new column; scale 0 = none (NULL would not work in a primary key below).
  ALTER TABLE sites ADD COLUMN survey_kind TEXT NOT NULL DEFAULT 'reaction' CHECK (survey_kind IN ('reaction', 'csat', 'nps'));
  ALTER TABLE sites ADD COLUMN scale INTEGER NOT NULL DEFAULT 0 CHECK (scale IN (0, 3, 5, 10));
  -- JSON array of the moments the public score counts; NULL counts all.
  ALTER TABLE sites ADD COLUMN score_moments TEXT;

  ALTER TABLE surveys ADD COLUMN kind TEXT NOT NULL DEFAULT 'reaction' CHECK (kind IN ('reaction', 'csat', 'nps'));
  ALTER TABLE surveys ADD COLUMN scale INTEGER NOT NULL DEFAULT 0 CHECK (scale IN (0, 3, 5, 10));
  ALTER TABLE surveys ADD COLUMN moment TEXT NOT NULL DEFAULT 'ticket-closed';
  ALTER TABLE surveys ADD COLUMN campaign_id TEXT;

  -- responses.reaction stays the answer's class (it drives follow-ups); value is the answer itself.
  ALTER TABLE responses ADD COLUMN kind TEXT NOT NULL DEFAULT 'reaction' CHECK (kind IN ('reaction', 'csat', 'nps'));
  ALTER TABLE responses ADD COLUMN scale INTEGER NOT NULL DEFAULT 0 CHECK (scale IN (0, 3, 5, 10));
  ALTER TABLE responses ADD COLUMN value INTEGER NOT NULL DEFAULT 0 CHECK (value BETWEEN -1 AND 10);
  ALTER TABLE responses ADD COLUMN moment TEXT NOT NULL DEFAULT 'ticket-closed';
  -- "What mattered most?": comma-separated dimension names, '' when none.
  ALTER TABLE responses ADD COLUMN dimensions TEXT NOT NULL DEFAULT '';
  UPDATE responses SET value = CASE reaction WHEN 'positive' THEN 1 WHEN 'negative' THEN -1 ELSE 0 END;

  -- The value is part of the chained event for CSAT and NPS answers (a 9 changed to a 10 is a change
  -- even though its class stays); NULL for reactions, whose reaction says it all.
  ALTER TABLE response_events ADD COLUMN value INTEGER;
  CREATE TRIGGER responses_value_needs_event BEFORE UPDATE OF value ON responses
    WHEN NEW.kind <> 'reaction' AND NEW.value IS NOT
      (SELECT value FROM response_events WHERE response_id = NEW.id ORDER BY seq DESC LIMIT 1)
    BEGIN SELECT RAISE(ABORT, 'a response''s value changes only with its event'); END;

  -- Kept in the same transaction as the responses they count: a score of any kind, of some moments or
  -- all, sums at most one row per day, moment and value of the window.
  CREATE TABLE daily_values (
    site_id INTEGER NOT NULL REFERENCES sites(id),
    kind TEXT NOT NULL,
    scale INTEGER NOT NULL,
    day INTEGER NOT NULL,
    moment TEXT NOT NULL,
    value INTEGER NOT NULL,
    n INTEGER NOT NULL CHECK (n >= 0),
    imported INTEGER NOT NULL DEFAULT 0 CHECK (imported >= 0),
    PRIMARY KEY (site_id, kind, scale, day, moment, value)
  ) STRICT, WITHOUT ROWID;
  INSERT INTO daily_values (site_id, kind, scale, day, moment, value, n, imported)
    SELECT site_id, kind, scale, day, moment, value, count(*), sum(source = 'import')
    FROM responses GROUP BY site_id, kind, scale, day, moment, value;

  -- An answer held while a survey is marked as scanned keeps its value too (NULL on older rows: reactions).
  ALTER TABLE held_answers ADD COLUMN value INTEGER;

  CREATE INDEX surveys_campaign ON surveys(campaign_id) WHERE campaign_id IS NOT NULL;
`;
