// The SQLite side of help-desk connectors. Runs on the store's connection; `afterResponse` runs inside
// the response's own transaction (store/sqlite.ts), so a reaction and the write-back it causes are
// written together or not at all.
import type Database from 'better-sqlite3';
import { wantsWriteBack } from '../connectors/write-back-rule.js';
import { writeBackActions } from '../domain/write-backs.js';
import type { Reaction } from '../domain/reaction.js';
import type {
  ConnectorStatus,
  ConnectorStore,
  ConnectorTicket,
  WriteBackAction,
  WriteBackJob,
  WriteBackStatus,
} from './types-connectors.js';
import type { StoredResponse, Survey } from './types.js';
import { toRecord, type ConnectorRow } from './rows-connectors.js';

/** The migration step's SQL; its version number lives in migrations.ts. */
export const CONNECTOR_SCHEMA = `
  CREATE TABLE connectors (
    id TEXT PRIMARY KEY,
    site_id INTEGER NOT NULL REFERENCES sites(id),
    provider TEXT NOT NULL CHECK (provider IN ('zendesk', 'freshdesk', 'halopsa', 'autotask', 'connectwise', 'generic')),
    label TEXT,
    -- inbound secret and API credentials, AES-256-GCM sealed (domain/secret-box.ts): never plain text
    sealed_settings TEXT NOT NULL CHECK (sealed_settings LIKE 'v1.%'),
    write_back INTEGER NOT NULL DEFAULT 0 CHECK (write_back IN (0, 1)),
    reopen INTEGER NOT NULL DEFAULT 0 CHECK (reopen IN (0, 1)),
    created_at INTEGER NOT NULL,
    disabled_at INTEGER,
    last_event TEXT,
    last_event_at INTEGER,
    last_error TEXT,
    last_error_at INTEGER
  ) STRICT;
  CREATE INDEX connectors_site ON connectors(site_id);

  -- Replay protection: an event key is taken once per connector.
  CREATE TABLE connector_events (
    connector_id TEXT NOT NULL REFERENCES connectors(id),
    event_key TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('close', 'reopen')),
    ticket_id TEXT NOT NULL,
    outcome TEXT NOT NULL,
    at INTEGER NOT NULL,
    PRIMARY KEY (connector_id, event_key)
  ) STRICT, WITHOUT ROWID;

  -- Which survey a connector's ticket got: a reaction to it writes back to that ticket.
  CREATE TABLE connector_tickets (
    connector_id TEXT NOT NULL REFERENCES connectors(id),
    ticket_id TEXT NOT NULL,
    ticket_ref TEXT NOT NULL,
    survey_id TEXT REFERENCES surveys(id),
    state TEXT NOT NULL CHECK (state IN ('closed', 'reopened')),
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (connector_id, ticket_id)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX connector_tickets_survey ON connector_tickets(survey_id) WHERE survey_id IS NOT NULL;

  -- Written in the same transaction as the reaction that causes it; drained by connectors/write-back-worker.ts.
  CREATE TABLE connector_writebacks (
    id INTEGER PRIMARY KEY,
    connector_id TEXT NOT NULL REFERENCES connectors(id),
    ticket_id TEXT NOT NULL,
    response_id TEXT NOT NULL REFERENCES responses(id),
    action TEXT NOT NULL CHECK (action IN ('note', 'reopen')),
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_status INTEGER,
    last_error TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX connector_writebacks_due ON connector_writebacks(next_attempt_at) WHERE status = 'pending';
  CREATE INDEX connector_writebacks_connector ON connector_writebacks(connector_id, id);
`;

export function sqliteConnectors(db: Database.Database) {
  const q = {
    insert: db.prepare(
      `INSERT INTO connectors (id, site_id, provider, label, sealed_settings, write_back, reopen, created_at)
       VALUES (@id, @siteId, @provider, @label, @sealedSettings, @writeBack, @reopen, @now)`,
    ),
    byId: db.prepare<[number, string], ConnectorRow>('SELECT * FROM connectors WHERE site_id = ? AND id = ?'),
    ofSite: db.prepare<[number], ConnectorRow>('SELECT * FROM connectors WHERE site_id = ? ORDER BY created_at, id'),
    update: db.prepare(
      `UPDATE connectors SET sealed_settings = @sealedSettings, write_back = @writeBack, reopen = @reopen, label = @label, disabled_at = @disabledAt
       WHERE site_id = @siteId AND id = @id`,
    ),
    tally: db.prepare<[string], { pending: number; delivered: number; failed: number }>(
      `SELECT coalesce(sum(status = 'pending'), 0) AS pending, coalesce(sum(status = 'delivered'), 0) AS delivered,
              coalesce(sum(status = 'failed'), 0) AS failed
       FROM connector_writebacks WHERE connector_id = ?`,
    ),
    lastWriteBack: db.prepare<[string], { status: WriteBackStatus; action: WriteBackAction; ticket_id: string; attempts: number; last_status: number | null; last_error: string | null; updated_at: number }>(
      'SELECT status, action, ticket_id, attempts, last_status, last_error, updated_at FROM connector_writebacks WHERE connector_id = ? ORDER BY id DESC LIMIT 1',
    ),
    eventSeen: db.prepare<[string, string], { one: number }>('SELECT 1 AS one FROM connector_events WHERE connector_id = ? AND event_key = ?'),
    insertEvent: db.prepare(
      `INSERT INTO connector_events (connector_id, event_key, kind, ticket_id, outcome, at)
       VALUES (@connectorId, @eventKey, @kind, @ticketId, @outcome, @now) ON CONFLICT DO NOTHING`,
    ),
    upsertTicket: db.prepare(
      `INSERT INTO connector_tickets (connector_id, ticket_id, ticket_ref, survey_id, state, updated_at)
       VALUES (@connectorId, @ticketId, @ticketRef, @surveyId, @state, @now)
       ON CONFLICT (connector_id, ticket_id) DO UPDATE SET
         survey_id = coalesce(excluded.survey_id, survey_id), ticket_ref = excluded.ticket_ref, state = excluded.state,
         updated_at = excluded.updated_at`,
    ),
    ticket: db.prepare<[string, string], { connector_id: string; ticket_id: string; ticket_ref: string; survey_id: string | null; state: 'closed' | 'reopened'; reopens: number }>(
      `SELECT t.*, (SELECT count(*) FROM connector_events e WHERE e.connector_id = t.connector_id AND e.ticket_id = t.ticket_id AND e.kind = 'reopen') AS reopens
       FROM connector_tickets t WHERE t.connector_id = ? AND t.ticket_id = ?`,
    ),
    noteEvent: db.prepare('UPDATE connectors SET last_event = @text, last_event_at = @now WHERE id = @id'),
    noteError: db.prepare('UPDATE connectors SET last_error = @text, last_error_at = @now WHERE id = @id'),
    linksOfSurvey: db.prepare<[string], { connector_id: string; ticket_id: string; reopen: number }>(
      `SELECT t.connector_id, t.ticket_id, c.reopen FROM connector_tickets t JOIN connectors c ON c.id = t.connector_id
       WHERE t.survey_id = ? AND c.write_back = 1 AND c.disabled_at IS NULL`,
    ),
    insertWriteBack: db.prepare(
      `INSERT INTO connector_writebacks (connector_id, ticket_id, response_id, action, next_attempt_at, created_at, updated_at)
       VALUES (@connectorId, @ticketId, @responseId, @action, @now, @now, @now)`,
    ),
    due: db.prepare<[number, number], WriteBackJob>(
      `SELECT w.id, w.connector_id AS connectorId, c.site_id AS siteId, s.slug AS siteSlug, c.provider, c.sealed_settings AS sealedSettings,
              w.ticket_id AS ticketId, w.action, w.response_id AS responseId, r.reaction, r.comment, w.attempts
       FROM connector_writebacks w JOIN connectors c ON c.id = w.connector_id JOIN sites s ON s.id = c.site_id
         JOIN responses r ON r.id = w.response_id
       WHERE w.status = 'pending' AND w.next_attempt_at <= ? AND c.disabled_at IS NULL
       ORDER BY w.next_attempt_at, w.id LIMIT ?`,
    ),
    recordAttempt: db.prepare(
      `UPDATE connector_writebacks SET attempts = attempts + 1, last_status = @httpStatus, last_error = @error, updated_at = @now,
         status = CASE WHEN @ok THEN 'delivered' WHEN @nextAttemptAt IS NULL THEN 'failed' ELSE 'pending' END,
         next_attempt_at = coalesce(@nextAttemptAt, next_attempt_at)
       WHERE id = @id`,
    ),
  };

  const recordEvent = db.transaction((e: Parameters<ConnectorStore['recordConnectorEvent']>[0], now: number): boolean => {
    if (q.insertEvent.run({ ...e, now }).changes === 0) return false;
    q.upsertTicket.run({ connectorId: e.connectorId, ticketId: e.ticketId, ticketRef: e.ticketRef, surveyId: e.surveyId, state: e.kind === 'close' ? 'closed' : 'reopened', now });
    q.noteEvent.run({ id: e.connectorId, text: `${e.kind} of ticket ${e.ticketRef}: ${e.outcome}`.slice(0, 500), now });
    return true;
  });

  const methods: ConnectorStore = {
    async createConnector(c, now) {
      q.insert.run({ ...c, writeBack: c.writeBack ? 1 : 0, reopen: c.reopen ? 1 : 0, now });
    },
    async getConnector(siteId, id) {
      const row = q.byId.get(siteId, id);
      return row ? toRecord(row) : null;
    },
    async updateConnector(siteId, id, change, now) {
      const row = q.byId.get(siteId, id);
      if (!row) return false;
      q.update.run({
        siteId,
        id,
        sealedSettings: change.sealedSettings ?? row.sealed_settings,
        writeBack: change.writeBack === undefined ? row.write_back : change.writeBack ? 1 : 0,
        reopen: change.reopen === undefined ? row.reopen : change.reopen ? 1 : 0,
        label: change.label === undefined ? row.label : change.label,
        disabledAt: change.disabled === undefined ? row.disabled_at : change.disabled ? (row.disabled_at ?? now) : null,
      });
      return true;
    },
    async listConnectors(siteId) {
      return q.ofSite.all(siteId).map((row): ConnectorStatus => {
        const { sealedSettings: _sealed, ...record } = toRecord(row);
        const last = q.lastWriteBack.get(row.id);
        return {
          ...record,
          lastEvent: row.last_event_at === null ? null : { at: row.last_event_at, summary: row.last_event ?? '' },
          lastError: row.last_error_at === null ? null : { at: row.last_error_at, message: row.last_error ?? '' },
          writeBacks: {
            ...q.tally.get(row.id)!,
            last: last
              ? { status: last.status, action: last.action, ticketId: last.ticket_id, attempts: last.attempts, httpStatus: last.last_status, error: last.last_error, at: last.updated_at }
              : null,
          },
        };
      });
    },
    async connectorEventSeen(connectorId, eventKey) {
      return q.eventSeen.get(connectorId, eventKey) !== undefined;
    },
    async recordConnectorEvent(event, now) {
      return recordEvent.immediate(event, now);
    },
    async getConnectorTicket(connectorId, ticketId): Promise<ConnectorTicket | null> {
      const r = q.ticket.get(connectorId, ticketId);
      return r ? { connectorId: r.connector_id, ticketId: r.ticket_id, ticketRef: r.ticket_ref, surveyId: r.survey_id, state: r.state, reopens: r.reopens } : null;
    },
    async noteConnectorActivity(connectorId, activity, now) {
      if (activity.event !== undefined) q.noteEvent.run({ id: connectorId, text: activity.event.slice(0, 500), now });
      if (activity.error !== undefined) q.noteError.run({ id: connectorId, text: activity.error.slice(0, 500), now });
    },
    async dueWriteBacks(now, limit) {
      return q.due.all(now, limit);
    },
    async recordWriteBackAttempt(id, result, now) {
      q.recordAttempt.run({ id, ok: result.ok ? 1 : 0, httpStatus: result.httpStatus, error: result.error, nextAttemptAt: result.nextAttemptAt, now });
    },
  };

  /** Queues the write-backs a reaction causes; must run inside the response's transaction. */
  const afterResponse = (survey: Survey, previous: Reaction | null, response: StoredResponse, now: number) => {
    if (!wantsWriteBack(previous, response.reaction)) return;
    for (const link of q.linksOfSurvey.all(survey.id)) {
      for (const action of writeBackActions(previous, response.reaction, { reopen: link.reopen === 1 })) {
        q.insertWriteBack.run({ connectorId: link.connector_id, ticketId: link.ticket_id, responseId: response.id, action, now });
      }
    }
  };

  return { methods, afterResponse };
}
