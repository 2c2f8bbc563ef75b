// Freshdesk. Follows:
//   https://support.freshdesk.com/support/solutions/articles/132589-using-webhooks-in-automation-rules
//     ("Trigger webhook" action of an automation rule on ticket updates: URL, POST, custom headers,
//     content JSON "Advanced" with placeholders)
//   https://developers.freshdesk.com/api/#add_note_to_a_ticket  (write-back: POST /api/v2/tickets/{id}/notes
//     { body, private: true }, basic auth "<api key>:X")
//   https://developers.freshdesk.com/api/#update_ticket  (reopen: PUT /api/v2/tickets/{id} { status: 2 })
// Freshdesk does not sign webhook calls, so the rule sends the connector's secret in a custom header.
// Not sure: the exact placeholder for the requester's language ({{ticket.requester.language}} is our
// reading); the "Simple" content mode's key names (ticket_requester_email and the like) are also read.
import { z } from 'zod';
import { parseByPaths, pathsSchema, type Paths } from '../mapped.js';
import type { BaseSettings, Provider } from '../types.js';
import { at, basic, baseUrl, escapeHtml, SECRET_HEADER, sameSecret } from '../util.js';

export interface FreshdeskSettings extends BaseSettings {
  /** https://<domain>.freshdesk.com */
  apiUrl?: string;
  apiKey?: string;
  paths?: Paths;
}

export const FRESHDESK_WEBHOOK_BODY = {
  freshdesk_webhook: {
    ticket_id: '{{ticket.id}}',
    ticket_status: '{{ticket.status}}',
    ticket_group_name: '{{ticket.group.name}}',
    ticket_agent_name: '{{ticket.agent.name}}',
    ticket_contact_email: '{{ticket.requester.email}}',
    ticket_contact_name: '{{ticket.requester.name}}',
    ticket_company_name: '{{ticket.company.name}}',
    ticket_contact_language: '{{ticket.requester.language}}',
  },
};

const PATHS = {
  ticketId: 'freshdesk_webhook.ticket_id',
  status: 'freshdesk_webhook.ticket_status',
  team: 'freshdesk_webhook.ticket_group_name',
  technician: 'freshdesk_webhook.ticket_agent_name',
  contactEmail: 'freshdesk_webhook.ticket_contact_email',
  contactName: 'freshdesk_webhook.ticket_contact_name',
  company: 'freshdesk_webhook.ticket_company_name',
  language: 'freshdesk_webhook.ticket_contact_language',
};
/** The "Simple" content mode's names for the contact. */
const SIMPLE_PATHS = { contactEmail: 'freshdesk_webhook.ticket_requester_email', contactName: 'freshdesk_webhook.ticket_requester_name' };

export const freshdesk: Provider<FreshdeskSettings> = {
  name: 'freshdesk',
  title: 'Freshdesk',
  docs: [
    'https://support.freshdesk.com/support/solutions/articles/132589-using-webhooks-in-automation-rules',
    'https://developers.freshdesk.com/api/#add_note_to_a_ticket',
  ],
  settingsSchema: z.strictObject({
    apiUrl: z.url({ protocol: /^https?$/ }).max(300).optional(),
    apiKey: z.string().trim().min(1).max(300).optional(),
    paths: pathsSchema.optional(),
  }),
  secretSettings: ['apiKey'],
  inboundAuth: `the connector secret in the ${SECRET_HEADER} header (Freshdesk does not sign webhooks)`,

  verify(request, settings) {
    const presented = request.headers[SECRET_HEADER.toLowerCase()];
    if (!presented) return { ok: false, reason: `unsigned: no ${SECRET_HEADER} header` };
    return sameSecret(presented, settings.inboundSecret) ? { ok: true } : { ok: false, reason: `the ${SECRET_HEADER} header is not this connector's secret` };
  },

  parse(payload, settings) {
    const simple = at(payload, PATHS.contactEmail) === undefined && at(payload, SIMPLE_PATHS.contactEmail) !== undefined;
    return parseByPaths(payload, { ...PATHS, ...(simple && SIMPLE_PATHS), ...settings.paths }, { close: ['resolved', 'closed', '4', '5'], reopen: ['open', 'pending', '2', '3'] });
  },

  canWriteBack: (s) => Boolean(s.apiUrl && s.apiKey),

  writeBack(settings, ticketId, note) {
    return {
      method: 'POST',
      url: `${baseUrl(settings.apiUrl!)}/api/v2/tickets/${encodeURIComponent(ticketId)}/notes`,
      headers: { 'Content-Type': 'application/json', Authorization: basic(settings.apiKey!, 'X') },
      // The note body is HTML: the comment is escaped, line breaks become <br>.
      body: JSON.stringify({ body: escapeHtml(note.text).replace(/\n/g, '<br>'), private: true }),
    };
  },

  reopen(settings, ticketId) {
    return {
      method: 'PUT',
      url: `${baseUrl(settings.apiUrl!)}/api/v2/tickets/${encodeURIComponent(ticketId)}`,
      headers: { 'Content-Type': 'application/json', Authorization: basic(settings.apiKey!, 'X') },
      body: JSON.stringify({ status: 2 }),
    };
  },

  setupSteps: (url, secret) => [
    'In Admin > Workflows > Automations > "Ticket updates", create a rule "CSAT survey on resolve": when "Status is changed" from "Any status" to "Resolved" (add "Closed" too if agents close without resolving).',
    `Action "Trigger webhook": request type POST, URL ${url}, encoding JSON, "Add custom headers" with:`,
    `${SECRET_HEADER}: ${secret}`,
    'Content: Advanced, with this JSON:',
    JSON.stringify(FRESHDESK_WEBHOOK_BODY, null, 2),
    'Optional: a second rule for "Status is changed from Resolved to Open" with the same action, to cancel a survey not yet sent.',
    'Write-back (private note on a neutral or negative reaction): copy your API key from Profile settings, then: csat connector set <site> <connector-id> apiUrl=https://<domain>.freshdesk.com apiKey=<key>',
  ],
};
