// `csat webhook ...` on the database file, as an operator runs it beside the server: list, disable,
// enable (which also confirms a held webhook), rotate, deliveries, redeliver, delete.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, type CliIo } from '../../api/cli/main.js';
import { openSqliteStore } from '../../api/store/sqlite.js';
import { adminKeyId, newAdminKey } from '../../api/domain/tokens.js';
import { tempDir, T0 } from './helpers.js';

async function csat(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (l) => out.push(l), write: () => {}, err: (l) => err.push(l), env: {}, now: () => T0 };
  const code = await runCli(args, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('csat webhook', () => {
  it('manages a site\'s webhooks', async () => {
    const db = path.join(tempDir(), 'csat.db');
    expect((await csat(['site', 'create', 'acme', '--name', 'Acme IT', '--db', db])).code).toBe(0);
    const store = openSqliteStore(db);
    const site = (await store.getSite('acme'))!;
    const key = newAdminKey();
    await store.addAdminKey({ id: key.id, siteId: site.id, hash: key.hash }, T0);
    await store.createWebhook({ id: 'wh_one', siteId: site.id, url: 'https://hooks.example.com/csat', events: ['response.created'], secret: 'whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0', registeredBy: key.id }, T0);
    await store.revokeAdminKey(site.id, adminKeyId(key.key)!, T0);
    // One finished delivery to redeliver.
    store.db.prepare("INSERT INTO webhook_deliveries (webhook_id, message_id, event, body, status, attempts, next_attempt_at, created_at) VALUES ('wh_one', 'msg_x', 'response.created', '{}', 'failed', 7, 0, 0)").run();
    const deliveryId = (store.db.prepare('SELECT id FROM webhook_deliveries').get() as { id: number }).id;

    expect((await csat(['webhook', 'list', 'acme', '--db', db])).out).toMatch(/^wh_one {2}needs_confirmation {2}https:\/\/hooks\.example\.com\/csat {2}response\.created {2}pending 0, failed 1/);
    const blocked = await csat(['webhook', 'redeliver', 'acme', 'wh_one', String(deliveryId), '--db', db]);
    expect(blocked).toMatchObject({ code: 2, err: expect.stringContaining('needs confirmation') });

    expect((await csat(['webhook', 'enable', 'acme', 'wh_one', '--db', db])).code).toBe(0);
    expect((await store.getWebhook(site.id, 'wh_one'))).toMatchObject({ registeredBy: null, ownerRevoked: false, disabledAt: null });

    const rotated = await csat(['webhook', 'rotate', 'acme', 'wh_one', '--db', db]);
    expect(rotated.out).toMatch(/New secret of webhook wh_one \(shown once, store it now\): whsec_[A-Za-z0-9+/]{32}\n/);

    expect((await csat(['webhook', 'deliveries', 'acme', 'wh_one', '--db', db])).out).toMatch(new RegExp(`^${deliveryId} {2}response\\.created {2}failed {2}attempts 7`));
    const again = await csat(['webhook', 'redeliver', 'acme', 'wh_one', String(deliveryId), '--db', db]);
    expect(again).toMatchObject({ code: 0, out: expect.stringContaining('again msg_x') });
    expect(await store.dueDeliveries(T0, 10)).toEqual([expect.objectContaining({ webhookId: 'wh_one', messageId: 'msg_x' })]);

    expect((await csat(['webhook', 'disable', 'acme', 'wh_one', '--db', db])).code).toBe(0);
    expect(await store.dueDeliveries(T0, 10)).toEqual([]);
    expect((await csat(['webhook', 'delete', 'acme', 'wh_one', '--db', db])).code).toBe(0);
    expect(await store.listWebhooks(site.id)).toEqual([]);
    expect(await csat(['webhook', 'delete', 'acme', 'wh_one', '--db', db])).toMatchObject({ code: 2, err: 'csat: "acme" has no webhook wh_one' });
    await store.close();
  });
});
