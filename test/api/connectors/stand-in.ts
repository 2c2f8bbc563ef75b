// A local HTTP stand-in of each help-desk tool's REST endpoints that write-back and lookups use. It
// answers only requests of the documented shape (method, path, auth headers, JSON body) and 400s the
// rest, so a test passing against it means our requests have that shape. `failures` makes the next
// write requests answer with those statuses first (a tool having trouble).
import http from 'node:http';
import type net from 'node:net';
import { AUTOTASK_CONTACT } from './fixtures.js';

export interface Seen {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: unknown;
}

export const CREDENTIALS = {
  zendesk: { apiEmail: 'agent@acme.example', apiToken: 'zd-token-123' },
  freshdesk: { apiKey: 'fd-key-456' },
  halopsa: { apiToken: 'halo-token-789' },
  autotask: { apiIntegrationCode: 'AT-CODE', apiUserName: 'api@acme.example', apiSecret: 'at-secret' },
  connectwise: { companyId: 'acmemsp', publicKey: 'pub', privateKey: 'priv', clientId: 'client-uuid' },
} as const;

const basicOf = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks one request against the tool's documented shape; returns a problem or null. */
function problem(tool: keyof typeof CREDENTIALS, seen: Seen): string | null {
  const h = seen.headers;
  const json = /^application\/json/.test(String(h['content-type'] ?? ''));
  switch (tool) {
    case 'zendesk': {
      if (h.authorization !== basicOf(`${CREDENTIALS.zendesk.apiEmail}/token`, CREDENTIALS.zendesk.apiToken)) return 'auth';
      if (seen.method !== 'PUT' || !/^\/api\/v2\/tickets\/\d+$/.test(seen.path) || !json) return 'route';
      const t = isObj(seen.body) && isObj(seen.body.ticket) ? seen.body.ticket : null;
      const comment = t && isObj(t.comment) ? t.comment : null;
      if (t?.status === 'open' && !comment) return null;
      return comment && typeof comment.body === 'string' && comment.public === false ? null : 'body';
    }
    case 'freshdesk': {
      if (h.authorization !== basicOf(CREDENTIALS.freshdesk.apiKey, 'X')) return 'auth';
      if (seen.method === 'PUT' && /^\/api\/v2\/tickets\/\d+$/.test(seen.path)) return isObj(seen.body) && seen.body.status === 2 ? null : 'body';
      if (seen.method !== 'POST' || !/^\/api\/v2\/tickets\/\d+\/notes$/.test(seen.path) || !json) return 'route';
      return isObj(seen.body) && typeof seen.body.body === 'string' && seen.body.private === true ? null : 'body';
    }
    case 'halopsa': {
      if (h.authorization !== `Bearer ${CREDENTIALS.halopsa.apiToken}`) return 'auth';
      if (seen.method !== 'POST' || seen.path !== '/api/Actions' || !json) return 'route';
      const a = Array.isArray(seen.body) && seen.body.length === 1 && isObj(seen.body[0]) ? seen.body[0] : null;
      return a && Number.isInteger(a.ticket_id) && typeof a.note === 'string' && a.hiddenfromuser === true ? null : 'body';
    }
    case 'autotask': {
      const c = CREDENTIALS.autotask;
      if (h.apiintegrationcode !== c.apiIntegrationCode || h.username !== c.apiUserName || h.secret !== c.apiSecret) return 'auth';
      if (seen.method === 'GET' && seen.path === `/ATServicesRest/V1.0/Contacts/${AUTOTASK_CONTACT.id}`) return null;
      if (seen.method !== 'POST' || !/^\/ATServicesRest\/V1\.0\/Tickets\/\d+\/Notes$/.test(seen.path) || !json) return 'route';
      const b = isObj(seen.body) ? seen.body : {};
      return Number.isInteger(b.ticketID) && typeof b.title === 'string' && typeof b.description === 'string' && Number.isInteger(b.noteType) && Number.isInteger(b.publish) ? null : 'body';
    }
    case 'connectwise': {
      const c = CREDENTIALS.connectwise;
      if (h.authorization !== basicOf(`${c.companyId}+${c.publicKey}`, c.privateKey) || h.clientid !== c.clientId) return 'auth';
      if (seen.method !== 'POST' || !/^\/v4_6_release\/apis\/3\.0\/service\/tickets\/\d+\/notes$/.test(seen.path) || !json) return 'route';
      return isObj(seen.body) && typeof seen.body.text === 'string' && seen.body.internalAnalysisFlag === true ? null : 'body';
    }
  }
}

export async function standIn(tool: keyof typeof CREDENTIALS, options: { failures?: number[]; port?: number } = {}) {
  const failures = [...(options.failures ?? [])];
  const seen: Seen[] = [];
  const refused: Array<Seen & { problem: string }> = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (raw += chunk));
    req.on('end', () => {
      let body: unknown = null;
      try {
        body = raw ? JSON.parse(raw) : null;
      } catch {
        body = raw;
      }
      const request: Seen = { method: req.method!, path: req.url!, headers: req.headers, body };
      seen.push(request);
      const wrong = problem(tool, request);
      if (wrong) {
        refused.push({ ...request, problem: wrong });
        res.writeHead(wrong === 'auth' ? 401 : 400, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: wrong }));
        return;
      }
      const failure = request.method === 'GET' ? undefined : failures.shift();
      if (failure) {
        res.writeHead(failure, { 'Content-Type': 'application/json' }).end('{"error":"try later"}');
        return;
      }
      const answer = request.method === 'GET' ? { item: AUTOTASK_CONTACT } : { id: 1 };
      res.writeHead(request.method === 'GET' ? 200 : 201, { 'Content-Type': 'application/json' }).end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    refused,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
