// Contract: webhooks, their delivery queue and its history, on every store; then what only several
// instances over one PostgreSQL database need: two of them taking deliveries at once never take the same.
import { randomBytes } from 'node:crypto';
import { describe, expect, it as plainIt } from 'vitest';
import { newAdminKey } from '../../../../api/domain/tokens.js';
import type { Store } from '../../../../api/store/types.js';
import { transaction, type Sql } from '../../../../api/store/pg/connection.js';
import { DELIVERY_LEASE_MS, pgWebhooks } from '../../../../api/store/pg/webhooks.js';
import { startWebhookWorker } from '../../../../api/webhooks/worker.js';
import { T0, TestClock } from '../../helpers.js';
import { receiver } from '../../webhooks-helpers.js';
import { fileOpener, forEachStore, pgStore, type StoreUnderTest } from './stores.js';

const SECRET = 'whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0';
const DAY = 86_400_000;

const open = fileOpener();

async function setUp(kind: StoreUnderTest) {
  const o = await open(kind);
  const { store } = o;
  const site = await store.createSite({ slug: 'acme', name: 'Acme IT' }, T0);
  const other = await store.createSite({ slug: 'other', name: 'Other IT' }, T0);
  const key = newAdminKey();
  await store.addAdminKey({ id: key.id, siteId: site.id, hash: key.hash }, T0);
  const hook = (id: string, extra: { siteId?: number; url?: string; events?: Array<'response.created' | 'response.changed'>; registeredBy?: string | null } = {}, at = T0) =>
    store.createWebhook(
      { id, siteId: extra.siteId ?? site.id, url: extra.url ?? `https://hooks.example.com/${id}`, events: extra.events ?? ['response.created', 'response.changed'], secret: SECRET, registeredBy: extra.registeredBy ?? null },
      at,
    );
  /** A queued delivery as a response's transaction writes it (the same SQL in both dialects). */
  const queue = async (webhookId: string, at: number, messageId: string | null = `msg_${randomBytes(6).toString('hex')}`, body = JSON.stringify({ event: 'response.created', at })) => {
    const [row] = await o.rows<{ id: number }>(
      `INSERT INTO webhook_deliveries (webhook_id, message_id, event, body, next_attempt_at, created_at)
       VALUES (?, ?, 'response.created', ?, ?, ?) RETURNING id`,
      webhookId, messageId, body, at, at,
    );
    return Number(row!.id);
  };
  return { o, store, site, other, key, hook, queue };
}

forEachStore('webhooks', 'webhooks', (kind, it) => {
  it('lists a site\'s webhooks oldest first, without secrets, with an empty queue', async () => {
    const { store, site, other, key, hook } = await setUp(kind);
    await hook('wh_b', { registeredBy: key.id }, T0 + 2);
    await hook('wh_a', { events: ['response.changed'] }, T0 + 1);
    await hook('wh_elsewhere', { siteId: other.id }, T0);
    const list = await store.listWebhooks(site.id);
    expect(list.map((w) => w.id)).toEqual(['wh_a', 'wh_b']);
    expect(list[1]).toEqual({
      id: 'wh_b',
      siteId: site.id,
      url: 'https://hooks.example.com/wh_b',
      events: ['response.created', 'response.changed'],
      createdAt: T0 + 2,
      registeredBy: key.id,
      disabledAt: null,
      ownerRevoked: false,
      previousSecretUntil: null,
      pending: 0,
      failed: 0,
      last: null,
      lastError: null,
    });
    expect(list[0]!.events).toEqual(['response.changed']);
    expect(await store.getWebhook(site.id, 'wh_b')).toEqual(list[1]);
    expect(await store.getWebhook(site.id, 'wh_elsewhere')).toBeNull();
    expect(await store.getWebhook(other.id, 'wh_elsewhere')).toMatchObject({ id: 'wh_elsewhere', siteId: other.id });
  });

  it('disables and enables; enabling confirms the webhook for the key that did it', async () => {
    const { store, site, other, key, hook } = await setUp(kind);
    await hook('wh_one');
    expect(await store.setWebhookEnabled(site.id, 'wh_one', false, key.id, T0 + 5)).toBe(true);
    expect(await store.getWebhook(site.id, 'wh_one')).toMatchObject({ disabledAt: T0 + 5, registeredBy: null });
    expect(await store.setWebhookEnabled(site.id, 'wh_one', true, key.id, T0 + 6)).toBe(true);
    expect(await store.getWebhook(site.id, 'wh_one')).toMatchObject({ disabledAt: null, registeredBy: key.id });
    expect(await store.setWebhookEnabled(site.id, 'wh_one', true, null, T0 + 7)).toBe(true);
    expect(await store.getWebhook(site.id, 'wh_one')).toMatchObject({ disabledAt: null, registeredBy: null });
    expect(await store.setWebhookEnabled(site.id, 'wh_none', false, null, T0)).toBe(false);
    expect(await store.setWebhookEnabled(other.id, 'wh_one', false, null, T0)).toBe(false);
  });

  it('hands out each webhook\'s oldest pending delivery when due, in due order, within the limit', async () => {
    const { store, site, hook, queue } = await setUp(kind);
    await hook('wh_a');
    await hook('wh_b');
    await hook('wh_c');
    const a1 = await queue('wh_a', T0 + 30, 'msg_a1');
    await queue('wh_a', T0 + 10, 'msg_a2'); // later in the queue, though due earlier: waits for a1
    const b1 = await queue('wh_b', T0 + 20, 'msg_b1');
    await queue('wh_c', T0 + 1000, 'msg_c1'); // not due yet
    // One call per delivery: the PostgreSQL store leases what it hands out (see the suite below).
    expect(await store.dueDeliveries(T0 + 100, 10, 'wh_c')).toEqual([]);
    const due = await store.dueDeliveries(T0 + 100, 1);
    expect(due).toEqual([
      { id: b1, webhookId: 'wh_b', messageId: 'msg_b1', url: 'https://hooks.example.com/wh_b', secret: SECRET, previousSecret: null, previousSecretUntil: null, event: 'response.created', body: expect.any(String), attempts: 0 },
    ]);
    expect(JSON.parse(due[0]!.body)).toEqual({ event: 'response.created', at: T0 + 20 });
    expect(await store.dueDeliveries(T0 + 100, 10, 'wh_a')).toEqual([expect.objectContaining({ id: a1, webhookId: 'wh_a', messageId: 'msg_a1' })]);
    expect(await store.dueDeliveries(T0 + 5000, 10, 'wh_c')).toEqual([expect.objectContaining({ messageId: 'msg_c1' })]);
    expect((await store.getWebhook(site.id, 'wh_a'))!.pending).toBe(2);
  });

  it('holds the queue of a disabled webhook and of one whose registering key was revoked, until confirmed', async () => {
    const { store, site, key, hook, queue } = await setUp(kind);
    await hook('wh_off');
    await hook('wh_owned', { registeredBy: key.id });
    const off = await queue('wh_off', T0);
    const owned = await queue('wh_owned', T0);
    await store.setWebhookEnabled(site.id, 'wh_off', false, null, T0);
    expect(await store.revokeAdminKey(site.id, key.id, T0 + 1)).toBe(true);
    expect(await store.getWebhook(site.id, 'wh_owned')).toMatchObject({ ownerRevoked: true });
    expect(await store.dueDeliveries(T0 + 10, 10)).toEqual([]);
    const fresh = newAdminKey();
    await store.addAdminKey({ id: fresh.id, siteId: site.id, hash: fresh.hash }, T0 + 2);
    await store.setWebhookEnabled(site.id, 'wh_owned', true, fresh.id, T0 + 3);
    await store.setWebhookEnabled(site.id, 'wh_off', true, null, T0 + 3);
    expect(await store.getWebhook(site.id, 'wh_owned')).toMatchObject({ ownerRevoked: false, registeredBy: fresh.id });
    expect((await store.dueDeliveries(T0 + 10, 10)).map((d) => d.id).sort()).toEqual([off, owned].sort());
  });

  it('records attempts: a delivery, a retry, a give-up; the webhook keeps its latest error', async () => {
    const { store, site, hook, queue } = await setUp(kind);
    await hook('wh_one');
    const first = await queue('wh_one', T0);
    const second = await queue('wh_one', T0 + 1);
    await store.recordAttempt(first, { ok: false, httpStatus: 500, error: 'HTTP 500', nextAttemptAt: T0 + 10_000 }, T0 + 5);
    expect(await store.dueDeliveries(T0 + 9_999, 10)).toEqual([]); // the retry blocks the lane
    let status = await store.getWebhook(site.id, 'wh_one');
    expect(status).toMatchObject({ pending: 2, failed: 0, lastError: { error: 'HTTP 500', at: T0 + 5 } });
    expect(status!.last).toEqual({ id: second, status: 'pending', attempts: 0, httpStatus: null, error: null, at: T0 + 1 });
    expect(await store.dueDeliveries(T0 + 10_000, 10)).toEqual([expect.objectContaining({ id: first, attempts: 1 })]);
    await store.recordAttempt(first, { ok: true, httpStatus: 204, error: null, nextAttemptAt: null }, T0 + 10_001);
    expect(await store.dueDeliveries(T0 + 10_001, 10)).toEqual([expect.objectContaining({ id: second, attempts: 0 })]);
    await store.recordAttempt(second, { ok: false, httpStatus: null, error: 'timed out', nextAttemptAt: null }, T0 + 10_002);
    expect(await store.dueDeliveries(T0 + DAY, 10)).toEqual([]);
    status = await store.getWebhook(site.id, 'wh_one');
    expect(status).toMatchObject({ pending: 0, failed: 1, lastError: { error: 'timed out', at: T0 + 10_002 } });
    expect(status!.last).toEqual({ id: second, status: 'failed', attempts: 1, httpStatus: null, error: 'timed out', at: T0 + 1 });
    expect(await store.listDeliveries(site.id, 'wh_one', 10)).toEqual([
      { id: second, webhookId: 'wh_one', messageId: expect.stringMatching(/^msg_/), event: 'response.created', status: 'failed', attempts: 1, httpStatus: null, error: 'timed out', createdAt: T0 + 1, nextAttemptAt: null, deliveredAt: null },
      { id: first, webhookId: 'wh_one', messageId: expect.stringMatching(/^msg_/), event: 'response.created', status: 'delivered', attempts: 2, httpStatus: 204, error: null, createdAt: T0, nextAttemptAt: null, deliveredAt: T0 + 10_001 },
    ]);
    // A success after a failure keeps the webhook's last error for the admin page.
    await store.recordAttempt(second, { ok: true, httpStatus: 200, error: null, nextAttemptAt: null }, T0 + 10_003);
    expect((await store.getWebhook(site.id, 'wh_one'))!.lastError).toEqual({ error: 'timed out', at: T0 + 10_002 });
  });

  it('lists deliveries newest first, only of the site\'s own webhook', async () => {
    const { store, site, other, hook, queue } = await setUp(kind);
    await hook('wh_one');
    const ids = [await queue('wh_one', T0), await queue('wh_one', T0 + 1), await queue('wh_one', T0 + 2)];
    expect((await store.listDeliveries(site.id, 'wh_one', 2)).map((d) => d.id)).toEqual([ids[2], ids[1]]);
    expect((await store.listDeliveries(site.id, 'wh_one', 10))[0]).toMatchObject({ status: 'pending', nextAttemptAt: T0 + 2, deliveredAt: null });
    expect(await store.listDeliveries(other.id, 'wh_one', 10)).toEqual([]);
    expect(await store.listDeliveries(site.id, 'wh_none', 10)).toEqual([]);
  });

  it('redelivers a finished delivery at the end of its queue with the same message id', async () => {
    const { store, site, other, hook, queue } = await setUp(kind);
    await hook('wh_one');
    await hook('wh_two');
    const done = await queue('wh_one', T0, 'msg_kept');
    const legacy = await queue('wh_one', T0 + 1, null);
    const waiting = await queue('wh_one', T0 + 2);
    await store.recordAttempt(done, { ok: true, httpStatus: 200, error: null, nextAttemptAt: null }, T0 + 3);
    await store.recordAttempt(legacy, { ok: false, httpStatus: 410, error: 'HTTP 410', nextAttemptAt: null }, T0 + 3);
    expect(await store.redeliver(site.id, 'wh_one', waiting, T0 + 4)).toEqual({ status: 'still_pending' });
    expect(await store.redeliver(site.id, 'wh_two', done, T0 + 4)).toEqual({ status: 'not_found' });
    expect(await store.redeliver(other.id, 'wh_one', done, T0 + 4)).toEqual({ status: 'not_found' });
    expect(await store.redeliver(site.id, 'wh_one', waiting + 100, T0 + 4)).toEqual({ status: 'not_found' });
    const again = await store.redeliver(site.id, 'wh_one', done, T0 + 5);
    expect(again).toEqual({
      status: 'queued',
      delivery: { id: expect.any(Number), webhookId: 'wh_one', messageId: 'msg_kept', event: 'response.created', status: 'pending', attempts: 0, httpStatus: null, error: null, createdAt: T0 + 5, nextAttemptAt: T0 + 5, deliveredAt: null },
    });
    expect(again.status === 'queued' && again.delivery.id).toBeGreaterThan(waiting);
    const old = await store.redeliver(site.id, 'wh_one', legacy, T0 + 6);
    expect(old.status === 'queued' && old.delivery.messageId).toBe(`msg_${legacy}`);
    // The redelivered one waits behind the delivery that was already queued.
    expect(await store.dueDeliveries(T0 + 10, 10)).toEqual([expect.objectContaining({ id: waiting })]);
  });

  it('rotates the secret: the previous one keeps signing until the given time', async () => {
    const { store, site, other, hook, queue } = await setUp(kind);
    await hook('wh_one');
    await queue('wh_one', T0);
    expect(await store.rotateWebhookSecret(site.id, 'wh_one', 'whsec_bmV3bmV3bmV3bmV3bmV3bmV3bmV3bmV3', T0 + DAY)).toBe(true);
    expect(await store.rotateWebhookSecret(other.id, 'wh_one', 'whsec_x', T0 + DAY)).toBe(false);
    expect(await store.getWebhook(site.id, 'wh_one')).toMatchObject({ previousSecretUntil: T0 + DAY });
    expect(await store.dueDeliveries(T0 + 1, 10)).toEqual([
      expect.objectContaining({ secret: 'whsec_bmV3bmV3bmV3bmV3bmV3bmV3bmV3bmV3', previousSecret: SECRET, previousSecretUntil: T0 + DAY }),
    ]);
  });

  it('deletes a webhook with its delivery history, only on its own site', async () => {
    const { o, store, site, other, hook, queue } = await setUp(kind);
    await hook('wh_one');
    await hook('wh_two');
    await queue('wh_one', T0);
    await queue('wh_two', T0);
    expect(await store.deleteWebhook(other.id, 'wh_one')).toBe(false);
    expect(await store.deleteWebhook(site.id, 'wh_one')).toBe(true);
    expect(await store.deleteWebhook(site.id, 'wh_one')).toBe(false);
    expect((await store.listWebhooks(site.id)).map((w) => w.id)).toEqual(['wh_two']);
    expect(await o.count('SELECT count(*) FROM webhook_deliveries WHERE webhook_id = ?', 'wh_one')).toBe(0);
    expect(await o.count('SELECT count(*) FROM webhook_deliveries WHERE webhook_id = ?', 'wh_two')).toBe(1);
  });

  it('the worker sends a webhook\'s queue in order, holding it behind a failed delivery until its retry', async () => {
    const { store, site, hook, queue } = await setUp(kind);
    const rx = await receiver({ statuses: [500, 200] });
    await hook('wh_one', { url: rx.url });
    for (const n of [1, 2, 3]) await queue('wh_one', T0, `msg_${n}`, JSON.stringify({ n }));
    const clock = new TestClock(T0);
    const worker = startWebhookWorker({ store, clock, intervalMs: 3_600_000, allowPrivate: true });
    try {
      expect(await worker.runOnce()).toBe(1);
      expect(await worker.runOnce()).toBe(0); // the retry is not due yet, and the others wait behind it
      clock.advance(10_000);
      expect(await worker.runOnce()).toBe(3);
    } finally {
      await worker.stop();
    }
    expect(rx.received.map((r) => r.headers['webhook-id'])).toEqual(['msg_1', 'msg_1', 'msg_2', 'msg_3']);
    expect((await store.listDeliveries(site.id, 'wh_one', 10)).map((d) => [d.messageId, d.status, d.attempts])).toEqual([
      ['msg_3', 'delivered', 1], ['msg_2', 'delivered', 1], ['msg_1', 'delivered', 2],
    ]);
  });

  if (kind.name === 'postgres' && !kind.parts.has('core')) {
    plainIt.todo('a response queues one delivery per enabled webhook that gets its event (needs the PostgreSQL core\'s submitResponse)');
  } else {
    it('a response queues one delivery per enabled webhook that gets its event, with the response in its body', async () => {
      const { o, store, site, key, hook } = await setUp(kind);
      await hook('wh_all');
      await hook('wh_changes', { events: ['response.changed'] });
      await hook('wh_off');
      await hook('wh_owned', { registeredBy: key.id });
      await store.setWebhookEnabled(site.id, 'wh_off', false, null, T0);
      await store.revokeAdminKey(site.id, key.id, T0);
      const { survey } = await store.createSurvey({ siteId: site.id, ticketRef: 'T-1', tokenId: randomBytes(16), expiresAt: T0 + 30 * DAY }, T0);
      const { response } = await store.submitResponse({ survey, reaction: 'negative', comment: 'slow', changeWindowMs: 7 * DAY }, T0 + 1);
      const due = await store.dueDeliveries(T0 + 1, 10);
      expect(due.map((d) => [d.webhookId, d.event])).toEqual([['wh_all', 'response.created']]);
      expect(JSON.parse(due[0]!.body)).toMatchObject({ event: 'response.created', site: 'acme', response: { id: response.id, ticketRef: 'T-1', reaction: 'negative', comment: 'slow' } });
      await store.submitResponse({ survey, reaction: 'neutral', changeWindowMs: 7 * DAY }, T0 + 2);
      const rows = await o.rows<{ webhook_id: string; event: string }>('SELECT webhook_id, event FROM webhook_deliveries ORDER BY id');
      expect(rows.map((r) => [r.webhook_id, r.event])).toEqual([
        ['wh_all', 'response.created'],
        ['wh_all', 'response.changed'],
        ['wh_changes', 'response.changed'],
      ]);
    });
  }
});

describe('webhook deliveries across PostgreSQL instances', () => {
  const kind = pgStore;

  plainIt('two instances taking due deliveries at once never take the same one', async () => {
    const { o, store, hook, queue } = await setUp(kind);
    const second = await o.another();
    const ids: number[] = [];
    for (let i = 0; i < 40; i++) {
      await hook(`wh_${String(i).padStart(2, '0')}`);
      ids.push(await queue(`wh_${String(i).padStart(2, '0')}`, T0));
      await queue(`wh_${String(i).padStart(2, '0')}`, T0); // a second one per webhook: never handed out beside the first
    }
    const taken: number[] = [];
    for (let round = 0; round < 10 && taken.length < ids.length; round++) {
      const [a, b] = await Promise.all([store.dueDeliveries(T0 + 1, 7), second.dueDeliveries(T0 + 1, 7)]);
      taken.push(...a.map((d) => d.id), ...b.map((d) => d.id));
    }
    expect(taken).toHaveLength(ids.length);
    expect(new Set(taken).size).toBe(taken.length);
    expect([...taken].sort((x, y) => x - y)).toEqual(ids);
  });

  plainIt('a taken delivery is leased: handed out again only after its attempt is recorded, or when the lease runs out', async () => {
    const { store, hook, queue } = await setUp(kind);
    await hook('wh_one');
    const first = await queue('wh_one', T0);
    const second = await queue('wh_one', T0);
    expect((await store.dueDeliveries(T0, 10)).map((d) => d.id)).toEqual([first]);
    expect(await store.dueDeliveries(T0 + 1, 10)).toEqual([]);
    // Its holder died: after the lease another instance sends it, with the same message id.
    const again = await store.dueDeliveries(T0 + DELIVERY_LEASE_MS, 10);
    expect(again.map((d) => d.id)).toEqual([first]);
    await store.recordAttempt(first, { ok: true, httpStatus: 200, error: null, nextAttemptAt: null }, T0 + DELIVERY_LEASE_MS + 1);
    expect((await store.dueDeliveries(T0 + DELIVERY_LEASE_MS + 1, 10)).map((d) => d.id)).toEqual([second]);
    // A failed attempt frees it at once for its retry time, not the lease's end.
    await store.recordAttempt(second, { ok: false, httpStatus: 503, error: 'HTTP 503', nextAttemptAt: T0 + DELIVERY_LEASE_MS + 10 }, T0 + DELIVERY_LEASE_MS + 2);
    expect((await store.dueDeliveries(T0 + DELIVERY_LEASE_MS + 10, 10)).map((d) => d.id)).toEqual([second]);
  });

  plainIt('two instances\' workers draining one queue send every delivery once, each webhook\'s in order', async () => {
    const { o, store, hook, queue } = await setUp(kind);
    const second = await o.another();
    const rx = await receiver();
    const expected = new Map<string, string[]>();
    for (let h = 0; h < 8; h++) {
      const id = `wh_${h}`;
      await hook(id, { url: rx.url });
      expected.set(id, []);
      for (let n = 0; n < 4; n++) {
        await queue(id, T0, `msg_${h}_${n}`, JSON.stringify({ hook: id, n }));
        expected.get(id)!.push(`msg_${h}_${n}`);
      }
    }
    const clock = new TestClock(T0 + 1);
    const workers = [store, second].map((s) => startWebhookWorker({ store: s, clock, intervalMs: 3_600_000, allowPrivate: true, maxLanes: 3 }));
    try {
      for (let round = 0; round < 20 && rx.received.length < 32; round++) await Promise.all(workers.map((w) => w.runOnce()));
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
    }
    const ids = rx.received.map((r) => String(r.headers['webhook-id']));
    expect(ids).toHaveLength(32);
    expect(new Set(ids).size).toBe(32);
    for (const [id, messages] of expected) {
      expect(rx.received.filter((r) => (JSON.parse(r.body) as { hook: string }).hook === id).map((r) => r.headers['webhook-id'])).toEqual(messages);
    }
  });

  plainIt('a webhook deleted on one instance while another queues deliveries for it: the response\'s transaction still commits', async () => {
    const { o, store, site, hook } = await setUp(kind);
    const second = await o.another();
    const sql = (store as Store & { sql: Sql }).sql;
    const { enqueue } = pgWebhooks(sql);
    for (let i = 0; i < 12; i++) await hook(`wh_${i}`);
    const outcomes = await Promise.allSettled([
      ...Array.from({ length: 12 }, (_, i) => second.deleteWebhook(site.id, `wh_${i}`)),
      ...Array.from({ length: 6 }, (_, n) => transaction(sql, (tx) => enqueue(tx, site.id, 'response.created', () => `{"n":${n}}`, T0))),
    ]);
    expect(outcomes.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(outcomes.slice(0, 12).map((r) => r.status === 'fulfilled' && r.value)).toEqual(Array(12).fill(true));
    expect(await o.count('SELECT count(*) FROM webhooks')).toBe(0);
    expect(await o.count('SELECT count(*) FROM webhook_deliveries')).toBe(0);
  });

  plainIt('queues inside the caller\'s transaction only for enabled webhooks that get the event', async () => {
    const { o, store, site, key, hook } = await setUp(kind);
    const sql = (store as Store & { sql: Sql }).sql;
    const { enqueue } = pgWebhooks(sql);
    await hook('wh_all');
    await hook('wh_changes', { events: ['response.changed'] });
    await hook('wh_owned', { registeredBy: key.id });
    await store.revokeAdminKey(site.id, key.id, T0);
    let built = 0;
    const body = () => `{"n":${++built}}`;
    await transaction(sql, (tx) => enqueue(tx, site.id, 'response.created', body, T0));
    await expect(transaction(sql, async (tx) => {
      await enqueue(tx, site.id, 'response.changed', body, T0 + 1);
      throw new Error('the response failed');
    })).rejects.toThrow('the response failed');
    const rows = await o.rows<{ webhook_id: string; body: string; message_id: string }>('SELECT webhook_id, body, message_id FROM webhook_deliveries ORDER BY id');
    expect(rows).toEqual([{ webhook_id: 'wh_all', body: '{"n":1}', message_id: expect.stringMatching(/^msg_/) }]);
    await transaction(sql, (tx) => enqueue(tx, site.id + 100, 'response.created', body, T0));
    expect(built).toBe(2); // no recipients: the body is never built
  });
});
