// Any tool that can POST JSON when a ticket closes. The operator names where each field is (dot paths)
// and which status values mean closed or reopened; the call proves itself with the connector secret in a
// header. Write-back, when a URL is set, POSTs { ticketId, text } there (with an optional bearer token);
// "{ticketId}" in the URL is replaced by the ticket's id.
import { z } from 'zod';
import { parseByPaths, pathsSchema } from '../mapped.js';
import type { BaseSettings, Provider } from '../types.js';
import { SECRET_HEADER, sameSecret } from '../util.js';

export interface GenericSettings extends BaseSettings {
  paths?: z.infer<typeof pathsSchema>;
  closeValues?: string[];
  reopenValues?: string[];
  writeBackUrl?: string;
  writeBackToken?: string;
}

const values = z.array(z.string().trim().min(1).max(100)).min(1).max(20);

export const generic: Provider<GenericSettings> = {
  name: 'generic',
  title: 'Any tool (field mapping)',
  docs: [],
  settingsSchema: z.strictObject({
    paths: pathsSchema.optional(),
    closeValues: values.optional(),
    reopenValues: values.optional(),
    writeBackUrl: z.url({ protocol: /^https?$/ }).max(500).optional(),
    writeBackToken: z.string().trim().min(1).max(2000).optional(),
  }),
  secretSettings: ['writeBackToken'],
  inboundAuth: `the connector secret in the ${SECRET_HEADER} header`,

  verify(request, settings) {
    const presented = request.headers[SECRET_HEADER.toLowerCase()];
    if (!presented) return { ok: false, reason: `unsigned: no ${SECRET_HEADER} header` };
    return sameSecret(presented, settings.inboundSecret) ? { ok: true } : { ok: false, reason: `the ${SECRET_HEADER} header is not this connector's secret` };
  },

  parse(payload, settings) {
    const paths = settings.paths;
    if (!paths?.ticketId || !paths.status) return { status: 'invalid', reason: 'the connector has no field mapping yet (settings.paths.ticketId and .status)' };
    return parseByPaths(payload, { ...paths, ticketId: paths.ticketId, status: paths.status }, {
      close: settings.closeValues ?? ['closed', 'resolved', 'solved'],
      reopen: settings.reopenValues ?? ['open', 'reopened'],
    });
  },

  canWriteBack: (s) => Boolean(s.writeBackUrl),

  writeBack(settings, ticketId, note) {
    return {
      method: 'POST',
      url: settings.writeBackUrl!.replaceAll('{ticketId}', encodeURIComponent(ticketId)),
      headers: { 'Content-Type': 'application/json', ...(settings.writeBackToken && { Authorization: `Bearer ${settings.writeBackToken}` }) },
      body: JSON.stringify({ ticketId, text: note.text }),
    };
  },

  reopen: () => null,

  setupSteps: (url, secret) => [
    `Have the tool POST JSON to ${url} when a ticket closes (and, optionally, when it reopens), with the header:`,
    `${SECRET_HEADER}: ${secret}`,
    'Tell the connector where the fields are (dot paths into that JSON) and which status values mean closed:',
    'csat connector set <site> <connector-id> \'paths={"ticketId":"ticket.id","status":"ticket.status","team":"ticket.group","technician":"ticket.agent","contactEmail":"ticket.contact.email","contactName":"ticket.contact.name","company":"ticket.company","language":"ticket.language"}\' closeValues=closed,resolved',
    'Optional write-back: writeBackUrl=https://tool.example.com/api/tickets/{ticketId}/notes writeBackToken=<token>',
  ],
};
