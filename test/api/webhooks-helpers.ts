// Shared by the webhook tests: real HTTP receivers on loopback ports, and an app with a worker whose
// rounds the test runs by hand. Loopback receivers need the internal-address switch, which the tests
// turn on explicitly (and off where they prove the refusal).
import http from 'node:http';
import net from 'node:net';
import { afterEach, expect } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { startWebhookWorker, type WebhookWorker, type WebhookWorkerOptions } from '../../api/webhooks/worker.js';
import { testApi } from './helpers.js';

export interface Received {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  at: number;
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
export const onCleanup = (f: () => Promise<void> | void) => cleanups.push(f);

/** A real HTTP receiver. Answers with `statuses` in turn (the last one repeats) and `headers`; `hang`
 * never answers. */
export async function receiver(options: { statuses?: number[]; hang?: boolean; headers?: Record<string, string> } = {}) {
  const statuses = [...(options.statuses ?? [200])];
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      received.push({ method: req.method!, path: req.url!, headers: req.headers, body, at: Date.now() });
      if (options.hang) return;
      const status = statuses.length > 1 ? statuses.shift()! : statuses[0]!;
      res.writeHead(status, { 'Content-Type': 'text/plain', ...options.headers }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  cleanups.push(close);
  return { url: `http://127.0.0.1:${port}/hooks/csat`, port, received, close };
}

/** A URL on a loopback port nothing listens on. */
export async function deadUrl(): Promise<string> {
  const port = await new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
  return `http://127.0.0.1:${port}/hooks/csat`;
}

export interface HookStatus {
  id: string;
  url: string;
  events: string[];
  state: 'enabled' | 'disabled' | 'needs_confirmation';
  pending: number;
  failed: number;
  previousSecretExpiresAt: string | null;
  lastDelivery: { id: number; status: string; attempts: number; httpStatus: number | null; error: string | null; at: string } | null;
  lastError: { error: string; at: string } | null;
}

/** testApi on the real time (receivers check signatures against their own clock), with a worker.
 * `allowPrivate` (default true, as loopback receivers need it) applies to the app and the worker. */
export async function setup(options: { allowPrivate?: boolean; worker?: Partial<WebhookWorkerOptions> } = {}) {
  const allowPrivate = options.allowPrivate ?? true;
  const t = await testApi({ config: { webhookAllowPrivate: allowPrivate } });
  t.clock.ms = Date.now();
  const errors: unknown[] = [];
  const worker: WebhookWorker = startWebhookWorker({
    store: t.store,
    clock: t.clock,
    intervalMs: 3_600_000,
    allowPrivate,
    logError: (_m, e) => errors.push(e),
    ...options.worker,
  });
  cleanups.push(async () => {
    await worker.stop();
    await t.store.close();
  });
  const auth = { Authorization: `Bearer ${t.key}` };
  const subscribe = async (url: string, events: string[] = ['response.created'], headers = auth) => {
    const res = await t.json('POST', '/v1/sites/acme/webhooks', { url, events }, headers);
    expect(res.status, await res.clone().text()).toBe(201);
    return (await res.json()) as { id: string; url: string; events: string[]; secret: string; createdAt: string };
  };
  const hooks = async (headers = auth) => {
    const res = await t.json('GET', '/v1/sites/acme/webhooks', undefined, headers);
    expect(res.status).toBe(200);
    return ((await res.json()) as { items: HookStatus[] }).items;
  };
  const call = (method: string, path: string, headers = auth) => t.json(method, `/v1/sites/acme/webhooks${path}`, undefined, headers);
  const reactTo = async (ticketRef: string, reaction: string) => {
    const survey = await t.createSurvey(ticketRef, { team: 'Desk', technician: 'Ada' });
    const res = await t.react(survey.token, reaction);
    expect(res.status).toBe(201);
    return survey;
  };
  return { ...t, worker, errors, auth, subscribe, hooks, call, reactTo };
}

/** Verifies with the Standard Webhooks reference library; returns the parsed payload or throws. */
export function verified(secret: string, got: Received): { event: string; response: { ticketRef: string } } {
  const headers = Object.fromEntries(['webhook-id', 'webhook-timestamp', 'webhook-signature'].map((h) => [h, String(got.headers[h])]));
  return new Webhook(secret).verify(got.body, headers) as { event: string; response: { ticketRef: string } };
}

export const ticketRefs = (rx: { received: Received[] }) => rx.received.map((r) => (JSON.parse(r.body) as { response: { ticketRef: string } }).response.ticketRef);
