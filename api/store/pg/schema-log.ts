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
`;
