// PostgreSQL tables of the public log part (mirrors LOG_SCHEMA and migration 12 of sqlite-log.ts).
export const LOG_SCHEMA = `
  -- One signing key per site. Whoever holds the database can sign, but cannot make a checkpoint that is
  -- consistent with one a reader saved before a rewrite.
  CREATE TABLE site_logs (
    site_id BIGINT PRIMARY KEY REFERENCES sites(id),
    origin TEXT NOT NULL UNIQUE,
    signer_seed BYTEA NOT NULL CHECK (length(signer_seed) = 32),
    -- HMAC key of the opaque survey ids in public entries.
    id_secret BYTEA NOT NULL CHECK (length(id_secret) = 32),
    created_at BIGINT NOT NULL
  );

  CREATE TABLE log_entries (
    site_id BIGINT NOT NULL REFERENCES sites(id),
    idx BIGINT NOT NULL CHECK (idx >= 0),
    data TEXT NOT NULL,
    leaf_hash BYTEA NOT NULL CHECK (length(leaf_hash) = 32),
    PRIMARY KEY (site_id, idx)
  );
  CREATE FUNCTION log_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'log_entries is append-only'; END $$;
  CREATE TRIGGER log_entries_no_update BEFORE UPDATE OR DELETE ON log_entries
    FOR EACH ROW EXECUTE FUNCTION log_entries_append_only();
  CREATE TRIGGER log_entries_no_truncate BEFORE TRUNCATE ON log_entries
    FOR EACH STATEMENT EXECUTE FUNCTION log_entries_append_only();

  -- Each site's log root as a compact range (the roots of its perfect subtrees, 32 bytes each, largest
  -- first), written in the same transaction as the entries it covers.
  CREATE TABLE log_ranges (
    site_id BIGINT PRIMARY KEY REFERENCES sites(id),
    size BIGINT NOT NULL CHECK (size >= 0),
    roots BYTEA NOT NULL CHECK (length(roots) % 32 = 0)
  );

  -- A response's reaction (and a scale answer's value) changes only together with its event (written
  -- first, in the same transaction), and its day never: the replay of the events is the truth. SQLite's
  -- log migration added these guards on core tables; the names are the same, so a core part that
  -- defines them too is replaced by an identical rule.
  CREATE INDEX IF NOT EXISTS response_events_response ON response_events(response_id, seq);
  CREATE OR REPLACE FUNCTION responses_change_needs_event() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.day IS DISTINCT FROM OLD.day OR NEW.reaction IS DISTINCT FROM
        (SELECT reaction FROM response_events WHERE response_id = NEW.id ORDER BY seq DESC LIMIT 1) THEN
        RAISE EXCEPTION 'a response''s reaction changes only with its event, and its day never';
      END IF;
      RETURN NEW;
    END $$;
  CREATE OR REPLACE TRIGGER responses_change_needs_event BEFORE UPDATE OF reaction, day ON responses
    FOR EACH ROW EXECUTE FUNCTION responses_change_needs_event();
  CREATE OR REPLACE FUNCTION responses_value_needs_event() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.kind <> 'reaction' AND NEW.value IS DISTINCT FROM
        (SELECT value FROM response_events WHERE response_id = NEW.id ORDER BY seq DESC LIMIT 1) THEN
        RAISE EXCEPTION 'a response''s value changes only with its event';
      END IF;
      RETURN NEW;
    END $$;
  CREATE OR REPLACE TRIGGER responses_value_needs_event BEFORE UPDATE OF value ON responses
    FOR EACH ROW EXECUTE FUNCTION responses_value_needs_event();
`;
