// PostgreSQL tables of the connectors part (mirrors CONNECTOR_SCHEMA of sqlite-connectors.ts).
export const CONNECTOR_SCHEMA = `
  CREATE TABLE connectors (
    id TEXT PRIMARY KEY,
    site_id BIGINT NOT NULL REFERENCES sites(id),
    provider TEXT NOT NULL CHECK (provider IN ('zendesk', 'freshdesk', 'halopsa', 'autotask', 'connectwise', 'generic')),
    label TEXT,
    -- inbound secret and API credentials, AES-256-GCM sealed (domain/secret-box.ts): never plain text
    sealed_settings TEXT NOT NULL CHECK (sealed_settings LIKE 'v1.%'),
    write_back INTEGER NOT NULL DEFAULT 0 CHECK (write_back IN (0, 1)),
    reopen INTEGER NOT NULL DEFAULT 0 CHECK (reopen IN (0, 1)),
    created_at BIGINT NOT NULL,
    disabled_at BIGINT,
    last_event TEXT,
    last_event_at BIGINT,
    last_error TEXT,
    last_error_at BIGINT
  );
  CREATE INDEX connectors_site ON connectors(site_id);

  -- Replay protection: an event key is taken once per connector.
  CREATE TABLE connector_events (
    connector_id TEXT NOT NULL REFERENCES connectors(id),
    event_key TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('close', 'reopen')),
    ticket_id TEXT NOT NULL,
    outcome TEXT NOT NULL,
    at BIGINT NOT NULL,
    PRIMARY KEY (connector_id, event_key)
  );

  -- Which survey a connector's ticket got: a reaction to it writes back to that ticket.
  CREATE TABLE connector_tickets (
    connector_id TEXT NOT NULL REFERENCES connectors(id),
    ticket_id TEXT NOT NULL,
    ticket_ref TEXT NOT NULL,
    survey_id TEXT REFERENCES surveys(id),
    state TEXT NOT NULL CHECK (state IN ('closed', 'reopened')),
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (connector_id, ticket_id)
  );
  CREATE INDEX connector_tickets_survey ON connector_tickets(survey_id) WHERE survey_id IS NOT NULL;

  -- Written in the same transaction as the reaction that causes it; drained by connectors/write-back-worker.ts.
  CREATE TABLE connector_writebacks (
    id BIGSERIAL PRIMARY KEY,
    connector_id TEXT NOT NULL REFERENCES connectors(id),
    ticket_id TEXT NOT NULL,
    response_id TEXT NOT NULL REFERENCES responses(id),
    action TEXT NOT NULL CHECK (action IN ('note', 'reopen')),
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    last_status INTEGER,
    last_error TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
  );
  CREATE INDEX connector_writebacks_due ON connector_writebacks(next_attempt_at) WHERE status = 'pending';
  CREATE INDEX connector_writebacks_connector ON connector_writebacks(connector_id, id);
`;
