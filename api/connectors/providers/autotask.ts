// Autotask PSA (Datto). Follows:
//   https://www.autotask.net/help/developerhelp/Content/APIs/Webhooks/WEBHOOKS.htm  (REST API webhooks:
//     created with POST /ATServicesRest/V1.0/TicketWebhooks with a SecretKey of our choosing; each call is
//     signed with HMAC-SHA1 of the raw body in the X-Hook-Signature header; the body carries Action, Guid,
//     EntityType, Id, Fields, EventTime, SequenceNumber, PersonID)
//   https://www.autotask.net/help/developerhelp/Content/APIs/REST/Entities/TicketNotesEntity.htm
//     (write-back: POST /ATServicesRest/V1.0/Tickets/{id}/Notes, headers ApiIntegrationCode, UserName, Secret)
// Not sure: (1) the signature's exact spelling: we accept "sha1=<base64>" and a bare base64 value;
// (2) the case of the keys in Fields (the REST API writes camelCase, examples show both): keys are read
// case-insensitively; (3) the note's picklist values: noteType 1 and publish 2 ("internal only") are our
// reading of a default install, both changeable in the settings. Webhook Fields carry ids, not names:
// queue and resource names come from the `queues` and `resources` settings (id -> name); the contact's
// email and name are read with the API (Contacts/{id}) when write-back credentials are set.
import { z } from 'zod';
import { eventFrom, pathsSchema, statusKind, type Paths } from '../mapped.js';
import type { BaseSettings, Provider } from '../types.js';
import { at, baseUrl, email, hmac, isObject, sameMac, text, ticketId } from '../util.js';

export interface AutotaskSettings extends BaseSettings {
  /** https://webservicesN.autotask.net (the zone of the account) */
  apiUrl?: string;
  apiIntegrationCode?: string;
  apiUserName?: string;
  apiSecret?: string;
  /** Status ids that mean complete (default 5, "Complete"). */
  closedStatusIds?: string[];
  reopenStatusId?: string;
  queues?: Record<string, string>;
  resources?: Record<string, string>;
  noteType?: number;
  notePublish?: number;
  paths?: Paths;
}

const idMap = z.record(z.string().regex(/^\d{1,12}$/), z.string().trim().min(1).max(100)).refine((m) => Object.keys(m).length <= 500, 'at most 500 entries');

/** The body with Fields' keys lower-cased, so paths read the same whatever case the account sends. */
function normalised(payload: unknown): Record<string, unknown> | null {
  if (!isObject(payload)) return null;
  const fields = isObject(payload.Fields) ? payload.Fields : isObject(payload.fields) ? payload.fields : {};
  return { ...payload, fields: Object.fromEntries(Object.entries(fields).map(([k, v]) => [k.toLowerCase(), v])) };
}

export const autotask: Provider<AutotaskSettings> = {
  name: 'autotask',
  title: 'Autotask PSA (Datto)',
  docs: [
    'https://www.autotask.net/help/developerhelp/Content/APIs/Webhooks/WEBHOOKS.htm',
    'https://www.autotask.net/help/developerhelp/Content/APIs/REST/Entities/TicketNotesEntity.htm',
  ],
  settingsSchema: z.strictObject({
    apiUrl: z.url({ protocol: /^https?$/ }).max(300).optional(),
    apiIntegrationCode: z.string().trim().min(1).max(200).optional(),
    apiUserName: z.string().trim().min(1).max(254).optional(),
    apiSecret: z.string().trim().min(1).max(300).optional(),
    closedStatusIds: z.array(z.string().regex(/^\d{1,9}$/)).min(1).max(20).optional(),
    reopenStatusId: z.string().regex(/^\d{1,9}$/).optional(),
    queues: idMap.optional(),
    resources: idMap.optional(),
    noteType: z.number().int().min(1).max(999).optional(),
    notePublish: z.number().int().min(1).max(9).optional(),
    paths: pathsSchema.optional(),
  }),
  secretSettings: ['apiSecret', 'apiIntegrationCode'],
  inboundAuth: 'Autotask webhook signature (X-Hook-Signature, HMAC-SHA1 of the body under the webhook SecretKey, which is the connector secret)',

  verify(request, settings) {
    const header = request.headers['x-hook-signature'];
    if (!header) return { ok: false, reason: 'unsigned: no X-Hook-Signature header' };
    const presented = header.replace(/^sha1=/i, '').trim();
    return sameMac(presented, hmac('sha1', settings.inboundSecret, request.rawBody)) ? { ok: true } : { ok: false, reason: 'the X-Hook-Signature does not match' };
  },

  parse(payload, settings) {
    const body = normalised(payload);
    if (!body) return { status: 'invalid', reason: 'the body is not a JSON object' };
    const entity = text(body.EntityType);
    if (entity && entity.toLowerCase() !== 'ticket') return { status: 'ignored', reason: `entity ${entity} is not a ticket` };
    if (text(body.Action)?.toLowerCase() === 'delete') return { status: 'ignored', reason: 'a deleted ticket' };
    const id = ticketId(body.Id ?? body.id);
    if (!id) return { status: 'invalid', reason: 'no ticket Id' };
    const status = text(at(body, 'fields.status'));
    const kind = statusKind(status, { close: settings.closedStatusIds ?? ['5'], reopen: 'other' });
    if (!kind) return { status: 'ignored', reason: 'the webhook carries no status change' };
    const queue = text(at(body, 'fields.queueid'));
    const resource = text(at(body, 'fields.assignedresourceid'));
    const paths: Paths = { ticketRef: 'fields.ticketnumber', closedAt: 'fields.completeddate', ...settings.paths };
    const event = eventFrom(body, paths, kind, id);
    const team = queue ? settings.queues?.[queue] : undefined;
    const technician = resource ? settings.resources?.[resource] : undefined;
    if (team && !event.team) event.team = team;
    if (technician && !event.technician) event.technician = technician;
    const contactId = text(at(body, 'fields.contactid'));
    if (contactId && /^\d+$/.test(contactId)) event.refs = { contactId };
    return { status: 'event', event };
  },

  lookup(settings, event) {
    const contactId = event.refs?.contactId;
    if (!contactId || event.contact?.email || !this.canWriteBack(settings)) return null;
    return {
      request: { method: 'GET', url: `${baseUrl(settings.apiUrl!)}/ATServicesRest/V1.0/Contacts/${contactId}`, headers: headers(settings) },
      apply(answer, current) {
        const item = at(answer, 'item');
        const mail = email(at(item, 'emailAddress'));
        const name = [text(at(item, 'firstName')), text(at(item, 'lastName'))].filter(Boolean).join(' ');
        if (!mail && !name) return current;
        return { ...current, contact: { ...(mail && { email: mail }), ...(name && { name }) } };
      },
    };
  },

  canWriteBack: (s) => Boolean(s.apiUrl && s.apiIntegrationCode && s.apiUserName && s.apiSecret),

  writeBack(settings, ticketId, note) {
    return {
      method: 'POST',
      url: `${baseUrl(settings.apiUrl!)}/ATServicesRest/V1.0/Tickets/${encodeURIComponent(ticketId)}/Notes`,
      headers: headers(settings),
      body: JSON.stringify({
        ticketID: Number(ticketId),
        title: 'Customer satisfaction survey',
        description: note.text,
        noteType: settings.noteType ?? 1,
        publish: settings.notePublish ?? 2,
      }),
    };
  },

  reopen(settings, ticketId) {
    if (!settings.reopenStatusId) return null;
    return {
      method: 'PATCH',
      url: `${baseUrl(settings.apiUrl!)}/ATServicesRest/V1.0/Tickets`,
      headers: headers(settings),
      body: JSON.stringify({ id: Number(ticketId), status: Number(settings.reopenStatusId) }),
    };
  },

  setupSteps: (url, secret) => [
    'Autotask webhooks are created with the REST API (an API user with the "API User (API-only)" security level and a tracking identifier):',
    `POST https://webservicesN.autotask.net/ATServicesRest/V1.0/TicketWebhooks with headers ApiIntegrationCode, UserName, Secret and body {"Name":"CSAT survey","WebhookUrl":"${url}","SecretKey":"${secret}","IsActive":true,"IsReady":true,"IsSubscribedToUpdateEvents":true,"SendThresholdExceededNotification":true,"NotificationEmailAddress":"<you>"}`,
    'Then register the fields it sends, with POST .../TicketWebhooks/{webhookId}/Fields, one call per field id: status, ticketNumber, queueID, assignedResourceID, contactID, completedDate (IsSubscribedField true for status, IsDisplayAlwaysField true for the others).',
    'Status 5 (Complete) makes a survey; another id: csat connector set <site> <connector-id> closedStatusIds=<id>',
    'Names for queues and resources (the webhook carries ids): csat connector set <site> <connector-id> \'queues={"29683378":"Service Desk"}\' \'resources={"29682885":"Dana Lee"}\'',
    'Contact email and name, and write-back (internal note on a neutral or negative reaction): csat connector set <site> <connector-id> apiUrl=https://webservicesN.autotask.net apiIntegrationCode=<code> apiUserName=<user> apiSecret=<secret>',
  ],
};

function headers(settings: AutotaskSettings): Record<string, string> {
  return {
    'Content-Type': 'application/json',
    ApiIntegrationCode: settings.apiIntegrationCode!,
    UserName: settings.apiUserName!,
    Secret: settings.apiSecret!,
  };
}
