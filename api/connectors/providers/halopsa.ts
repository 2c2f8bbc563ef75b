// HaloPSA. Follows:
//   https://halopsa.com/guides/article/?kbid=2055  (Configuration > Integrations > Webhooks: a webhook per
//     event, "Authentication: Basic" with a username and password of our choosing, payload = the ticket
//     object as the API returns it)
//   https://halo.haloservicedesk.com/apidoc/resources/actions  (write-back: POST /api/Actions with a JSON
//     array of actions, bearer token)
// HaloPSA does not sign webhook calls; the webhook's Basic authentication carries the connector secret as
// its password (the username is not checked).
// Not sure: the payload field names. We read the API's ticket fields (id, status_id, team, agent_name,
// user_name, user_emailaddress, client_name) at the top level or under "ticket"; an operator whose
// payload differs overrides them with the `paths` setting. Closed is status id 9 in a default install;
// `closedStatusIds` changes it. Tokens: we take an API token (bearer) as given and do not run the
// client-credentials flow, so an expiring token must be renewed by hand.
import { z } from 'zod';
import { parseByPaths, pathsSchema, type Paths } from '../mapped.js';
import type { BaseSettings, Provider } from '../types.js';
import { basicAuth, baseUrl, escapeHtml, isObject, sameSecret } from '../util.js';

export interface HaloSettings extends BaseSettings {
  /** https://<tenant>.halopsa.com */
  apiUrl?: string;
  apiToken?: string;
  closedStatusIds?: string[];
  /** Status id set on the ticket when a reaction reopens it. */
  reopenStatusId?: string;
  paths?: Paths;
}

const PATHS = {
  ticketId: 'id',
  status: 'status_id',
  team: 'team',
  technician: 'agent_name',
  contactEmail: 'user_emailaddress',
  contactName: 'user_name',
  company: 'client_name',
  closedAt: 'dateclosed',
};

const statusIds = z.array(z.string().regex(/^\d{1,9}$/)).min(1).max(20);

export const halopsa: Provider<HaloSettings> = {
  name: 'halopsa',
  title: 'HaloPSA',
  docs: ['https://halopsa.com/guides/article/?kbid=2055', 'https://halo.haloservicedesk.com/apidoc/resources/actions'],
  settingsSchema: z.strictObject({
    apiUrl: z.url({ protocol: /^https?$/ }).max(300).optional(),
    apiToken: z.string().trim().min(1).max(4000).optional(),
    closedStatusIds: statusIds.optional(),
    reopenStatusId: z.string().regex(/^\d{1,9}$/).optional(),
    paths: pathsSchema.optional(),
  }),
  secretSettings: ['apiToken'],
  inboundAuth: 'HTTP Basic authentication whose password is the connector secret (HaloPSA does not sign webhooks)',

  verify(request, settings) {
    const auth = basicAuth(request.headers.authorization);
    if (!auth) return { ok: false, reason: 'unsigned: no Basic Authorization header' };
    return sameSecret(auth.password, settings.inboundSecret) ? { ok: true } : { ok: false, reason: 'the Basic password is not this connector\'s secret' };
  },

  parse(payload, settings) {
    // Some webhook payloads wrap the ticket; read it where it is.
    const ticket = isObject(payload) && isObject(payload.ticket) ? payload.ticket : payload;
    const close = settings.closedStatusIds ?? ['9'];
    // Any other status of a ticket we know as closed means it is open again (the intake checks that).
    return parseByPaths(ticket, { ...PATHS, ...settings.paths }, { close, reopen: 'other' });
  },

  canWriteBack: (s) => Boolean(s.apiUrl && s.apiToken),

  writeBack(settings, ticketId, note) {
    return {
      method: 'POST',
      url: `${baseUrl(settings.apiUrl!)}/api/Actions`,
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${settings.apiToken}` },
      // Not sure whether Halo renders `note` as HTML: escaped, so a comment can never be markup there.
      body: JSON.stringify([{ ticket_id: Number(ticketId), outcome: 'Private Note', note: escapeHtml(note.text).replace(/\n/g, '<br>'), hiddenfromuser: true }]),
    };
  },

  reopen(settings, ticketId) {
    if (!settings.reopenStatusId) return null;
    return {
      method: 'POST',
      url: `${baseUrl(settings.apiUrl!)}/api/Actions`,
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${settings.apiToken}` },
      body: JSON.stringify([{ ticket_id: Number(ticketId), outcome: 'Reopened', note: 'Reopened after the customer survey.', hiddenfromuser: true, new_status: Number(settings.reopenStatusId) }]),
    };
  },

  setupSteps: (url, secret) => [
    'In Configuration > Integrations > Webhooks, add a webhook "CSAT survey": URL ' + url + ', method POST, content type JSON, batching off.',
    `Authentication: Basic, username csat, password ${secret}`,
    'Events: "Ticket updated" (or "Ticket status changed") for the ticket types that should get a survey. The payload is the ticket object.',
    'A ticket with status id 9 (Closed) makes a survey; if your closed status has another id: csat connector set <site> <connector-id> closedStatusIds=<id>[,<id>]',
    'Write-back (private note on a neutral or negative reaction): create an API application (Configuration > Integrations > HaloPSA API), get a token, then: csat connector set <site> <connector-id> apiUrl=https://<tenant>.halopsa.com apiToken=<token>',
  ],
};
