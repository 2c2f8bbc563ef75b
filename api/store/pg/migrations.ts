// Schema versions of the PostgreSQL store, applied in order under an advisory lock (several instances
// may start at once). Each step runs in one transaction with its `schema_version` row. Never edit a
// shipped step: add a new one. Step 1 is the whole schema of SQLite's version 12, part by part.
import type { Sql } from './connection.js';
import { CORE_SCHEMA } from './schema-core.js';
import { WEBHOOK_SCHEMA } from './schema-webhooks.js';
import { EMAIL_SCHEMA } from './schema-email.js';
import { CONNECTOR_SCHEMA } from './schema-connectors.js';
import { LOG_SCHEMA } from './schema-log.js';
import { HELD_SCHEMA } from './schema-held.js';
import { CAMPAIGN_SCHEMA } from './schema-campaigns.js';
import { RATE_LIMIT_SCHEMA } from './schema-rate-limit.js';

export interface PgMigration {
  version: number;
  description: string;
  sql: string;
}

export const PG_MIGRATIONS: readonly PgMigration[] = [
  {
    version: 1,
    description: 'the schema of SQLite version 12: sites, surveys, responses, counts, events, queues, log',
    sql: [CORE_SCHEMA, WEBHOOK_SCHEMA, EMAIL_SCHEMA, CONNECTOR_SCHEMA, LOG_SCHEMA, HELD_SCHEMA, CAMPAIGN_SCHEMA, RATE_LIMIT_SCHEMA].join('\n'),
  },
];

export class PgSchemaError extends Error {
  override name = 'PgSchemaError';
}

/** Arbitrary, fixed: the advisory lock every instance takes while it migrates. */
const MIGRATION_LOCK = 0x63736174;

export async function migratePg(sql: Sql): Promise<number> {
  return sql.begin(async (tx) => {
    await tx`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`;
    await tx`CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)`;
    const [row] = await tx<{ v: number | null }[]>`SELECT max(version) AS v FROM schema_version`;
    let current = row?.v ?? 0;
    const latest = PG_MIGRATIONS.at(-1)!.version;
    if (current > latest) throw new PgSchemaError(`the database is at schema version ${current}, newer than this code (${latest})`);
    for (const step of PG_MIGRATIONS) {
      if (step.version <= current) continue;
      await tx.unsafe(step.sql);
      await tx`INSERT INTO schema_version (version, applied_at) VALUES (${step.version}, ${Date.now()})`;
      current = step.version;
    }
    return current;
  });
}
