// What happens to a help-desk tool's call: find the connector, verify the call as that tool signs it,
// parse it, refuse a replay, then make the survey (close) or cancel an unsent one (reopen). Survey
// creation goes through the one survey service every door uses.
import { createHash } from 'node:crypto';
import type { Clock } from '../clock.js';
import { ApiError } from '../errors.js';
import { SecretBoxError, type SecretBox } from '../domain/secret-box.js';
import type { SurveyService } from '../services/surveys.js';
import { ConflictError } from '../store/errors.js';
import type { ConnectorRecord, ConnectorTicket, Site, Store } from '../store/types.js';
import { localeOf } from './language.js';
import { provider } from './providers/index.js';
import { openSettings, type ConnectorSettings } from './sealed-settings.js';
import { sendRequest } from './send.js';
import type { ConnectorEvent, InboundRequest } from './types.js';

export interface IntakeDeps {
  store: Store;
  clock: Clock;
  surveys: SurveyService;
  box: SecretBox;
  fetch?: typeof fetch;
  /** For reads of the tool's API during intake (Autotask contacts). */
  lookupTimeoutMs?: number;
}

export interface IntakeResult {
  status: 200 | 201 | 202;
  body: { outcome: string; ticketRef?: string; surveyId?: string; reason?: string };
}

/** One key per event: the same call twice (a retry or a replay) has the same key. Many tools send the
 * same bytes for every close of a ticket (no timestamp or event id), so the key also counts the reopens
 * taken before this event's cycle: a close after a reopen is a new event, the same close or reopen again
 * within one cycle is not. */
export function eventKey(event: ConnectorEvent, rawBody: string, ticket: ConnectorTicket | null): string {
  const reopens = ticket?.reopens ?? 0;
  // A reopen of a ticket already reopened belongs to the cycle whose reopen was counted.
  const cycle = event.kind === 'reopen' && ticket?.state === 'reopened' ? reopens - 1 : reopens;
  return `${event.kind}:${event.ticketId}:${cycle}:${createHash('sha256').update(rawBody).digest('base64url')}`;
}

export function connectorIntake(deps: IntakeDeps) {
  const { store, clock, surveys, box } = deps;

  const settingsOf = async (connector: ConnectorRecord): Promise<ConnectorSettings> => {
    try {
      return openSettings(box, connector.id, connector.sealedSettings);
    } catch (error) {
      if (!(error instanceof SecretBoxError)) throw error;
      await store.noteConnectorActivity(connector.id, { error: 'its settings do not open with this server secret (was CSAT_SECRET changed?)' }, clock.now());
      throw new ApiError(503, 'connector_unavailable', 'this connector cannot read its settings on this server; its operator has been told');
    }
  };

  /** Completes the event with the tool's API where the payload names things by id only. */
  const completed = async (connector: ConnectorRecord, settings: ConnectorSettings, event: ConnectorEvent): Promise<ConnectorEvent> => {
    const lookup = provider(connector.provider).lookup?.(settings, event);
    if (!lookup) return event;
    const answer = await sendRequest(lookup.request, { fetch: deps.fetch, timeoutMs: deps.lookupTimeoutMs ?? 5000, readJson: true });
    if (!answer.ok) {
      await store.noteConnectorActivity(connector.id, { error: `reading ticket ${event.ticketRef}'s contact failed: ${answer.error}` }, clock.now());
      // Nothing recorded: the tool's retry gets another chance.
      throw new ApiError(503, 'lookup_failed', 'the help desk\'s API did not answer the contact lookup; try again later');
    }
    return lookup.apply(answer.json, event);
  };

  return {
    async handle(site: Site, connectorId: string, request: Omit<InboundRequest, 'now'>): Promise<IntakeResult> {
      const connector = /^cn_[A-Za-z0-9_-]{16}$/.test(connectorId) ? await store.getConnector(site.id, connectorId) : null;
      if (!connector || connector.disabledAt !== null) throw new ApiError(404, 'connector_not_found', 'this site has no active connector with that id');
      const impl = provider(connector.provider);
      const settings = await settingsOf(connector);
      const now = clock.now();

      const verified = impl.verify({ ...request, now }, settings);
      if (!verified.ok) {
        await store.noteConnectorActivity(connector.id, { error: `refused a call: ${verified.reason}` }, now);
        throw new ApiError(401, 'invalid_signature', `the call is not signed for this connector: ${verified.reason}`);
      }

      let payload: unknown;
      try {
        payload = JSON.parse(request.rawBody);
      } catch {
        throw new ApiError(400, 'invalid_json', 'the request body is not valid JSON');
      }
      const parsed = impl.parse(payload, settings);
      if (parsed.status === 'invalid') {
        await store.noteConnectorActivity(connector.id, { error: `a call we could not read: ${parsed.reason}` }, now);
        throw new ApiError(400, 'invalid_event', parsed.reason);
      }
      if (parsed.status === 'ignored') {
        await store.noteConnectorActivity(connector.id, { event: `ignored: ${parsed.reason}` }, now);
        return { status: 202, body: { outcome: 'ignored', reason: parsed.reason } };
      }

      const ticket = await store.getConnectorTicket(connector.id, parsed.event.ticketId);
      const key = eventKey(parsed.event, request.rawBody, ticket);
      if (await store.connectorEventSeen(connector.id, key)) throw new ApiError(409, 'duplicate_event', 'this event was received before; nothing more was done');

      const record = async (outcome: string, surveyId: string | null, event: ConnectorEvent) => {
        const fresh = await store.recordConnectorEvent(
          { connectorId: connector.id, eventKey: key, kind: event.kind, ticketId: event.ticketId, ticketRef: event.ticketRef, surveyId, outcome },
          clock.now(),
        );
        if (!fresh) throw new ApiError(409, 'duplicate_event', 'this event was received before; nothing more was done');
      };

      if (parsed.event.kind === 'reopen') {
        if (!ticket || ticket.state !== 'closed') {
          await store.noteConnectorActivity(connector.id, { event: `ignored: ticket ${parsed.event.ticketRef} was not closed through this connector` }, now);
          return { status: 202, body: { outcome: 'ignored', reason: 'the ticket was not closed through this connector', ticketRef: parsed.event.ticketRef } };
        }
        const cancelled = await surveys.cancelUnsent(site, ticket.ticketRef);
        const outcome = cancelled ? 'survey_cancelled' : 'nothing_to_cancel';
        await record(outcome, null, { ...parsed.event, ticketRef: ticket.ticketRef });
        return { status: 200, body: { outcome, ticketRef: ticket.ticketRef } };
      }

      const event = await completed(connector, settings, parsed.event);
      const locale = localeOf(event.language);
      let outcome: string;
      let surveyId: string | null = null;
      let created = false;
      try {
        const result = await surveys.create(
          site,
          {
            ticketRef: event.ticketRef,
            ...(event.team && { team: event.team }),
            ...(event.technician && { technician: event.technician }),
            ...(locale && { locale }),
            ...(event.contact && { contact: event.contact }),
            ...(event.company && { company: event.company }),
          },
          { closedAt: event.closedAt ?? now },
        );
        outcome = result.status === 'created' ? 'survey_created' : result.status === 'existing' ? 'survey_exists' : result.status;
        if (result.status === 'created' || result.status === 'existing') surveyId = result.survey.id;
        created = result.status === 'created';
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
        outcome = error.code;
      }
      await record(outcome, surveyId, event);
      return { status: created ? 201 : 200, body: { outcome, ticketRef: event.ticketRef, ...(surveyId && { surveyId }) } };
    },
  };
}
