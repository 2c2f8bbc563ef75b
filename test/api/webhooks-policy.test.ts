// Receiver addresses: internal ones are refused at registration and again at delivery time, after DNS
// resolution, unless the operator allows them. And isolation: a receiver that hangs or fails does not
// delay another receiver's deliveries.
import { describe, expect, it } from 'vitest';
import { internalAddressReason, receiverUrlProblem } from '../../api/domain/ip-policy.js';
import { newAdminKey } from '../../api/domain/tokens.js';
import { receiver, setup, ticketRefs } from './webhooks-helpers.js';

const INTERNAL = [
  'http://127.0.0.1/',
  'http://169.254.169.254/latest/meta-data/',
  'http://[::1]/',
  'http://0x7f000001/',
  'http://2130706433/',
  'http://0177.0.0.1/',
  'http://127.1:8080/',
  'http://[::ffff:127.0.0.1]/',
  'http://[::ffff:169.254.169.254]/',
  'http://10.1.2.3/',
  'http://172.16.0.1/',
  'http://192.168.1.1/',
  'http://100.64.0.1/',
  'http://0.0.0.0/',
  'http://[fd00:ec2::254]/',
  'http://[fe80::1]/',
  'http://localhost:8080/',
  'http://LocalHost./',
  'http://api.localhost/',
];

describe('receiver address policy (pure)', () => {
  it.each(INTERNAL)('%s is internal', (url) => {
    expect(receiverUrlProblem(url)).toEqual(expect.any(String));
  });

  it.each(['https://hooks.example.com/csat', 'http://93.184.215.14/', 'https://[2606:4700:4700::1111]/'])('%s passes', (url) => {
    expect(receiverUrlProblem(url)).toBeNull();
  });

  it('names the range', () => {
    expect(internalAddressReason('169.254.169.254')).toBe('169.254.169.254 is a linkLocal address');
    expect(internalAddressReason('::ffff:7f00:1')).toBe('127.0.0.1 is a loopback address');
    expect(internalAddressReason('not-an-ip')).toMatch(/not an IP address/);
  });
});

describe('registration', () => {
  it.each(INTERNAL)('refuses %s with 400 internal_address by default', async (url) => {
    const t = await setup({ allowPrivate: false });
    const res = await t.json('POST', '/v1/sites/acme/webhooks', { url, events: ['response.created'] }, t.auth);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('internal_address');
    expect(body.error.message).toContain('CSAT_WEBHOOK_ALLOW_PRIVATE=1');
    expect(await t.hooks()).toEqual([]);
  });

  it('accepts a public receiver by default, and an internal one when the operator allows it', async () => {
    const strict = await setup({ allowPrivate: false });
    await strict.subscribe('https://hooks.example.com/csat');
    const open = await setup({ allowPrivate: true });
    await open.subscribe('http://127.0.0.1:9/csat');
  });
});

describe('delivery time', () => {
  it('refuses a loopback receiver without contacting it, and says why in the status', async () => {
    const t = await setup({ allowPrivate: true, worker: { allowPrivate: false } }); // registered while allowed
    const rx = await receiver();
    await t.subscribe(rx.url);
    await t.reactTo('T-1', 'negative');
    expect(await t.worker.runOnce()).toBe(1);
    expect(rx.received).toHaveLength(0);
    expect((await t.hooks())[0]).toMatchObject({
      pending: 1,
      lastDelivery: { attempts: 1, httpStatus: null, error: expect.stringMatching(/^refused: 127\.0\.0\.1 is a loopback address/) },
    });
  });

  it('checks the resolved address of a name (a name that resolves to loopback gets nowhere)', async () => {
    const t = await setup({ allowPrivate: false });
    const rx = await receiver();
    // Stored directly, as if the name had resolved to a public address at registration (DNS rebinding).
    await t.store.createWebhook({ id: 'wh_rebound', siteId: t.site.id, url: `http://localhost:${rx.port}/csat`, events: ['response.created'], secret: 'whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0', registeredBy: null }, t.clock.now());
    await t.reactTo('T-2', 'negative');
    expect(await t.worker.runOnce()).toBe(1);
    expect(rx.received).toHaveLength(0);
    expect((await t.hooks())[0]!.lastDelivery!.error).toMatch(/^refused: localhost resolves to (127\.0\.0\.1|::1) is a loopback address/);
  });
});

describe('isolation between receivers', () => {
  it("a receiver that hangs and one that always fails do not delay another site's receiver", { timeout: 30_000 }, async () => {
    // The worker runs on its own timer here, as in the server; a hanging request lasts 10 s.
    const t = await setup({ worker: { intervalMs: 25, timeoutMs: 10_000 } });
    const hanging = await receiver({ hang: true });
    const failing = await receiver({ statuses: [500] });
    const healthy = await receiver();
    await t.subscribe(hanging.url);
    await t.subscribe(failing.url);

    // Another site with its own key, webhook and surveys.
    const other = await t.store.createSite({ slug: 'other', name: 'Other' }, t.clock.now());
    const key = newAdminKey();
    await t.store.addAdminKey({ id: key.id, siteId: other.id, hash: key.hash }, t.clock.now());
    const otherAuth = { Authorization: `Bearer ${key.key}` };
    expect((await t.json('POST', '/v1/sites/other/webhooks', { url: healthy.url, events: ['response.created'] }, otherAuth)).status).toBe(201);
    const reactOnOther = async (ticketRef: string) => {
      const res = await t.json('POST', '/v1/sites/other/surveys', { ticketRef }, otherAuth);
      const { token } = (await res.json()) as { token: string };
      expect((await t.react(token, 'positive')).status).toBe(201);
    };

    await t.reactTo('A-1', 'negative');
    await t.reactTo('A-2', 'negative');
    await expect.poll(() => hanging.received.length + failing.received.length, { timeout: 5_000, interval: 10 }).toBe(2);
    const hangingSince = Date.now();

    // While the hanging receiver holds its request open, each of the other site's reactions arrives
    // well within a second.
    for (const [i, ref] of ['B-1', 'B-2', 'B-3'].entries()) {
      const reactedAt = Date.now();
      await reactOnOther(ref);
      await expect.poll(() => healthy.received.length, { timeout: 5_000, interval: 5 }).toBe(i + 1);
      expect(healthy.received[i]!.at - reactedAt).toBeLessThan(1_000);
    }
    expect(ticketRefs(healthy)).toEqual(['B-1', 'B-2', 'B-3']);
    // Still hanging, and A-2 has not overtaken A-1 on either acme receiver.
    expect(Date.now() - hangingSince).toBeLessThan(10_000);
    expect(ticketRefs(hanging)).toEqual(['A-1']);
    expect(ticketRefs(failing)).toEqual(['A-1']);
  });
});
