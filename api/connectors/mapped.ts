// Turns a tool's JSON into a ConnectorEvent by dot paths. Every provider has default paths for what its
// documented payload holds; an operator may override any of them with the connector's `paths` setting
// when their tool sends other names (and the generic connector has nothing but these paths).
import { z } from 'zod';
import type { ConnectorEvent, ParseResult } from './types.js';
import { at, email, text, ticketId, timestamp } from './util.js';

export const FIELDS = ['ticketId', 'ticketRef', 'status', 'team', 'technician', 'contactEmail', 'contactName', 'company', 'language', 'closedAt'] as const;
export type Field = (typeof FIELDS)[number];
export type Paths = Partial<Record<Field, string>>;

const dotPath = z.string().trim().min(1).max(200).regex(/^[A-Za-z0-9_$@-]+(\.[A-Za-z0-9_$@-]+)*$/, 'a dot path like ticket.group.name');
export const pathsSchema = z.strictObject(Object.fromEntries(FIELDS.map((f) => [f, dotPath.optional()])) as Record<Field, z.ZodOptional<typeof dotPath>>);

export interface StatusRule {
  /** Status values (compared case-insensitively, trimmed) that mean closed / resolved. */
  close: readonly string[];
  /** Status values that mean the ticket is open again; 'other': any status that is not a close (the
   * intake acts on a reopen only for a ticket it knows as closed). */
  reopen: readonly string[] | 'other';
}

const norm = (s: string) => s.trim().toLowerCase();

/** The kind of event a status value means, or null when it means neither. */
export function statusKind(status: string | undefined, rule: StatusRule): ConnectorEvent['kind'] | null {
  if (status === undefined) return null;
  const s = norm(status);
  if (rule.close.some((v) => norm(v) === s)) return 'close';
  if (rule.reopen === 'other' || rule.reopen.some((v) => norm(v) === s)) return 'reopen';
  return null;
}

/** Reads the event from `payload` by `paths`; `status` decides close / reopen / ignored. */
export function parseByPaths(payload: unknown, paths: Required<Pick<Paths, 'ticketId' | 'status'>> & Paths, rule: StatusRule): ParseResult {
  const id = ticketId(at(payload, paths.ticketId));
  if (!id) return { status: 'invalid', reason: `no ticket id at "${paths.ticketId}"` };
  const status = text(at(payload, paths.status), 100);
  const kind = statusKind(status, rule);
  if (!kind) return { status: 'ignored', reason: status ? `status "${status}" is not a close or a reopen` : `no status at "${paths.status}"` };
  return { status: 'event', event: eventFrom(payload, paths, kind, id) };
}

/** The optional fields of an event, read by paths (absent paths and unusable values are left out). */
export function eventFrom(payload: unknown, paths: Paths, kind: ConnectorEvent['kind'], id: string): ConnectorEvent {
  const read = (field: Field, max = 100) => (paths[field] ? text(at(payload, paths[field]), max) : undefined);
  const contactEmail = paths.contactEmail ? email(at(payload, paths.contactEmail)) : undefined;
  const contactName = read('contactName', 200);
  const event: ConnectorEvent = { kind, ticketId: id, ticketRef: read('ticketRef', 200) ?? id };
  const team = read('team');
  const technician = read('technician');
  const company = read('company', 200);
  const language = read('language', 50);
  const closedAt = paths.closedAt ? timestamp(at(payload, paths.closedAt)) : undefined;
  if (team) event.team = team;
  if (technician) event.technician = technician;
  if (contactEmail || contactName) event.contact = { ...(contactEmail && { email: contactEmail }), ...(contactName && { name: contactName }) };
  if (company) event.company = company;
  if (language) event.language = language;
  if (closedAt !== undefined) event.closedAt = closedAt;
  return event;
}
