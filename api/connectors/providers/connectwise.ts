// ConnectWise PSA (Manage). Follows:
//   https://developer.connectwise.com/Products/ConnectWise_PSA/Developer_Guide/Callbacks  (callbacks created
//     with POST /v4_6_release/apis/3.0/system/callbacks {url, objectId, type: "Ticket", level: "Board"};
//     the body carries MessageId, Action, Type, ID and Entity, the ticket as a JSON string)
//   https://developer.connectwise.com/Products/ConnectWise_PSA/REST#/TicketNotes/postServiceTicketsByParentIdNotes
//     (write-back: POST /v4_6_release/apis/3.0/service/tickets/{id}/notes {text, internalAnalysisFlag: true},
//     basic auth "company+publicKey:privateKey" and a clientId header)
// Callbacks cannot carry a header of our choosing, so the connector secret rides in the callback URL
// (?key=...). Not verified here: newer PSA versions add an x-content-signature header whose key must be
// fetched from a URL in the payload; we do not rely on it. Not sure: whether Entity is always a string
// (we also take an object) and whether closedFlag is set on every closing status (a status name listed
// in `closedStatuses` also counts as a close).
import { z } from 'zod';
import { eventFrom, pathsSchema, type Paths } from '../mapped.js';
import type { BaseSettings, Provider } from '../types.js';
import { basic, baseUrl, isObject, sameSecret, text, ticketId } from '../util.js';

export interface ConnectWiseSettings extends BaseSettings {
  /** https://api-na.myconnectwise.net (the site of the account) */
  apiUrl?: string;
  companyId?: string;
  publicKey?: string;
  privateKey?: string;
  clientId?: string;
  closedStatuses?: string[];
  /** Status name set when a reaction reopens the ticket (it must exist on the ticket's board). */
  reopenStatus?: string;
  paths?: Paths;
}

const PATHS: Paths = {
  ticketRef: 'id',
  team: 'board.name',
  technician: 'owner.name',
  contactEmail: 'contactEmailAddress',
  contactName: 'contactName',
  company: 'company.name',
  closedAt: 'closedDate',
};

function entityOf(payload: Record<string, unknown>): Record<string, unknown> | null {
  const entity = payload.Entity ?? payload.entity;
  if (isObject(entity)) return entity;
  if (typeof entity !== 'string') return null;
  try {
    const parsed: unknown = JSON.parse(entity);
    return isObject(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

export const connectwise: Provider<ConnectWiseSettings> = {
  name: 'connectwise',
  title: 'ConnectWise PSA',
  docs: [
    'https://developer.connectwise.com/Products/ConnectWise_PSA/Developer_Guide/Callbacks',
    'https://developer.connectwise.com/Products/ConnectWise_PSA/REST#/TicketNotes/postServiceTicketsByParentIdNotes',
  ],
  settingsSchema: z.strictObject({
    apiUrl: z.url({ protocol: /^https?$/ }).max(300).optional(),
    companyId: z.string().trim().min(1).max(100).optional(),
    publicKey: z.string().trim().min(1).max(200).optional(),
    privateKey: z.string().trim().min(1).max(200).optional(),
    clientId: z.string().trim().min(1).max(200).optional(),
    closedStatuses: z.array(z.string().trim().min(1).max(100)).min(1).max(20).optional(),
    reopenStatus: z.string().trim().min(1).max(100).optional(),
    paths: pathsSchema.optional(),
  }),
  secretSettings: ['privateKey'],
  inboundAuth: 'the connector secret as ?key= in the callback URL (ConnectWise callbacks cannot send a header of our choosing)',

  verify(request, settings) {
    const key = request.query.key;
    if (!key) return { ok: false, reason: 'unsigned: no ?key= in the URL' };
    return sameSecret(key, settings.inboundSecret) ? { ok: true } : { ok: false, reason: 'the ?key= is not this connector\'s secret' };
  },

  parse(payload, settings) {
    if (!isObject(payload)) return { status: 'invalid', reason: 'the body is not a JSON object' };
    const type = text(payload.Type ?? payload.type);
    if (type && type.toLowerCase() !== 'ticket') return { status: 'ignored', reason: `a ${type} callback, not a ticket` };
    const action = text(payload.Action ?? payload.action)?.toLowerCase();
    if (action === 'deleted') return { status: 'ignored', reason: 'a deleted ticket' };
    const entity = entityOf(payload);
    if (!entity) return { status: 'invalid', reason: 'no ticket in Entity' };
    const id = ticketId(entity.id ?? payload.ID);
    if (!id) return { status: 'invalid', reason: 'no ticket id' };
    const statusName = text(isObject(entity.status) ? entity.status.name : undefined);
    const closedByStatus = statusName !== undefined && (settings.closedStatuses ?? []).some((s) => s.toLowerCase() === statusName.toLowerCase());
    const kind = entity.closedFlag === true || closedByStatus ? 'close' : 'reopen';
    return { status: 'event', event: eventFrom(entity, { ...PATHS, ...settings.paths }, kind, id) };
  },

  canWriteBack: (s) => Boolean(s.apiUrl && s.companyId && s.publicKey && s.privateKey && s.clientId),

  writeBack(settings, ticketId, note) {
    return {
      method: 'POST',
      url: `${baseUrl(settings.apiUrl!)}/v4_6_release/apis/3.0/service/tickets/${encodeURIComponent(ticketId)}/notes`,
      headers: headers(settings),
      body: JSON.stringify({ text: note.text, internalAnalysisFlag: true }),
    };
  },

  reopen(settings, ticketId) {
    if (!settings.reopenStatus) return null;
    return {
      method: 'PATCH',
      url: `${baseUrl(settings.apiUrl!)}/v4_6_release/apis/3.0/service/tickets/${encodeURIComponent(ticketId)}`,
      headers: headers(settings),
      body: JSON.stringify([{ op: 'replace', path: 'status/name', value: settings.reopenStatus }]),
    };
  },

  setupSteps: (url, secret) => [
    'Create an API member (System > Members > API Members) with its public and private keys, and a clientId at developer.connectwise.com.',
    `Register the callback with the REST API: POST https://<site>/v4_6_release/apis/3.0/system/callbacks with body {"url":"${url}?key=${secret}","objectId":<board id>,"type":"Ticket","level":"Board","description":"CSAT survey"} (one per board; level "Owner" with objectId 1 covers every board).`,
    'A ticket whose closedFlag is true makes a survey; a status name that should also count: csat connector set <site> <connector-id> closedStatuses=">Closed,Resolved"',
    'Write-back (internal analysis note on a neutral or negative reaction): csat connector set <site> <connector-id> apiUrl=https://api-na.myconnectwise.net companyId=<company> publicKey=<public> privateKey=<private> clientId=<clientId>',
  ],
};

function headers(settings: ConnectWiseSettings): Record<string, string> {
  return {
    'Content-Type': 'application/json',
    Authorization: basic(`${settings.companyId}+${settings.publicKey}`, settings.privateKey!),
    clientId: settings.clientId!,
  };
}
