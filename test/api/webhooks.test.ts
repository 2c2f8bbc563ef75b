// Webhooks end to end inside one process: subscriptions over the API, deliveries queued by reactions,
// and the worker POSTing them to a real receiver on a loopback port, with signatures, retries and give-up.
import http from 'node:http';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { signatureHeader, verifySignature } from '../../api/domain/webhook.js';
import { startWebhookWorker, type WebhookWorker } from '../../api/webhook-worker.js';
import { testApi } from './helpers.js';

interface Received {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A real HTTP receiver. Answers with `statuses` in turn (the last one repeats) and `headers`; `hang`
 * never answers. */
async function receiver(options: { statuses?: number[]; hang?: boolean; headers?: Record<string, string> } = {}) {
  const statuses = [...(options.statuses ?? [200])];
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      received.push({ method: req.method!, path: req.url!, headers: req.headers, body });
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
  return { url: `http://127.0.0.1:${port}/hooks/csat`, received, close };
}

/** A URL on a loopback port nothing listens on. */
async function deadUrl(): Promise<string> {
  const port = await new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
  return `http://127.0.0.1:${port}/hooks/csat`;
}

/** testApi on the real time (receivers check signatures against their own clock), with a worker. */
async function setup(workerOptions: { timeoutMs?: number } = {}) {
  const t = await testApi();
  t.clock.ms = Date.now();
  const errors: unknown[] = [];
  const worker: WebhookWorker = startWebhookWorker({ store: t.store, clock: t.clock, intervalMs: 3_600_000, logError: (_m, e) => errors.push(e), ...workerOptions });
  cleanups.push(async () => {
    await worker.stop();
    await t.store.close();
  });
  const auth = { Authorization: `Bearer ${t.key}` };
  const subscribe = async (url: string, events: string[] = ['response.created']) => {
    const res = await t.json('POST', '/v1/sites/acme/webhooks', { url, events }, auth);
    expect(res.status).toBe(201);
    return (await res.json()) as { id: string; url: string; events: string[]; secret: string; createdAt: string };
  };
  const hooks = async () => {
    const res = await t.json('GET', '/v1/sites/acme/webhooks', undefined, auth);
    expect(res.status).toBe(200);
    return ((await res.json()) as { items: HookStatus[] }).items;
  };
  return { ...t, worker, errors, auth, subscribe, hooks };
}

interface HookStatus {
  id: string;
  url: string;
  events: string[];
  pending: number;
  failed: number;
  lastDelivery: { status: string; attempts: number; httpStatus: number | null; error: string | null; at: string } | null;
}

async function reactTo(t: Awaited<ReturnType<typeof setup>>, ticketRef: string, reaction: string) {
  const survey = await t.createSurvey(ticketRef, { team: 'Desk', technician: 'Ada' });
  const res = await t.react(survey.token, reaction);
  expect(res.status).toBe(201);
  return survey;
}

describe('POST /v1/sites/:site/webhooks', () => {
  it('creates a subscription and shows its secret once', async () => {
    const t = await setup();
    const created = await t.subscribe('https://hooks.example.com/csat', ['response.created', 'response.changed']);
    expect(created).toMatchObject({ id: expect.any(String), url: 'https://hooks.example.com/csat', events: ['response.created', 'response.changed'] });
    expect(created.secret).toMatch(/^whsec_[\w-]{32}$/);

    const res = await t.json('GET', '/v1/sites/acme/webhooks', undefined, t.auth);
    const text = await res.text();
    expect(text).not.toContain(created.secret);
    expect(text).not.toContain('whsec_');
    expect(JSON.parse(text).items).toEqual([
      { id: created.id, url: created.url, events: created.events, createdAt: created.createdAt, pending: 0, failed: 0, lastDelivery: null },
    ]);
  });

  it.each([
    ['a non-http url', { url: 'ftp://hooks.example.com/csat', events: ['response.created'] }],
    ['a url that is not one', { url: 'hooks.example.com', events: ['response.created'] }],
    ['an unknown event', { url: 'https://hooks.example.com/csat', events: ['response.deleted'] }],
    ['repeated events', { url: 'https://hooks.example.com/csat', events: ['response.created', 'response.created'] }],
    ['no events', { url: 'https://hooks.example.com/csat', events: [] }],
    ['unknown fields', { url: 'https://hooks.example.com/csat', events: ['response.created'], secret: 'mine' }],
  ])('refuses %s with 400', async (_name, body) => {
    const t = await setup();
    const res = await t.json('POST', '/v1/sites/acme/webhooks', body, t.auth);
    expect(res.status).toBe(400);
    expect(await t.hooks()).toEqual([]);
  });

  it('needs the admin key', async () => {
    const t = await setup();
    const body = { url: 'https://hooks.example.com/csat', events: ['response.created'] };
    expect((await t.json('POST', '/v1/sites/acme/webhooks', body)).status).toBe(401);
    expect((await t.json('GET', '/v1/sites/acme/webhooks')).status).toBe(401);
    expect((await t.json('POST', '/v1/sites/acme/webhooks', body, { Authorization: 'Bearer csat_000000000000_nope' })).status).toBe(401);
    expect(await t.hooks()).toEqual([]);
  });
});

describe('webhook delivery', () => {
  it('POSTs a signed response.created when a reaction is recorded', async () => {
    const t = await setup();
    const rx = await receiver();
    const hook = await t.subscribe(rx.url);
    await reactTo(t, 'T-1', 'negative');

    // Queued by the reaction, sent only by the worker.
    expect(rx.received).toHaveLength(0);
    expect((await t.hooks())[0]).toMatchObject({ pending: 1, failed: 0, lastDelivery: { status: 'pending', attempts: 0 } });
    expect(await t.worker.runOnce()).toBe(1);
    expect(rx.received).toHaveLength(1);

    const got = rx.received[0]!;
    expect(got.method).toBe('POST');
    expect(got.path).toBe('/hooks/csat');
    expect(got.headers['content-type']).toBe('application/json');
    expect(got.headers['csat-event']).toBe('response.created');
    expect(got.headers['csat-delivery']).toMatch(/^\d+$/);
    expect(got.headers['user-agent']).toBe('csat-badge-webhooks');
    const header = got.headers['csat-signature'] as string;
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifySignature(hook.secret, header, got.body, Date.now())).toBe(true);

    const body = JSON.parse(got.body);
    expect(body).toMatchObject({
      event: 'response.created',
      site: 'acme',
      response: { ticketRef: 'T-1', reaction: 'negative', comment: null, team: 'Desk', technician: 'Ada', followUp: 'open' },
    });
    expect(body.response.id).toMatch(/^rs_/);
    expect(new Date(body.occurredAt).toISOString()).toBe(body.occurredAt);

    // What a receiver must refuse.
    expect(verifySignature(hook.secret, header, got.body.replace('negative', 'positive'), Date.now())).toBe(false);
    expect(verifySignature('whsec_not-the-secret', header, got.body, Date.now())).toBe(false);
    expect(verifySignature(hook.secret, header, got.body, Date.now() + 301_000)).toBe(false);
    const old = signatureHeader(hook.secret, got.body, Date.now() - 301_000);
    expect(verifySignature(hook.secret, old, got.body, Date.now())).toBe(false);
    expect(verifySignature(hook.secret, undefined, got.body, Date.now())).toBe(false);

    expect((await t.hooks())[0]).toMatchObject({ pending: 0, failed: 0, lastDelivery: { status: 'delivered', attempts: 1, httpStatus: 200, error: null } });
    // Delivered once: the next round has nothing to do.
    expect(await t.worker.runOnce()).toBe(0);
    expect(rx.received).toHaveLength(1);
  });

  it('sends response.changed only to the webhooks subscribed to it', async () => {
    const t = await setup();
    const createdOnly = await receiver();
    const both = await receiver();
    const changedOnly = await receiver();
    await t.subscribe(createdOnly.url, ['response.created']);
    const hookBoth = await t.subscribe(both.url, ['response.created', 'response.changed']);
    await t.subscribe(changedOnly.url, ['response.changed']);

    const survey = await reactTo(t, 'T-2', 'negative');
    expect(await t.worker.runOnce()).toBe(2);
    t.clock.advance(60_000);
    const changed = await t.react(survey.token, 'positive', 'sorted after all');
    expect(changed.status).toBe(200);
    expect(await t.worker.runOnce()).toBe(2);

    expect(createdOnly.received.map((r) => r.headers['csat-event'])).toEqual(['response.created']);
    expect(both.received.map((r) => r.headers['csat-event'])).toEqual(['response.created', 'response.changed']);
    expect(changedOnly.received.map((r) => r.headers['csat-event'])).toEqual(['response.changed']);

    const change = both.received[1]!;
    expect(verifySignature(hookBoth.secret, change.headers['csat-signature'] as string, change.body, Date.now())).toBe(true);
    expect(JSON.parse(change.body)).toMatchObject({ event: 'response.changed', site: 'acme', response: { ticketRef: 'T-2', reaction: 'positive', comment: 'sorted after all' } });
    expect(JSON.parse(changedOnly.received[0]!.body)).toEqual(JSON.parse(change.body));
  });

  it('retries after 10 s and 60 s and then delivers', async () => {
    const t = await setup();
    const rx = await receiver({ statuses: [500, 500, 200] });
    await t.subscribe(rx.url);
    await reactTo(t, 'T-3', 'positive');

    expect(await t.worker.runOnce()).toBe(1);
    expect((await t.hooks())[0]).toMatchObject({ pending: 1, failed: 0, lastDelivery: { status: 'pending', attempts: 1, httpStatus: 500, error: 'HTTP 500' } });

    // Not due before its backoff.
    t.clock.advance(9_000);
    expect(await t.worker.runOnce()).toBe(0);
    t.clock.advance(1_000);
    expect(await t.worker.runOnce()).toBe(1);
    expect((await t.hooks())[0]).toMatchObject({ pending: 1, lastDelivery: { status: 'pending', attempts: 2, httpStatus: 500 } });

    t.clock.advance(59_000);
    expect(await t.worker.runOnce()).toBe(0);
    t.clock.advance(1_000);
    expect(await t.worker.runOnce()).toBe(1);

    expect(rx.received).toHaveLength(3);
    // The same delivery each time, re-signed at each attempt.
    expect(new Set(rx.received.map((r) => r.headers['csat-delivery'])).size).toBe(1);
    expect(new Set(rx.received.map((r) => r.body)).size).toBe(1);
    expect(await t.hooks()).toEqual([
      expect.objectContaining({ pending: 0, failed: 0, lastDelivery: expect.objectContaining({ status: 'delivered', attempts: 3, httpStatus: 200, error: null }) }),
    ]);
  });

  it('records a redirect as a failure and does not follow it', async () => {
    const t = await setup();
    const target = await receiver();
    const rx = await receiver({ statuses: [307], headers: { Location: target.url } });
    await t.subscribe(rx.url);
    await reactTo(t, 'T-4', 'neutral');
    await t.worker.runOnce();
    expect(rx.received).toHaveLength(1);
    expect(target.received).toHaveLength(0);
    expect((await t.hooks())[0]).toMatchObject({ pending: 1, lastDelivery: { status: 'pending', attempts: 1, httpStatus: 307, error: expect.stringContaining('307') } });
  });

  it('records a dead receiver and a slow one as failures, while reactions are answered at once', async () => {
    const t = await setup({ timeoutMs: 200 });
    const dead = await deadUrl();
    const slow = await receiver({ hang: true });
    const good = await receiver();
    await t.subscribe(dead);
    await t.subscribe(slow.url);
    await t.subscribe(good.url);

    // The route only queues: it answers without any receiver being contacted.
    await reactTo(t, 'T-5', 'negative');
    expect(slow.received).toHaveLength(0);
    expect(good.received).toHaveLength(0);

    const started = Date.now();
    expect(await t.worker.runOnce()).toBe(3);
    expect(Date.now() - started).toBeLessThan(3_000); // bounded by the timeout, not by the slow receiver
    expect(slow.received).toHaveLength(1);
    expect(good.received).toHaveLength(1);

    const byUrl = Object.fromEntries((await t.hooks()).map((h) => [h.url, h]));
    expect(byUrl[dead]).toMatchObject({ pending: 1, lastDelivery: { status: 'pending', attempts: 1, httpStatus: null, error: expect.stringContaining('ECONNREFUSED') } });
    expect(byUrl[slow.url]).toMatchObject({ pending: 1, lastDelivery: { status: 'pending', attempts: 1, httpStatus: null, error: 'timed out after 200 ms' } });
    expect(byUrl[good.url]).toMatchObject({ pending: 0, lastDelivery: { status: 'delivered', attempts: 1, httpStatus: 200 } });

    // A second reaction while the receivers are still failing is recorded just the same.
    await reactTo(t, 'T-6', 'positive');
    expect(t.errors).toEqual([]);
  });

  it('gives up when the backoff schedule is exhausted', async () => {
    const t = await setup();
    const rx = await receiver({ statuses: [503] });
    await t.subscribe(rx.url);
    await reactTo(t, 'T-7', 'negative');

    // The first attempt, then a retry after 10 s, 1 min, 5 min, 30 min, 2 h and 6 h.
    const waits = [10, 60, 300, 1800, 7200, 21600];
    expect(await t.worker.runOnce()).toBe(1);
    for (const [i, wait] of waits.entries()) {
      expect((await t.hooks())[0]).toMatchObject({ pending: 1, failed: 0, lastDelivery: { status: 'pending', attempts: i + 1 } });
      t.clock.advance(wait * 1000 - 1);
      expect(await t.worker.runOnce()).toBe(0);
      t.clock.advance(1);
      expect(await t.worker.runOnce()).toBe(1);
    }
    expect(rx.received).toHaveLength(7);
    expect((await t.hooks())[0]).toMatchObject({ pending: 0, failed: 1, lastDelivery: { status: 'failed', attempts: 7, httpStatus: 503, error: 'HTTP 503' } });

    t.clock.advanceDays(30);
    expect(await t.store.dueDeliveries(t.clock.now(), 100)).toEqual([]);
    expect(await t.worker.runOnce()).toBe(0);
    expect(rx.received).toHaveLength(7);
  });

  it('delivers in order per receiver and keeps other receivers going when one fails', async () => {
    const t = await setup({ timeoutMs: 200 });
    const good = await receiver();
    const dead = await deadUrl();
    await t.subscribe(good.url);
    await t.subscribe(dead);
    for (const ref of ['T-8', 'T-9', 'T-10']) await reactTo(t, ref, 'positive');

    // Three to the good receiver, one to the dead one (its others wait for the next round).
    expect(await t.worker.runOnce()).toBe(4);
    expect(good.received.map((r) => JSON.parse(r.body).response.ticketRef)).toEqual(['T-8', 'T-9', 'T-10']);
    const deadStatus = (await t.hooks()).find((h) => h.url === dead)!;
    expect(deadStatus).toMatchObject({ pending: 3, failed: 0 });
  });

  it('stop() waits for the round in flight, and the timer runs rounds by itself', async () => {
    const t = await testApi();
    t.clock.ms = Date.now();
    const rx = await receiver();
    const res = await t.json('POST', '/v1/sites/acme/webhooks', { url: rx.url, events: ['response.created'] }, { Authorization: `Bearer ${t.key}` });
    expect(res.status).toBe(201);
    const worker = startWebhookWorker({ store: t.store, clock: t.clock, intervalMs: 20 });
    const survey = await t.createSurvey('T-11');
    expect((await t.react(survey.token, 'positive')).status).toBe(201);
    await expect.poll(() => rx.received.length, { timeout: 5_000 }).toBe(1);
    await worker.stop();
    expect(await worker.runOnce()).toBe(0);
    await t.store.close();
  });
});
