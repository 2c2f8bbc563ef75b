// Contract: sites and admin keys, on every store.
import { expect } from 'vitest';
import { newAdminKey } from '../../../../api/domain/tokens.js';
import { ConflictError } from '../../../../api/store/errors.js';
import type { NewSite } from '../../../../api/store/types.js';
import { siteWithKey, T0 } from '../../helpers.js';
import { forEachStore, storeOpener } from './stores.js';

forEachStore('sites', 'core', (kind, it) => {
  const open = storeOpener(kind);

  it('fills in the defaults', async () => {
    const { store } = await open();
    const site = await store.createSite({ slug: 'acme', name: 'Acme IT' }, T0);
    expect(site).toMatchObject({
      slug: 'acme',
      name: 'Acme IT',
      kind: 'reaction',
      scale: null,
      scoreMoments: null,
      windowDays: 90,
      changeWindowDays: 7,
      tokenTtlDays: 30,
      industry: null,
      throttleDays: 0,
      createdAt: T0,
    });
    expect(await store.getSite('acme')).toEqual(site);
    expect(await store.getSiteById(site.id)).toEqual(site);
    expect(await store.getSite('nope')).toBeNull();
    expect(await store.getSiteById(site.id + 1)).toBeNull();
    expect(await store.listSites()).toEqual([site]);
  });

  it('keeps explicit settings', async () => {
    const { store } = await open();
    const site = await store.createSite(
      { slug: 'b', name: 'B', windowDays: 30, changeWindowDays: 0, tokenTtlDays: 3, industry: 'education' },
      T0,
    );
    expect(site).toMatchObject({ windowDays: 30, changeWindowDays: 0, tokenTtlDays: 3, industry: 'education' });
    expect(await store.getSite('b')).toEqual(site);
  });

  it('rejects a duplicate slug with ConflictError site_exists and keeps the first site', async () => {
    const { store, count } = await open();
    const first = await store.createSite({ slug: 'acme', name: 'Acme IT' }, T0);
    const second = store.createSite({ slug: 'acme', name: 'Other' }, T0 + 1);
    await expect(second).rejects.toBeInstanceOf(ConflictError);
    await expect(store.createSite({ slug: 'acme', name: 'Other' }, T0 + 1)).rejects.toMatchObject({ code: 'site_exists' });
    expect(await store.getSite('acme')).toEqual(first);
    expect(await count('SELECT count(*) FROM sites')).toBe(1);
  });

  const outOfRange: Array<Partial<NewSite>> = [{ windowDays: 0 }, { windowDays: 731 }, { changeWindowDays: -1 }, { tokenTtlDays: 0 }];
  for (const settings of outOfRange) {
    it(`rejects out-of-range settings ${JSON.stringify(settings)} without creating a site`, async () => {
      const { store, count } = await open();
      await expect(store.createSite({ slug: 'bad', name: 'Bad', ...settings }, T0)).rejects.toThrow();
      expect(await store.getSite('bad')).toBeNull();
      expect(await count('SELECT count(*) FROM sites')).toBe(0);
    });
  }

  it('updates settings, and returns null for a site that does not exist', async () => {
    const { store } = await open();
    const site = await store.createSite({ slug: 'acme', name: 'Acme IT' }, T0);
    const updated = await store.updateSite('acme', { name: 'Acme', windowDays: 30, industry: 'it' });
    expect(updated).toEqual({ ...site, name: 'Acme', windowDays: 30, industry: 'it' });
    expect(await store.getSite('acme')).toEqual(updated);
    expect(await store.updateSite('nope', { name: 'X' })).toBeNull();
  });
});

forEachStore('admin keys', 'core', (kind, it) => {
  const open = storeOpener(kind);

  it('adds, reads, lists and revokes keys, each only once and only on its own site', async () => {
    const { store } = await open();
    const { site: a } = await siteWithKey(store, { slug: 'a' });
    const { site: b } = await siteWithKey(store, { slug: 'b' });
    const second = newAdminKey();
    await store.addAdminKey({ id: second.id, siteId: a.id, hash: second.hash, label: 'ci' }, T0 + 10);

    const keysA = await store.listAdminKeys(a.id);
    expect(keysA).toHaveLength(2);
    expect(keysA[1]).toEqual({ id: second.id, siteId: a.id, scope: 'admin', hash: second.hash, label: 'ci', createdAt: T0 + 10, revokedAt: null });
    const firstA = keysA[0]!;
    expect(firstA).toMatchObject({ siteId: a.id, label: null, createdAt: T0, revokedAt: null });
    expect(await store.getAdminKey(second.id)).toEqual(keysA[1]);
    expect(await store.getAdminKey('000000000000')).toBeNull();

    const keysB = await store.listAdminKeys(b.id);
    expect(keysB).toHaveLength(1);
    const keyB = keysB[0]!;

    // Another site's key cannot be revoked through this site.
    expect(await store.revokeAdminKey(a.id, keyB.id, T0 + 20)).toBe(false);
    expect((await store.getAdminKey(keyB.id))?.revokedAt).toBeNull();

    expect(await store.revokeAdminKey(a.id, second.id, T0 + 30)).toBe(true);
    expect(await store.revokeAdminKey(a.id, second.id, T0 + 40)).toBe(false);
    expect((await store.getAdminKey(second.id))?.revokedAt).toBe(T0 + 30);
    expect((await store.getAdminKey(firstA.id))?.revokedAt).toBeNull();
    expect(await store.revokeAdminKey(a.id, 'ffffffffffff', T0)).toBe(false);
  });

  it('keeps a wall key’s scope', async () => {
    const { store } = await open();
    const { site } = await siteWithKey(store);
    const wall = newAdminKey();
    await store.addAdminKey({ id: wall.id, siteId: site.id, hash: wall.hash, scope: 'wall', label: 'office' }, T0);
    expect(await store.getAdminKey(wall.id)).toMatchObject({ scope: 'wall', label: 'office' });
  });

  it('stores a 32-byte hash and never the plaintext key', async () => {
    const { store, rows } = await open();
    const { key } = await siteWithKey(store);
    const stored = await rows<{ key_hash: Buffer }>('SELECT key_hash FROM admin_keys');
    expect(stored).toHaveLength(1);
    const hash = Buffer.from(stored[0]!.key_hash);
    expect(hash).toHaveLength(32);
    expect(hash.includes(key)).toBe(false);
    expect(JSON.stringify(await store.listAdminKeys((await store.getSite('acme'))!.id))).not.toContain(key.slice('csat_'.length + 13));
  });

  it('rejects a hash that is not 32 bytes', async () => {
    const { store } = await open();
    const { site } = await siteWithKey(store);
    await expect(store.addAdminKey({ id: 'abcdefabcdef', siteId: site.id, hash: Buffer.alloc(16) }, T0)).rejects.toThrow();
    expect(await store.getAdminKey('abcdefabcdef')).toBeNull();
  });
});
