// The PostgreSQL side of help-desk connectors (mirrors sqlite-connectors.ts). `afterResponse` runs
// inside the response's own transaction, so a reaction and the write-back it causes commit together.
// Several instances drain one write-back queue: `dueWriteBacks` claims the rows it returns.
import { wantsWriteBack } from '../../connectors/write-back-rule.js';
import { writeBackActions } from '../../domain/write-backs.js';
import type {
  ConnectorStatus,
  ConnectorStore,
  ConnectorTicket,
  WriteBackAction,
  WriteBackJob,
  WriteBackStatus,
} from '../types-connectors.js';
import { transaction, type Sql, type Tx } from './connection.js';
import type { AfterResponse } from './parts.js';
import { toRecord, type ConnectorRow } from '../rows-connectors.js';

/** How long a claimed write-back stays away from other instances' rounds. The worker records every job
 * it claims within one round; a round takes at most its batch (20) times the request timeout (10 s)
 * on one connector, so five minutes outlasts it. A job whose instance stopped mid-round is taken again
 * after this. A job left unsent because an earlier one of its connector failed also waits this long,
 * where SQLite's single worker would try it in its next round. */
export const WRITE_BACK_LEASE_MS = 5 * 60_000;

const noteEvent = (db: Sql | Tx, id: string, text: string, now: number) =>
  db`UPDATE connectors SET last_event = ${text.slice(0, 500)}, last_event_at = ${now} WHERE id = ${id}`;

export function pgConnectors(sql: Sql): { methods: ConnectorStore; afterResponse: AfterResponse } {
  const byId = async (db: Sql | Tx, siteId: number, id: string, lock = false): Promise<ConnectorRow | undefined> => {
    const [row] = lock
      ? await db<ConnectorRow[]>`SELECT * FROM connectors WHERE site_id = ${siteId} AND id = ${id} FOR NO KEY UPDATE`
      : await db<ConnectorRow[]>`SELECT * FROM connectors WHERE site_id = ${siteId} AND id = ${id}`;
    return row;
  };

  const methods: ConnectorStore = {
    async createConnector(c, now) {
      await sql`
        INSERT INTO connectors (id, site_id, provider, label, sealed_settings, write_back, reopen, created_at)
        VALUES (${c.id}, ${c.siteId}, ${c.provider}, ${c.label}, ${c.sealedSettings}, ${c.writeBack ? 1 : 0}, ${c.reopen ? 1 : 0}, ${now})`;
    },
    async getConnector(siteId, id) {
      const row = await byId(sql, siteId, id);
      return row ? toRecord(row) : null;
    },
    async updateConnector(siteId, id, change, now) {
      // Read and write in one transaction, so two admins' changes to different settings both stay.
      return transaction(sql, async (tx) => {
        const row = await byId(tx, siteId, id, true);
        if (!row) return false;
        const writeBack = change.writeBack === undefined ? row.write_back : change.writeBack ? 1 : 0;
        const reopen = change.reopen === undefined ? row.reopen : change.reopen ? 1 : 0;
        const label = change.label === undefined ? row.label : change.label;
        const disabledAt = change.disabled === undefined ? row.disabled_at : change.disabled ? (row.disabled_at ?? now) : null;
        await tx`
          UPDATE connectors SET sealed_settings = ${change.sealedSettings ?? row.sealed_settings}, write_back = ${writeBack},
            reopen = ${reopen}, label = ${label}, disabled_at = ${disabledAt}
          WHERE site_id = ${siteId} AND id = ${id}`;
        return true;
      });
    },
    async listConnectors(siteId) {
      const rows = await sql<ConnectorRow[]>`SELECT * FROM connectors WHERE site_id = ${siteId} ORDER BY created_at, id COLLATE "C"`;
      return Promise.all(
        rows.map(async (row): Promise<ConnectorStatus> => {
          const { sealedSettings: _sealed, ...record } = toRecord(row);
          const [tally] = await sql<{ pending: number; delivered: number; failed: number }[]>`
            SELECT count(*) FILTER (WHERE status = 'pending') AS pending, count(*) FILTER (WHERE status = 'delivered') AS delivered,
                   count(*) FILTER (WHERE status = 'failed') AS failed
            FROM connector_writebacks WHERE connector_id = ${row.id}`;
          const [last] = await sql<{ status: WriteBackStatus; action: WriteBackAction; ticket_id: string; attempts: number; last_status: number | null; last_error: string | null; updated_at: number }[]>`
            SELECT status, action, ticket_id, attempts, last_status, last_error, updated_at
            FROM connector_writebacks WHERE connector_id = ${row.id} ORDER BY id DESC LIMIT 1`;
          return {
            ...record,
            lastEvent: row.last_event_at === null ? null : { at: row.last_event_at, summary: row.last_event ?? '' },
            lastError: row.last_error_at === null ? null : { at: row.last_error_at, message: row.last_error ?? '' },
            writeBacks: {
              pending: tally!.pending,
              delivered: tally!.delivered,
              failed: tally!.failed,
              last: last
                ? { status: last.status, action: last.action, ticketId: last.ticket_id, attempts: last.attempts, httpStatus: last.last_status, error: last.last_error, at: last.updated_at }
                : null,
            },
          };
        }),
      );
    },
    async connectorEventSeen(connectorId, eventKey) {
      const rows = await sql`SELECT 1 AS one FROM connector_events WHERE connector_id = ${connectorId} AND event_key = ${eventKey}`;
      return rows.length > 0;
    },
    async recordConnectorEvent(e, now) {
      return transaction(sql, async (tx) => {
        const inserted = await tx`
          INSERT INTO connector_events (connector_id, event_key, kind, ticket_id, outcome, at)
          VALUES (${e.connectorId}, ${e.eventKey}, ${e.kind}, ${e.ticketId}, ${e.outcome}, ${now}) ON CONFLICT DO NOTHING`;
        if (inserted.count === 0) return false;
        await tx`
          INSERT INTO connector_tickets (connector_id, ticket_id, ticket_ref, survey_id, state, updated_at)
          VALUES (${e.connectorId}, ${e.ticketId}, ${e.ticketRef}, ${e.surveyId}, ${e.kind === 'close' ? 'closed' : 'reopened'}, ${now})
          ON CONFLICT (connector_id, ticket_id) DO UPDATE SET
            survey_id = coalesce(excluded.survey_id, connector_tickets.survey_id), ticket_ref = excluded.ticket_ref,
            state = excluded.state, updated_at = excluded.updated_at`;
        await noteEvent(tx, e.connectorId, `${e.kind} of ticket ${e.ticketRef}: ${e.outcome}`, now);
        return true;
      });
    },
    async getConnectorTicket(connectorId, ticketId): Promise<ConnectorTicket | null> {
      const [r] = await sql<{ connector_id: string; ticket_id: string; ticket_ref: string; survey_id: string | null; state: 'closed' | 'reopened'; reopens: number }[]>`
        SELECT t.connector_id, t.ticket_id, t.ticket_ref, t.survey_id, t.state,
               (SELECT count(*) FROM connector_events e WHERE e.connector_id = t.connector_id AND e.ticket_id = t.ticket_id AND e.kind = 'reopen') AS reopens
        FROM connector_tickets t WHERE t.connector_id = ${connectorId} AND t.ticket_id = ${ticketId}`;
      return r ? { connectorId: r.connector_id, ticketId: r.ticket_id, ticketRef: r.ticket_ref, surveyId: r.survey_id, state: r.state, reopens: r.reopens } : null;
    },
    async noteConnectorActivity(connectorId, activity, now) {
      if (activity.event !== undefined) await noteEvent(sql, connectorId, activity.event, now);
      if (activity.error !== undefined) {
        await sql`UPDATE connectors SET last_error = ${activity.error.slice(0, 500)}, last_error_at = ${now} WHERE id = ${connectorId}`;
      }
    },
    async dueWriteBacks(now, limit) {
      // Claimed: rows another instance is claiming are skipped, not waited for, and the claimed ones
      // are pushed out of everyone's due window for the lease; recordWriteBackAttempt then sets the
      // real next attempt (or ends the row).
      return transaction(sql, async (tx) => {
        const jobs = await tx<WriteBackJob[]>`
          SELECT w.id, w.connector_id AS "connectorId", c.site_id AS "siteId", s.slug AS "siteSlug", c.provider,
                 c.sealed_settings AS "sealedSettings", w.ticket_id AS "ticketId", w.action, w.response_id AS "responseId",
                 r.reaction, r.comment, w.attempts
          FROM connector_writebacks w JOIN connectors c ON c.id = w.connector_id JOIN sites s ON s.id = c.site_id
            JOIN responses r ON r.id = w.response_id
          WHERE w.status = 'pending' AND w.next_attempt_at <= ${now} AND c.disabled_at IS NULL
          ORDER BY w.next_attempt_at, w.id LIMIT ${limit}
          FOR UPDATE OF w SKIP LOCKED`;
        if (jobs.length > 0) {
          await tx`UPDATE connector_writebacks SET next_attempt_at = ${now + WRITE_BACK_LEASE_MS} WHERE id = ANY(${jobs.map((j) => j.id)}::bigint[])`;
        }
        return jobs.map((j) => ({ ...j }));
      });
    },
    async recordWriteBackAttempt(id, result, now) {
      const status = result.ok ? 'delivered' : result.nextAttemptAt === null ? 'failed' : 'pending';
      await sql`
        UPDATE connector_writebacks SET attempts = attempts + 1, last_status = ${result.httpStatus}, last_error = ${result.error},
          updated_at = ${now}, status = ${status}, next_attempt_at = coalesce(${result.nextAttemptAt}::bigint, next_attempt_at)
        WHERE id = ${id}`;
    },
  };

  /** Queues the write-backs a reaction causes; runs inside the response's transaction. */
  const afterResponse: AfterResponse = async (tx, survey, previous, response, now) => {
    if (!wantsWriteBack(previous, response.reaction)) return;
    const links = await tx<{ connector_id: string; ticket_id: string; reopen: number }[]>`
      SELECT t.connector_id, t.ticket_id, c.reopen FROM connector_tickets t JOIN connectors c ON c.id = t.connector_id
      WHERE t.survey_id = ${survey.id} AND c.write_back = 1 AND c.disabled_at IS NULL
      ORDER BY t.connector_id COLLATE "C", t.ticket_id COLLATE "C"`;
    for (const link of links) {
      for (const action of writeBackActions(previous, response.reaction, { reopen: link.reopen === 1 })) {
        await tx`
          INSERT INTO connector_writebacks (connector_id, ticket_id, response_id, action, next_attempt_at, created_at, updated_at)
          VALUES (${link.connector_id}, ${link.ticket_id}, ${response.id}, ${action}, ${now}, ${now}, ${now})`;
      }
    }
  };

  return { methods, afterResponse };
}
