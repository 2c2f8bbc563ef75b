// Schema versions, applied in order. Each step runs in its own transaction together with the
// `user_version` bump, so a crash mid-migration leaves the previous version intact. Never edit a shipped
// step: add a new one.
import type Database from 'better-sqlite3';
import { EMAIL_SCHEMA } from './sqlite-email.js';
import { CONNECTOR_SCHEMA } from './sqlite-connectors.js';
import { HELD_SCHEMA } from './sqlite-held.js';
import { addLogRanges, LOG_SCHEMA } from './sqlite-log.js';
import { CAMPAIGN_SCHEMA } from './sqlite-campaigns.js';
import { KINDS_SCHEMA } from './sqlite-kinds.js';
import { IMPORT_SCHEMA } from './sqlite-import.js';

export interface Migration {
  version: number;
  description: string;
  up(db: Database.Database): void;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'sites, admin keys, surveys, responses, chained response events, daily counts',
    up(db) {
      db.exec(`
        CREATE TABLE sites (
          id INTEGER PRIMARY KEY,
          slug TEXT NOT NULL UNIQUE,
          name TEXT NOT NULL,
          kind TEXT NOT NULL DEFAULT 'reaction' CHECK (kind IN ('reaction')),
          window_days INTEGER NOT NULL CHECK (window_days BETWEEN 1 AND 730),
          change_window_days INTEGER NOT NULL CHECK (change_window_days BETWEEN 0 AND 365),
          token_ttl_days INTEGER NOT NULL CHECK (token_ttl_days BETWEEN 1 AND 365),
          industry TEXT,
          locale TEXT NOT NULL DEFAULT 'en' CHECK (locale IN ('en', 'fr', 'ar')),
          -- 0 = off; else a contact gets at most one survey per this many days
          throttle_days INTEGER NOT NULL DEFAULT 0 CHECK (throttle_days BETWEEN 0 AND 365),
          created_at INTEGER NOT NULL
        ) STRICT;

        CREATE TABLE admin_keys (
          id TEXT PRIMARY KEY,
          site_id INTEGER NOT NULL REFERENCES sites(id),
          key_hash BLOB NOT NULL CHECK (length(key_hash) = 32),
          label TEXT,
          created_at INTEGER NOT NULL,
          revoked_at INTEGER
        ) STRICT;
        CREATE INDEX admin_keys_site ON admin_keys(site_id);

        CREATE TABLE surveys (
          id TEXT PRIMARY KEY,
          site_id INTEGER NOT NULL REFERENCES sites(id),
          ticket_ref TEXT NOT NULL,
          token_id BLOB NOT NULL UNIQUE CHECK (length(token_id) = 16),
          team TEXT,
          technician TEXT,
          contact_email TEXT,
          contact_name TEXT,
          locale TEXT CHECK (locale IN ('en', 'fr', 'ar')),
          created_at INTEGER NOT NULL,
          expires_at INTEGER NOT NULL,
          UNIQUE (site_id, ticket_ref)
        ) STRICT;
        -- contact_email is stored lower-cased, so the survey-fatigue lookup is an index range.
        CREATE INDEX surveys_contact ON surveys(site_id, contact_email, created_at) WHERE contact_email IS NOT NULL;

        -- One ticket, one response: enforced both per survey and per (site, ticket).
        CREATE TABLE responses (
          id TEXT PRIMARY KEY,
          site_id INTEGER NOT NULL REFERENCES sites(id),
          survey_id TEXT UNIQUE REFERENCES surveys(id),
          ticket_ref TEXT NOT NULL,
          reaction TEXT NOT NULL CHECK (reaction IN ('positive', 'neutral', 'negative')),
          comment TEXT,
          source TEXT NOT NULL CHECK (source IN ('survey', 'import')),
          day INTEGER NOT NULL,
          created_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL,
          CHECK ((source = 'survey') = (survey_id IS NOT NULL)),
          UNIQUE (site_id, ticket_ref)
        ) STRICT;
        CREATE INDEX responses_site_day ON responses(site_id, day);

        CREATE TABLE response_events (
          site_id INTEGER NOT NULL REFERENCES sites(id),
          seq INTEGER NOT NULL CHECK (seq >= 1),
          type TEXT NOT NULL CHECK (type IN ('submit', 'change', 'import')),
          response_id TEXT NOT NULL REFERENCES responses(id),
          reaction TEXT NOT NULL CHECK (reaction IN ('positive', 'neutral', 'negative')),
          responded_at INTEGER NOT NULL,
          at INTEGER NOT NULL,
          prev_hash TEXT NOT NULL,
          hash TEXT NOT NULL,
          PRIMARY KEY (site_id, seq)
        ) STRICT, WITHOUT ROWID;
        CREATE TRIGGER response_events_no_update BEFORE UPDATE ON response_events
          BEGIN SELECT RAISE(ABORT, 'response_events is append-only'); END;
        CREATE TRIGGER response_events_no_delete BEFORE DELETE ON response_events
          BEGIN SELECT RAISE(ABORT, 'response_events is append-only'); END;

        -- Kept in the same transaction as the responses they count, so reading a score sums at most one
        -- row per day of the window instead of scanning responses.
        CREATE TABLE daily_counts (
          site_id INTEGER NOT NULL REFERENCES sites(id),
          day INTEGER NOT NULL,
          positive INTEGER NOT NULL DEFAULT 0 CHECK (positive >= 0),
          neutral INTEGER NOT NULL DEFAULT 0 CHECK (neutral >= 0),
          negative INTEGER NOT NULL DEFAULT 0 CHECK (negative >= 0),
          imported INTEGER NOT NULL DEFAULT 0 CHECK (imported >= 0),
          PRIMARY KEY (site_id, day)
        ) STRICT, WITHOUT ROWID;
      `);
    },
  },
  {
    version: 2,
    description: 'follow-up state and notes, admin key scopes, webhooks and their delivery queue',
    up(db) {
      db.exec(`
        ALTER TABLE responses ADD COLUMN follow_up TEXT NOT NULL DEFAULT 'none'
          CHECK (follow_up IN ('none', 'open', 'contacted', 'resolved'));
        UPDATE responses SET follow_up = 'open' WHERE reaction <> 'positive';
        CREATE INDEX responses_site_updated ON responses(site_id, updated_at, id);

        CREATE TABLE response_notes (
          id INTEGER PRIMARY KEY,
          response_id TEXT NOT NULL REFERENCES responses(id),
          author TEXT NOT NULL,
          text TEXT NOT NULL,
          follow_up TEXT CHECK (follow_up IN ('none', 'open', 'contacted', 'resolved')),
          at INTEGER NOT NULL
        ) STRICT;
        CREATE INDEX response_notes_response ON response_notes(response_id, at);

        -- 'wall' keys may read the live feed and nothing else.
        ALTER TABLE admin_keys ADD COLUMN scope TEXT NOT NULL DEFAULT 'admin' CHECK (scope IN ('admin', 'wall'));

        CREATE TABLE webhooks (
          id TEXT PRIMARY KEY,
          site_id INTEGER NOT NULL REFERENCES sites(id),
          url TEXT NOT NULL,
          events TEXT NOT NULL,
          secret TEXT NOT NULL,
          created_at INTEGER NOT NULL,
          disabled_at INTEGER
        ) STRICT;

        -- Written in the same transaction as the response, so a crash or restart loses no delivery.
        CREATE TABLE webhook_deliveries (
          id INTEGER PRIMARY KEY,
          webhook_id TEXT NOT NULL REFERENCES webhooks(id),
          event TEXT NOT NULL,
          body TEXT NOT NULL,
          status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
          attempts INTEGER NOT NULL DEFAULT 0,
          next_attempt_at INTEGER NOT NULL,
          last_status INTEGER,
          last_error TEXT,
          created_at INTEGER NOT NULL,
          delivered_at INTEGER
        ) STRICT;
        CREATE INDEX webhook_deliveries_due ON webhook_deliveries(status, next_attempt_at);
        CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries(webhook_id, id);
      `);
    },
  },
  {
    version: 3,
    description: 'webhooks: registering key, secret rotation, Standard Webhooks message ids, per-receiver order',
    up(db) {
      db.exec(`
        -- The admin key that registered (or last confirmed) the webhook: revoking it holds the webhook.
        ALTER TABLE webhooks ADD COLUMN registered_by TEXT REFERENCES admin_keys(id);
        ALTER TABLE webhooks ADD COLUMN previous_secret TEXT;
        ALTER TABLE webhooks ADD COLUMN previous_secret_until INTEGER;
        -- The latest failed attempt of any delivery, kept when later ones succeed (the admin page shows it).
        ALTER TABLE webhooks ADD COLUMN last_error TEXT;
        ALTER TABLE webhooks ADD COLUMN last_error_at INTEGER;
        -- webhook-id: the same for every attempt and redelivery of one event (NULL on older rows).
        ALTER TABLE webhook_deliveries ADD COLUMN message_id TEXT;
        ALTER TABLE webhook_deliveries ADD COLUMN last_attempt_at INTEGER;
        -- The head of each webhook's queue: its oldest pending delivery.
        CREATE INDEX webhook_deliveries_pending ON webhook_deliveries(webhook_id, id) WHERE status = 'pending';
      `);
    },
  },
  {
    version: 4,
    description: 'survey email: site sender settings, the email outbox, opt-outs',
    up(db) {
      db.exec(EMAIL_SCHEMA);
    },
  },
  {
    version: 5,
    description: 'help-desk connectors: connectors, their events (replay protection), linked tickets, the write-back queue',
    up(db) {
      db.exec(CONNECTOR_SCHEMA);
    },
  },
  {
    version: 6,
    description: 'sealed surveys, change windows fixed at the first answer, seeded (demo) ratings, per-day origin counts',
    up(db) {
      db.exec(`
        -- A sealed survey's token is never shown to operators again (only its email carries it).
        ALTER TABLE surveys ADD COLUMN sealed INTEGER NOT NULL DEFAULT 0 CHECK (sealed IN (0, 1));
        -- Surveys issued per day are public (activity), read by this range instead of a scan.
        CREATE INDEX surveys_site_created ON surveys(site_id, created_at);
        -- Fixed at the first answer, so a later site setting neither reopens nor shortens it. Existing
        -- answers get the window they had under today's setting, i.e. the one they were promised.
        ALTER TABLE responses ADD COLUMN changeable_until INTEGER;
        UPDATE responses SET changeable_until = created_at
          + (SELECT change_window_days FROM sites WHERE sites.id = responses.site_id) * 86400000
          WHERE source = 'survey';
        -- Demo history written through the ordinary paths, marked so the score can say so.
        ALTER TABLE responses ADD COLUMN seeded INTEGER NOT NULL DEFAULT 0 CHECK (seeded IN (0, 1));
        ALTER TABLE daily_counts ADD COLUMN seeded INTEGER NOT NULL DEFAULT 0 CHECK (seeded >= 0);
        ALTER TABLE daily_counts ADD COLUMN sealed INTEGER NOT NULL DEFAULT 0 CHECK (sealed >= 0);
      `);
    },
  },
  {
    version: 7,
    description: 'mail scanners: link opens per survey and answers held for a person to confirm',
    up(db) {
      db.exec(HELD_SCHEMA);
    },
  },
  {
    version: 8,
    description: 'public Merkle log per site (signing key, entries), reaction changes only with their event',
    up(db) {
      db.exec(LOG_SCHEMA);
    },
  },
  {
    version: 9,
    description: 'survey kinds (CSAT scales, NPS), moments, what mattered, daily counts per kind, moment and value',
    up(db) {
      db.exec(KINDS_SCHEMA);
    },
  },
  {
    version: 10,
    description: 'relationship campaigns: campaigns, their contacts, their runs and each run\'s outcome per contact',
    up(db) {
      db.exec(CAMPAIGN_SCHEMA);
    },
  },
  {
    version: 11,
    description: 'responses indexed in inbox order, so an inbox or export page reads its own rows instead of sorting the site',
    up(db) {
      // Without it every page of the inbox and the CSV export sorted all of the site's responses, on
      // the server's one thread, for as long as the site has responses.
      db.exec('CREATE INDEX responses_site_created ON responses(site_id, created_at, id)');
    },
  },
  {
    version: 12,
    description: "each site's public log root kept as a compact range, so reading the head never reads every entry",
    up(db) {
      addLogRanges(db);
    },
  },
  {
    version: 13,
    description: 'imports staged in a table of their own and swapped in at the end, so a crash leaves all of an import or none',
    up(db) {
      db.exec(IMPORT_SCHEMA);
    },
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

export class SchemaTooNewError extends Error {
  constructor(found: number, supported: number) {
    super(
      `the database is at schema version ${found}, newer than this csat-badge supports (${supported}); ` +
        'upgrade csat-badge instead of opening it with an older version',
    );
    this.name = 'SchemaTooNewError';
  }
}

/** Brings the database up to SCHEMA_VERSION; returns the versions applied. */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): number[] {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = migrations[migrations.length - 1]?.version ?? 0;
  if (current > latest) throw new SchemaTooNewError(current, latest);
  const applied: number[] = [];
  for (const step of migrations) {
    if (step.version <= current) continue;
    db.transaction(() => {
      step.up(db);
      db.pragma(`user_version = ${step.version}`);
    }).immediate();
    applied.push(step.version);
  }
  return applied;
}
