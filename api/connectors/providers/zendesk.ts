// Zendesk Support. Follows:
//   https://developer.zendesk.com/documentation/webhooks/verifying/  (signature: base64 HMAC-SHA256 of
//     timestamp + raw body under the webhook's signing secret; headers X-Zendesk-Webhook-Signature and
//     X-Zendesk-Webhook-Signature-Timestamp)
//   https://developer.zendesk.com/documentation/webhooks/creating-and-monitoring-webhooks/  (trigger-connected
//     webhooks send the JSON body written in the trigger, with placeholders)
//   https://support.zendesk.com/hc/en-us/articles/4408886858138  (placeholder reference: ticket.group.name,
//     ticket.assignee.name, ticket.requester.email, ...)
//   https://developer.zendesk.com/api-reference/ticketing/tickets/tickets/#update-ticket  (write-back:
//     PUT /api/v2/tickets/{id} with { ticket: { comment: { body, public: false } } }, API token auth
//     "{email}/token:{api_token}")
// Not sure: what {{ticket.requester.language}} renders (a language name such as "English" in our
// reading); localeOf() takes names and codes alike. {{ticket.status}} renders the status title
// ("Solved"); both title and the API value ("solved") are accepted.
import { z } from 'zod';
import { parseByPaths, pathsSchema, type Paths } from '../mapped.js';
import type { BaseSettings, Provider } from '../types.js';
import { basic, baseUrl, hmac, isObject, sameMac } from '../util.js';

export interface ZendeskSettings extends BaseSettings {
  /** The webhook's signing secret, copied from Zendesk (Zendesk makes it; it cannot be chosen). */
  signingSecret?: string;
  /** https://<subdomain>.zendesk.com */
  apiUrl?: string;
  /** The agent the API token acts as. */
  apiEmail?: string;
  apiToken?: string;
  paths?: Paths;
}

const TOLERANCE_MS = 5 * 60 * 1000;

/** The JSON body to paste into the trigger's "Notify by > Active webhook" action. */
export const ZENDESK_TRIGGER_BODY = {
  ticket: {
    id: '{{ticket.id}}',
    status: '{{ticket.status}}',
    updated_at: '{{ticket.updated_at_with_timestamp}}',
    group: '{{ticket.group.name}}',
    assignee: '{{ticket.assignee.name}}',
    requester: { email: '{{ticket.requester.email}}', name: '{{ticket.requester.name}}', language: '{{ticket.requester.language}}' },
    organization: '{{ticket.organization.name}}',
  },
};

const DEFAULT_PATHS = {
  ticketId: 'ticket.id',
  status: 'ticket.status',
  team: 'ticket.group',
  technician: 'ticket.assignee',
  contactEmail: 'ticket.requester.email',
  contactName: 'ticket.requester.name',
  company: 'ticket.organization',
  language: 'ticket.requester.language',
  closedAt: 'ticket.updated_at',
};

export const zendesk: Provider<ZendeskSettings> = {
  name: 'zendesk',
  title: 'Zendesk',
  docs: [
    'https://developer.zendesk.com/documentation/webhooks/verifying/',
    'https://developer.zendesk.com/api-reference/ticketing/tickets/tickets/#update-ticket',
  ],
  settingsSchema: z.strictObject({
    signingSecret: z.string().trim().min(16).max(200).optional(),
    apiUrl: z.url({ protocol: /^https?$/ }).max(300).optional(),
    apiEmail: z.email().max(254).optional(),
    apiToken: z.string().trim().min(1).max(300).optional(),
    paths: pathsSchema.optional(),
  }),
  secretSettings: ['signingSecret', 'apiToken'],
  ownSigningSecret: true,
  inboundAuth: 'Zendesk signature (X-Zendesk-Webhook-Signature, HMAC-SHA256 under the webhook signing secret), timestamp within 5 minutes',

  verify(request, settings) {
    if (!settings.signingSecret) return { ok: false, reason: 'the connector has no Zendesk signing secret yet (csat connector set ... signingSecret=...)' };
    const signature = request.headers['x-zendesk-webhook-signature'];
    const stamp = request.headers['x-zendesk-webhook-signature-timestamp'];
    if (!signature || !stamp) return { ok: false, reason: 'unsigned: no X-Zendesk-Webhook-Signature and timestamp' };
    const expected = hmac('sha256', settings.signingSecret, stamp + request.rawBody);
    if (!sameMac(signature, expected)) return { ok: false, reason: 'the Zendesk signature does not match' };
    const t = Date.parse(stamp);
    if (!Number.isFinite(t) || Math.abs(request.now - t) > TOLERANCE_MS) return { ok: false, reason: 'the signature timestamp is more than 5 minutes off (a replay?)' };
    return { ok: true };
  },

  parse(payload, settings) {
    // A webhook subscribed to Zendesk events (not connected to a trigger) sends its own schema, with ids
    // where we need names: answered 2xx so Zendesk does not retry, and the reason shows in /admin.
    if (isObject(payload) && typeof payload.type === 'string' && payload.type.startsWith('zen:event-type:')) {
      return { status: 'ignored', reason: `${payload.type.slice(0, 80)} is an event-subscription call: connect the webhook to a trigger with the documented JSON body instead` };
    }
    return parseByPaths(payload, { ...DEFAULT_PATHS, ...settings.paths }, { close: ['solved', 'closed'], reopen: ['open', 'pending', 'hold', 'on-hold', 'new'] });
  },

  canWriteBack: (s) => Boolean(s.apiUrl && s.apiEmail && s.apiToken),

  writeBack(settings, ticketId, note) {
    return {
      method: 'PUT',
      url: `${baseUrl(settings.apiUrl!)}/api/v2/tickets/${encodeURIComponent(ticketId)}`,
      headers: { 'Content-Type': 'application/json', Authorization: basic(`${settings.apiEmail}/token`, settings.apiToken!) },
      body: JSON.stringify({ ticket: { comment: { body: note.text, public: false } } }),
    };
  },

  reopen(settings, ticketId) {
    return {
      method: 'PUT',
      url: `${baseUrl(settings.apiUrl!)}/api/v2/tickets/${encodeURIComponent(ticketId)}`,
      headers: { 'Content-Type': 'application/json', Authorization: basic(`${settings.apiEmail}/token`, settings.apiToken!) },
      body: JSON.stringify({ ticket: { status: 'open' } }),
    };
  },

  setupSteps: (url) => [
    `In Admin Center > Apps and integrations > Webhooks, create a webhook: "Trigger or automation", endpoint ${url}, method POST, format JSON, authentication None.`,
    'Open the new webhook, reveal its signing secret, and give it to this connector: csat connector set <site> <connector-id> signingSecret=<secret>',
    'In Admin Center > Objects and rules > Triggers, create a trigger "CSAT survey on solve": conditions "Ticket > Status > Changed to > Solved"; action "Notify by > Active webhook" with the webhook above and this JSON body:',
    JSON.stringify(ZENDESK_TRIGGER_BODY, null, 2),
    'Optional, to cancel a survey not yet sent when a ticket reopens: a second trigger "Status > Changed from > Solved" with the same webhook and body.',
    'Write-back (internal note on a neutral or negative reaction): create an API token in Admin Center > Apps and integrations > Zendesk API, then: csat connector set <site> <connector-id> apiUrl=https://<subdomain>.zendesk.com apiEmail=<agent email> apiToken=<token>',
  ],
};
