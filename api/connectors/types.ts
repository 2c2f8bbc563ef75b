// The one shape every help-desk connector has: verify an inbound call, parse it into a ConnectorEvent,
// and build (never send) the write-back requests. Provider modules are pure: no I/O, no clock.
import type { z } from 'zod';

export type ProviderName = 'zendesk' | 'freshdesk' | 'halopsa' | 'autotask' | 'connectwise' | 'generic';

/** A ticket closing (make a survey) or reopening (cancel a survey not yet sent). */
export interface ConnectorEvent {
  kind: 'close' | 'reopen';
  /** The tool's own ticket id, as its REST API takes it (write-back goes there). */
  ticketId: string;
  /** What the survey records as ticketRef: the number people see in the tool. */
  ticketRef: string;
  team?: string;
  technician?: string;
  contact?: { email?: string; name?: string };
  company?: string;
  /** The language the tool gives for the contact, as it gives it (e.g. "fr", "fr-FR", "French"). */
  language?: string;
  /** When the tool says the ticket closed (ms), if it says. */
  closedAt?: number;
  /** Ids the payload names but does not describe (e.g. Autotask's contactID), for a lookup. */
  refs?: Record<string, string>;
}

export type ParseResult =
  | { status: 'event'; event: ConnectorEvent }
  /** A call the tool may well send that is not a close or reopen: answered 2xx, nothing done. */
  | { status: 'ignored'; reason: string }
  /** Not the shape this tool sends: answered 400. */
  | { status: 'invalid'; reason: string };

/** An inbound call as the verifier sees it: raw body (signatures cover bytes), lower-cased headers. */
export interface InboundRequest {
  headers: Record<string, string>;
  query: Record<string, string>;
  rawBody: string;
  now: number;
}

export type VerifyResult = { ok: true } | { ok: false; reason: string };

/** One HTTP request to the tool's REST API; the shared sender (write-back-sender.ts) performs it. */
export interface OutboundRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH';
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/** A read of the tool's API that completes an event (e.g. a contact the payload names by id only). */
export interface Lookup {
  request: OutboundRequest;
  /** Adds what the answer says to the event; pure. */
  apply(answer: unknown, event: ConnectorEvent): ConnectorEvent;
}

/** What a write-back note says; the text is written by note.ts, the provider only places it. */
export interface WriteBackNote {
  text: string;
}

/** Settings every connector has: the secret its inbound calls must prove they know. */
export interface BaseSettings {
  /** Per-connector inbound secret (header, basic-auth password, URL key or HMAC key, per provider). */
  inboundSecret: string;
}

export interface Provider<S extends BaseSettings = BaseSettings & Record<string, unknown>> {
  name: ProviderName;
  title: string;
  /** The documentation pages this module follows. */
  docs: readonly string[];
  /** The settings an operator may give (write-back credentials, mappings); strict. */
  settingsSchema: z.ZodType<Omit<S, 'inboundSecret'>>;
  /** Settings names whose values are credentials (never printed back). */
  secretSettings: readonly string[];
  /** The tool signs with a secret of its own (set as a setting), so the connector secret is not used. */
  ownSigningSecret?: boolean;
  /** How an inbound call proves itself, in words for the docs and the CLI. */
  inboundAuth: string;
  verify(request: InboundRequest, settings: S): VerifyResult;
  parse(payload: unknown, settings: S): ParseResult;
  /** True when these settings hold what write-back needs. */
  canWriteBack(settings: S): boolean;
  writeBack(settings: S, ticketId: string, note: WriteBackNote): OutboundRequest;
  /** A read needed before the survey can be made, or null (most tools send everything). */
  lookup?(settings: S, event: ConnectorEvent): Lookup | null;
  /** Reopens the ticket (optional per connector); null when it cannot be done with these settings. */
  reopen(settings: S, ticketId: string): OutboundRequest | null;
  /** Setup steps for the tool, given the inbound URL and secret. */
  setupSteps(inboundUrl: string, inboundSecret: string): string[];
}
