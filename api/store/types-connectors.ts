// The storage contract of help-desk connectors: the connectors, the events they took (replay
// protection), the tickets they link to surveys, and the write-back queue.
import type { Reaction } from '../domain/reaction.js';

export type ConnectorProvider = 'zendesk' | 'freshdesk' | 'halopsa' | 'autotask' | 'connectwise' | 'generic';

export interface ConnectorRecord {
  id: string;
  siteId: number;
  provider: ConnectorProvider;
  label: string | null;
  /** The settings JSON (inbound secret and API credentials included), sealed (domain/secret-box.ts). */
  sealedSettings: string;
  /** The settings hold what write-back needs. */
  writeBack: boolean;
  /** Also reopen the ticket on a non-positive reaction. */
  reopen: boolean;
  createdAt: number;
  disabledAt: number | null;
}

export type WriteBackAction = 'note' | 'reopen';
export type WriteBackStatus = 'pending' | 'delivered' | 'failed';

export interface ConnectorStatus extends Omit<ConnectorRecord, 'sealedSettings'> {
  lastEvent: { at: number; summary: string } | null;
  lastError: { at: number; message: string } | null;
  writeBacks: {
    pending: number;
    delivered: number;
    failed: number;
    last: { status: WriteBackStatus; action: WriteBackAction; ticketId: string; attempts: number; httpStatus: number | null; error: string | null; at: number } | null;
  };
}

export interface ConnectorTicket {
  connectorId: string;
  ticketId: string;
  ticketRef: string;
  surveyId: string | null;
  state: 'closed' | 'reopened';
  /** How many reopens of this ticket the connector took: each starts a new close/reopen cycle. */
  reopens: number;
}

export interface ConnectorEventRecord {
  connectorId: string;
  /** Replay key: the same key twice is one event. */
  eventKey: string;
  kind: 'close' | 'reopen';
  ticketId: string;
  ticketRef: string;
  /** The survey a close made or found (null: throttled, opted out, or a reopen). */
  surveyId: string | null;
  outcome: string;
}

export interface WriteBackJob {
  id: number;
  connectorId: string;
  siteId: number;
  siteSlug: string;
  provider: ConnectorProvider;
  sealedSettings: string;
  ticketId: string;
  action: WriteBackAction;
  responseId: string;
  reaction: Reaction;
  comment: string | null;
  attempts: number;
}

export interface ConnectorStore {
  createConnector(connector: Omit<ConnectorRecord, 'createdAt' | 'disabledAt'>, now: number): Promise<void>;
  getConnector(siteId: number, id: string): Promise<ConnectorRecord | null>;
  /** @returns false when the site has no such connector. */
  updateConnector(siteId: number, id: string, change: { sealedSettings?: string; writeBack?: boolean; reopen?: boolean; label?: string | null; disabled?: boolean }, now: number): Promise<boolean>;
  listConnectors(siteId: number): Promise<ConnectorStatus[]>;
  connectorEventSeen(connectorId: string, eventKey: string): Promise<boolean>;
  /** Records a handled event and the ticket's link to its survey, in one transaction.
   * @returns false (and changes nothing) when the event key was recorded before. */
  recordConnectorEvent(event: ConnectorEventRecord, now: number): Promise<boolean>;
  getConnectorTicket(connectorId: string, ticketId: string): Promise<ConnectorTicket | null>;
  /** The connector's last event or last error, for the admin page. */
  noteConnectorActivity(connectorId: string, activity: { event?: string; error?: string }, now: number): Promise<void>;
  /** Write-backs due at `now`, oldest first, of enabled connectors. */
  dueWriteBacks(now: number, limit: number): Promise<WriteBackJob[]>;
  recordWriteBackAttempt(id: number, result: { ok: boolean; httpStatus: number | null; error: string | null; nextAttemptAt: number | null }, now: number): Promise<void>;
}
