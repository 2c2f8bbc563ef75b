// Webhooks end to end inside one process: subscriptions over the API, deliveries queued by reactions,
// and the worker POSTing them to a real receiver on a loopback port, in the Standard Webhooks shape
// (checked with its reference library), with retries, give-up and order per receiver.
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { deliveryHeaders } from '../../api/domain/webhook.js';
import { startWebhookWorker } from '../../api/webhooks/worker.js';
import { testApi } from './helpers.js';
import { deadUrl, receiver, setup, ticketRefs, verified } from './webhooks-helpers.js';

describe('POST /v1/sites/:site/webhooks', () => {
  it('creates a subscription and shows its secret once', async () => {
    const t = await setup();
    const created = await t.subscribe('https://hooks.example.com/csat', ['response.created', 'response.changed']);
    expect(created).toMatchObject({ id: expect.any(String), url: 'https://hooks.example.com/csat', events: ['response.created', 'response.changed'] });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);

    const res = await t.json('GET', '/v1/sites/acme/webhooks', undefined, t.auth);
    const text = await res.text();
    expect(text).not.toContain(created.secret);
    expect(text).not.toContain('whsec_');
    expect(JSON.parse(text).items).toEqual([
      {
        id: created.id, url: created.url, events: created.events, state: 'enabled', createdAt: created.createdAt, disabledAt: null,
        previousSecretExpiresAt: null, pending: 0, failed: 0, lastDelivery: null, lastError: null,
      },
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
  it('POSTs a response.created that the Standard Webhooks library verifies', async () => {
    const t = await setup();
    const rx = await receiver();
    const hook = await t.subscribe(rx.url);
    await t.reactTo('T-1', 'negative');

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
    expect(got.headers['user-agent']).toBe('csat-badge-webhooks');
    expect(got.headers['webhook-id']).toMatch(/^msg_[\w-]+$/);
    expect(Math.abs(Number(got.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(5);
    expect(got.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);

    const body = verified(hook.secret, got);
    expect(body).toMatchObject({
      event: 'response.created',
      site: 'acme',
      response: { ticketRef: 'T-1', reaction: 'negative', comment: null, team: 'Desk', technician: 'Ada', followUp: 'open' },
    });
    expect((body.response as unknown as { id: string }).id).toMatch(/^rs_/);

    // What a receiver must refuse: the library throws for each.
    const headers = { 'webhook-id': String(got.headers['webhook-id']), 'webhook-timestamp': String(got.headers['webhook-timestamp']), 'webhook-signature': String(got.headers['webhook-signature']) };
    const wh = new Webhook(hook.secret);
    expect(() => wh.verify(got.body.replace('negative', 'positive'), headers)).toThrow();
    expect(() => wh.verify(got.body, { ...headers, 'webhook-id': 'msg_other' })).toThrow();
    expect(() => new Webhook('whsec_' + Buffer.alloc(24, 7).toString('base64')).verify(got.body, headers)).toThrow();
    const old = deliveryHeaders([hook.secret], headers['webhook-id'], got.body, Date.now() - 10 * 60_000);
    expect(() => wh.verify(got.body, old)).toThrow(); // a replay: older than the library's 5 minutes

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

    const survey = await t.reactTo('T-2', 'negative');
    expect(await t.worker.runOnce()).toBe(2);
    t.clock.advance(60_000);
    const changed = await t.react(survey.token, 'positive', 'sorted after all');
    expect(changed.status).toBe(200);
    expect(await t.worker.runOnce()).toBe(2);

    expect(createdOnly.received.map((r) => r.headers['csat-event'])).toEqual(['response.created']);
    expect(both.received.map((r) => r.headers['csat-event'])).toEqual(['response.created', 'response.changed']);
    expect(changedOnly.received.map((r) => r.headers['csat-event'])).toEqual(['response.changed']);

    const change = both.received[1]!;
    verified(hookBoth.secret, change);
    expect(JSON.parse(change.body)).toMatchObject({ event: 'response.changed', site: 'acme', response: { ticketRef: 'T-2', reaction: 'positive', comment: 'sorted after all' } });
    expect(JSON.parse(changedOnly.received[0]!.body)).toEqual(JSON.parse(change.body));
  });

  it('retries after 10 s and 60 s and then delivers', async () => {
    const t = await setup();
    const rx = await receiver({ statuses: [500, 500, 200] });
    await t.subscribe(rx.url);
    await t.reactTo('T-3', 'positive');

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
    // The same message each time (one webhook-id, so a receiver can drop duplicates), re-signed each time.
    expect(new Set(rx.received.map((r) => r.headers['webhook-id'])).size).toBe(1);
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
    await t.reactTo('T-4', 'neutral');
    await t.worker.runOnce();
    expect(rx.received).toHaveLength(1);
    expect(target.received).toHaveLength(0);
    expect((await t.hooks())[0]).toMatchObject({ pending: 1, lastDelivery: { status: 'pending', attempts: 1, httpStatus: 307, error: expect.stringContaining('307') } });
  });

  it('records a dead receiver and a slow one as failures, while reactions are answered at once', async () => {
    const t = await setup({ worker: { timeoutMs: 200 } });
    const dead = await deadUrl();
    const slow = await receiver({ hang: true });
    const good = await receiver();
    await t.subscribe(dead);
    await t.subscribe(slow.url);
    await t.subscribe(good.url);

    // The route only queues: it answers without any receiver being contacted.
    await t.reactTo('T-5', 'negative');
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
    await t.reactTo('T-6', 'positive');
    expect(t.errors).toEqual([]);
  });

  it('gives up when the backoff schedule is exhausted', async () => {
    const t = await setup();
    const rx = await receiver({ statuses: [503] });
    await t.subscribe(rx.url);
    await t.reactTo('T-7', 'negative');

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
    const t = await setup({ worker: { timeoutMs: 200 } });
    const good = await receiver();
    const dead = await deadUrl();
    await t.subscribe(good.url);
    await t.subscribe(dead);
    for (const ref of ['T-8', 'T-9', 'T-10']) await t.reactTo(ref, 'positive');

    // Three to the good receiver, one to the dead one (its others wait behind the failed one).
    expect(await t.worker.runOnce()).toBe(4);
    expect(ticketRefs(good)).toEqual(['T-8', 'T-9', 'T-10']);
    const deadStatus = (await t.hooks()).find((h) => h.url === dead)!;
    expect(deadStatus).toMatchObject({ pending: 3, failed: 0 });
  });

  it('keeps the order per receiver across a retry: later events wait for the failed one', async () => {
    const t = await setup();
    const rx = await receiver({ statuses: [500, 200] });
    await t.subscribe(rx.url);
    await t.reactTo('T-20', 'negative');
    expect(await t.worker.runOnce()).toBe(1); // T-20 fails, retry in 10 s
    await t.reactTo('T-21', 'positive');
    await t.reactTo('T-22', 'neutral');

    // T-21 and T-22 are due, but T-20 is not yet: nothing may overtake it.
    t.clock.advance(5_000);
    expect(await t.worker.runOnce()).toBe(0);
    expect(ticketRefs(rx)).toEqual(['T-20']);

    t.clock.advance(5_000);
    expect(await t.worker.runOnce()).toBe(3);
    expect(ticketRefs(rx)).toEqual(['T-20', 'T-20', 'T-21', 'T-22']);
    expect((await t.hooks())[0]).toMatchObject({ pending: 0, failed: 0, lastError: { error: 'HTTP 500' } });
  });

  it('stop() waits for the round in flight, and the timer runs rounds by itself', async () => {
    const t = await testApi();
    t.clock.ms = Date.now();
    const rx = await receiver();
    await t.store.createWebhook({ id: 'wh_timer', siteId: t.site.id, url: rx.url, events: ['response.created'], secret: 'whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0', registeredBy: null }, t.clock.now());
    const worker = startWebhookWorker({ store: t.store, clock: t.clock, intervalMs: 20, allowPrivate: true });
    const survey = await t.createSurvey('T-11');
    expect((await t.react(survey.token, 'positive')).status).toBe(201);
    await expect.poll(() => rx.received.length, { timeout: 5_000 }).toBe(1);
    await worker.stop();
    expect(await worker.runOnce()).toBe(0);
    await t.store.close();
  });
});
