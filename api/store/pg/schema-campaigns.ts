// PostgreSQL tables of the campaigns part: campaigns, their contacts, their runs and each run's outcome
// per contact, as SQLite's CAMPAIGN_SCHEMA (api/store/sqlite-campaigns.ts) has them.
export const CAMPAIGN_SCHEMA = `
  CREATE TABLE campaigns (
    id TEXT PRIMARY KEY,
    site_id BIGINT NOT NULL REFERENCES sites(id),
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('reaction', 'csat', 'nps')),
    -- 0 = none, as in surveys.scale
    scale INTEGER NOT NULL DEFAULT 0 CHECK (scale IN (0, 3, 5, 10)),
    moment TEXT NOT NULL,
    -- NULL: runs once
    every_days INTEGER CHECK (every_days IS NULL OR every_days BETWEEN 1 AND 3650),
    throttle_days INTEGER NOT NULL CHECK (throttle_days BETWEEN 0 AND 3650),
    starts_at BIGINT NOT NULL,
    next_run_at BIGINT,
    status TEXT NOT NULL CHECK (status IN ('active', 'paused', 'stopped')),
    runs INTEGER NOT NULL DEFAULT 0 CHECK (runs >= 0),
    -- Contact numbers are never reused, so a ticketRef <campaign>/<run>/<n> always names one contact.
    next_contact_n INTEGER NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CHECK (status <> 'stopped' OR next_run_at IS NULL)
  );
  CREATE INDEX campaigns_site ON campaigns(site_id, created_at);
  CREATE INDEX campaigns_due ON campaigns(next_run_at) WHERE status = 'active' AND next_run_at IS NOT NULL;

  CREATE TABLE campaign_contacts (
    campaign_id TEXT NOT NULL REFERENCES campaigns(id),
    n INTEGER NOT NULL,
    email TEXT NOT NULL CHECK (email = lower(email)),
    name TEXT,
    locale TEXT CHECK (locale IN ('en', 'fr', 'ar')),
    PRIMARY KEY (campaign_id, n),
    UNIQUE (campaign_id, email)
  );

  CREATE TABLE campaign_runs (
    campaign_id TEXT NOT NULL REFERENCES campaigns(id),
    seq INTEGER NOT NULL CHECK (seq >= 1),
    trigger TEXT NOT NULL CHECK (trigger IN ('schedule', 'manual')),
    due_at BIGINT NOT NULL,
    started_at BIGINT NOT NULL,
    finished_at BIGINT,
    PRIMARY KEY (campaign_id, seq)
  );
  CREATE INDEX campaign_runs_unfinished ON campaign_runs(started_at) WHERE finished_at IS NULL;

  -- One row per contact a run handled; the survey itself (ticketRef <campaign>/<run>/<n>) is the record
  -- that makes a resumed run idempotent, this row is its outcome for the run's counts. No address here:
  -- a contact's address lives in campaign_contacts and on its surveys only, where erasure finds it.
  CREATE TABLE campaign_run_items (
    campaign_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    n INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('issued', 'throttled', 'opted_out')),
    survey_id TEXT REFERENCES surveys(id),
    CHECK ((status = 'issued') = (survey_id IS NOT NULL)),
    PRIMARY KEY (campaign_id, seq, n),
    FOREIGN KEY (campaign_id, seq) REFERENCES campaign_runs(campaign_id, seq)
  );
`;
