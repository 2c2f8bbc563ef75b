// Managing webhooks over the API: disable, enable, delete, secret rotation, redelivery, and the hold a
// key's revocation puts on the webhooks it registered until another admin confirms them.
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { ROTATION_OVERLAP_MS } from '../../api/domain/webhook.js';
import { adminKeyId, newAdminKey } from '../../api/domain/tokens.js';
import { receiver, setup, ticketRefs, verified } from './webhooks-helpers.js';

describe('disable, enable, delete', () => {
  it('a disabled webhook gets nothing new and holds its queue; enabling sends the held deliveries', async () => {
    const t = await setup();
    const rx = await receiver();
    const hook = await t.subscribe(rx.url);
    await t.reactTo('T-1', 'positive'); // queued before the disable: held

    const disabled = await t.call('POST', `/${hook.id}/disable`);
    expect(disabled.status).toBe(200);
    expect(await disabled.json()).toMatchObject({ id: hook.id, state: 'disabled', disabledAt: expect.any(String), pending: 1 });
    await t.reactTo('T-2', 'negative'); // while disabled: not queued
    expect(await t.worker.runOnce()).toBe(0);
    expect(rx.received).toHaveLength(0);

    const enabled = await t.call('POST', `/${hook.id}/enable`);
    expect(await enabled.json()).toMatchObject({ state: 'enabled', disabledAt: null });
    expect(await t.worker.runOnce()).toBe(1);
    expect(ticketRefs(rx)).toEqual(['T-1']);
  });

  it('delete removes the webhook and its queue; unknown ids are a 404 with a code', async () => {
    const t = await setup();
    const rx = await receiver();
    const hook = await t.subscribe(rx.url);
    await t.reactTo('T-3', 'neutral');
    expect((await t.call('DELETE', `/${hook.id}`)).status).toBe(204);
    expect(await t.hooks()).toEqual([]);
    expect(await t.worker.runOnce()).toBe(0);
    expect(rx.received).toHaveLength(0);

    for (const [method, path] of [['DELETE', '/wh_nope'], ['POST', '/wh_nope/disable'], ['POST', '/wh_nope/enable'], ['POST', '/wh_nope/rotate-secret'], ['GET', '/wh_nope/deliveries'], ['GET', `/${hook.id}`]] as const) {
      const res = await t.call(method, path);
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(await res.json()).toMatchObject({ error: { code: 'webhook_not_found' } });
    }
  });

  it("another site's admin key cannot touch the webhook", async () => {
    const t = await setup();
    const hook = await t.subscribe('https://hooks.example.com/csat');
    const other = await t.store.createSite({ slug: 'other', name: 'Other' }, t.clock.now());
    const key = newAdminKey();
    await t.store.addAdminKey({ id: key.id, siteId: other.id, hash: key.hash }, t.clock.now());
    const res = await t.call('DELETE', `/${hook.id}`, { Authorization: `Bearer ${key.key}` });
    expect(res.status).toBe(401);
    const onOwnSite = await t.json('DELETE', `/v1/sites/other/webhooks/${hook.id}`, undefined, { Authorization: `Bearer ${key.key}` });
    expect(onOwnSite.status).toBe(404);
    expect(await t.hooks()).toHaveLength(1);
  });
});

describe('revoking the key that registered a webhook', () => {
  it('holds the webhook until another admin confirms it', async () => {
    const t = await setup();
    const rx = await receiver();
    const second = newAdminKey();
    await t.store.addAdminKey({ id: second.id, siteId: t.site.id, hash: second.hash }, t.clock.now());
    const secondAuth = { Authorization: `Bearer ${second.key}` };

    const hook = await t.subscribe(rx.url); // registered with t.key
    await t.reactTo('T-4', 'positive'); // queued while enabled
    expect(await t.store.revokeAdminKey(t.site.id, adminKeyId(t.key)!, t.clock.now())).toBe(true);

    expect((await t.hooks(secondAuth))[0]).toMatchObject({ id: hook.id, state: 'needs_confirmation', pending: 1 });
    expect(await t.worker.runOnce()).toBe(0);
    expect(rx.received).toHaveLength(0);

    // Confirming makes the confirming key its owner; the held delivery goes out.
    const confirmed = await t.call('POST', `/${hook.id}/enable`, secondAuth);
    expect(await confirmed.json()).toMatchObject({ state: 'enabled' });
    expect(await t.worker.runOnce()).toBe(1);
    expect(ticketRefs(rx)).toEqual(['T-4']);

    // Revoking the confirming key holds it again.
    await t.store.revokeAdminKey(t.site.id, second.id, t.clock.now());
    const third = newAdminKey();
    await t.store.addAdminKey({ id: third.id, siteId: t.site.id, hash: third.hash }, t.clock.now());
    expect((await t.hooks({ Authorization: `Bearer ${third.key}` }))[0]).toMatchObject({ state: 'needs_confirmation' });
  });

  it('queues nothing for a held webhook', async () => {
    const t = await setup();
    const rx = await receiver();
    const second = newAdminKey();
    await t.store.addAdminKey({ id: second.id, siteId: t.site.id, hash: second.hash }, t.clock.now());
    // Registered with the second key, which is then revoked; surveys are still made with t.key.
    await t.subscribe(rx.url, ['response.created'], { Authorization: `Bearer ${second.key}` });
    await t.store.revokeAdminKey(t.site.id, second.id, t.clock.now());
    await t.reactTo('T-6', 'negative');
    expect((await t.hooks())[0]).toMatchObject({ state: 'needs_confirmation', pending: 0 });
    expect(await t.worker.runOnce()).toBe(0);
    expect(rx.received).toHaveLength(0);
  });
});

describe('secret rotation', () => {
  it('signs with the new and the old secret during the overlap, then with the new one only', async () => {
    const t = await setup();
    const rx = await receiver();
    const hook = await t.subscribe(rx.url);

    const rotated = await t.call('POST', `/${hook.id}/rotate-secret`);
    expect(rotated.status).toBe(200);
    const { secret, previousSecretExpiresAt } = (await rotated.json()) as { secret: string; previousSecretExpiresAt: string };
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(secret).not.toBe(hook.secret);
    expect(Date.parse(previousSecretExpiresAt)).toBe(t.clock.now() + ROTATION_OVERLAP_MS);
    expect((await t.hooks())[0]).toMatchObject({ previousSecretExpiresAt });
    expect(await (await t.call('GET', '')).text()).not.toContain(secret);

    await t.reactTo('T-7', 'positive');
    await t.worker.runOnce();
    const during = rx.received[0]!;
    expect(String(during.headers['webhook-signature']).split(' ')).toHaveLength(2);
    // A receiver still on the old secret and one already on the new secret both accept it.
    expect(verified(hook.secret, during).response.ticketRef).toBe('T-7');
    expect(verified(secret, during).response.ticketRef).toBe('T-7');

    // The overlap is over: only the new secret signs. The library checks timestamps against the real
    // time, so the overlap's end is moved to the past instead of the clock to the future.
    t.store.db.prepare('UPDATE webhooks SET previous_secret_until = ? WHERE id = ?').run(t.clock.now() - 1, hook.id);
    await t.reactTo('T-8', 'positive');
    await t.worker.runOnce();
    const after = rx.received[1]!;
    expect(String(after.headers['webhook-signature']).split(' ')).toHaveLength(1);
    expect(verified(secret, after).response.ticketRef).toBe('T-8');
    expect(() => verified(hook.secret, after)).toThrow();
  });
});

describe('redelivery', () => {
  it('queues a finished delivery again with the same webhook-id, after what is already queued', async () => {
    const t = await setup();
    const rx = await receiver();
    const hook = await t.subscribe(rx.url);
    await t.reactTo('T-9', 'negative');
    await t.worker.runOnce();

    const list = await t.call('GET', `/${hook.id}/deliveries`);
    const items = ((await list.json()) as { items: Array<{ id: number; messageId: string; status: string }> }).items;
    expect(items).toEqual([expect.objectContaining({ status: 'delivered', attempts: 1, messageId: rx.received[0]!.headers['webhook-id'] })]);

    await t.reactTo('T-10', 'positive'); // queued before the redelivery: goes first
    const res = await t.call('POST', `/${hook.id}/deliveries/${items[0]!.id}/redeliver`);
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ status: 'pending', attempts: 0, messageId: items[0]!.messageId });

    expect(await t.worker.runOnce()).toBe(2);
    expect(ticketRefs(rx)).toEqual(['T-9', 'T-10', 'T-9']);
    expect(rx.received[2]!.headers['webhook-id']).toBe(rx.received[0]!.headers['webhook-id']);
    verified(hook.secret, rx.received[2]!);
  });

  it('refuses a pending delivery, an unknown one, and a disabled webhook', async () => {
    const t = await setup();
    const rx = await receiver({ statuses: [500] });
    const hook = await t.subscribe(rx.url);
    await t.reactTo('T-11', 'neutral');
    await t.worker.runOnce();
    const [delivery] = ((await (await t.call('GET', `/${hook.id}/deliveries`)).json()) as { items: Array<{ id: number }> }).items;

    const pending = await t.call('POST', `/${hook.id}/deliveries/${delivery!.id}/redeliver`);
    expect(pending.status).toBe(409);
    expect(await pending.json()).toMatchObject({ error: { code: 'delivery_pending' } });
    for (const id of ['999999', 'abc', '1e3']) {
      const res = await t.call('POST', `/${hook.id}/deliveries/${id}/redeliver`);
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ error: { code: 'delivery_not_found' } });
    }
    await t.call('POST', `/${hook.id}/disable`);
    const disabled = await t.call('POST', `/${hook.id}/deliveries/${delivery!.id}/redeliver`);
    expect(disabled.status).toBe(409);
    expect(await disabled.json()).toMatchObject({ error: { code: 'webhook_not_enabled' } });
  });
});

it('the Standard Webhooks library is the one under test', () => {
  // Guards against a helper that would accept anything: a wrong signature is refused.
  const wh = new Webhook(`whsec_${Buffer.alloc(24, 1).toString('base64')}`);
  expect(() => wh.verify('{}', { 'webhook-id': 'msg_1', 'webhook-timestamp': String(Math.floor(Date.now() / 1000)), 'webhook-signature': 'v1,AAAA' })).toThrow();
});
