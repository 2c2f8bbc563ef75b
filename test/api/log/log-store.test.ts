// The log in the store: written in the event's transaction (a failing append leaves no answer, no
// event), filled for sites that had events before it existed, and its key printed by `csat site create`.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, type CliIo } from '../../../api/cli/main.js';
import { hashLeaf, treeRoot } from '../../../api/domain/merkle.js';
import { parseVerifierKey } from '../../../api/domain/signed-note.js';
import { DAY_MS } from '../../../api/domain/window.js';
import { newFile, open, raw, survey } from '../store/fixtures.js';
import { siteWithKey, T0, tempDir } from '../helpers.js';

const changeWindowMs = 7 * DAY_MS;

describe('the public log in the store', () => {
  it('fails the whole answer when its log entry cannot be written', async () => {
    const file = newFile();
    const store = open(file);
    const { site } = await siteWithKey(store, { slug: 'acme' });
    const s = await survey(store, site, 'T-1');
    raw(file).exec("CREATE TRIGGER log_broken BEFORE INSERT ON log_entries BEGIN SELECT RAISE(ABORT, 'disk full'); END");
    await expect(store.submitResponse({ survey: s, reaction: 'positive', changeWindowMs }, T0)).rejects.toThrow(/disk full/);
    expect(await store.listEvents(site.id)).toEqual([]);
    expect(await store.getResponseForSurvey(s.id)).toBeNull();
    expect((await store.logHead(site.id)).size).toBe(0);
  });

  it('fills the log of a site whose events predate it, on the next open, and verify then passes', async () => {
    const file = newFile();
    const first = open(file);
    const { site } = await siteWithKey(first, { slug: 'acme' });
    await first.submitResponse({ survey: await survey(first, site, 'T-1'), reaction: 'negative', changeWindowMs }, T0);
    await first.submitResponse({ survey: await survey(first, site, 'T-2'), reaction: 'positive', changeWindowMs }, T0 + 1);
    await first.close();
    // As a database from before the log: no key, no entries.
    const db = raw(file);
    db.exec('DROP TRIGGER log_entries_no_delete; DELETE FROM log_entries; DELETE FROM site_logs');
    db.close();

    const again = open(file);
    const head = await again.logHead(site.id);
    expect(head.size).toBe(2);
    expect((await again.logEntries(site.id, 0, 10)).map((e) => JSON.parse(e.data).reaction)).toEqual(['negative', 'positive']);
    await again.close();
    const out: string[] = [];
    const io: CliIo = { out: (l) => out.push(l), write: () => {}, err: (l) => out.push(l), env: {}, now: () => T0 };
    expect(await runCli(['verify', 'acme', '--db', file], io)).toBe(0);
    expect(out.join('\n')).toContain('Public log: 2 entries');
  });

  it('csat site create prints the public key the log is signed with', async () => {
    const db = path.join(tempDir(), 'csat.db');
    const out: string[] = [];
    const io: CliIo = { out: (l) => out.push(l), write: () => {}, err: (l) => out.push(l), env: {}, now: () => T0 };
    expect(await runCli(['site', 'create', 'acme', '--name', 'Acme', '--db', db], io)).toBe(0);
    const printed = /Public log key \(.*\): (\S+)/.exec(out.join('\n'))?.[1];
    expect(parseVerifierKey(printed!).name).toMatch(/^csat-badge\/acme\/[0-9a-f]{8}$/);
    const store = open(db);
    expect((await store.logKey((await store.getSite('acme'))!.id)).verifierKey).toBe(printed);
  });
  describe('the head kept as a compact range beside the entries', () => {
    const answered = async (count: number) => {
      const file = newFile();
      const store = open(file);
      const { site } = await siteWithKey(store, { slug: 'acme' });
      for (let i = 0; i < count; i++) {
        await store.submitResponse({ survey: await survey(store, site, `T-${i}`), reaction: i % 3 ? 'positive' : 'negative', changeWindowMs }, T0 + i);
      }
      return { file, store, site };
    };
    const rootOfEntries = (file: string, siteId: number) => {
      const db = raw(file);
      const leaves = db.prepare('SELECT data FROM log_entries WHERE site_id = ? ORDER BY idx').all(siteId) as Array<{ data: string }>;
      db.close();
      return treeRoot(leaves.map((l) => hashLeaf(Buffer.from(l.data, 'utf8')))).toString('base64');
    };

    it('gives the root of every entry, to this connection and to another one after a reopen', async () => {
      const { file, store, site } = await answered(13);
      const head = await store.logHead(site.id);
      expect(head.size).toBe(13);
      expect(head.rootHash).toBe(rootOfEntries(file, site.id));
      await store.close();
      const again = open(file);
      expect(await again.logHead(site.id)).toEqual(head);
      await again.close();
    });

    it('is written for a log from before it (schema 11) by the migration, with the same head', async () => {
      const { file, store, site } = await answered(6);
      const head = await store.logHead(site.id);
      await store.close();
      const db = raw(file);
      db.exec('DROP TABLE log_ranges');
      db.pragma('user_version = 11');
      db.close();
      const again = open(file);
      expect(await again.logHead(site.id)).toEqual(head);
      await again.submitResponse({ survey: await survey(again, site, 'T-new'), reaction: 'neutral', changeWindowMs }, T0 + 99);
      expect((await again.logHead(site.id)).rootHash).toBe(rootOfEntries(file, site.id));
      await again.close();
    });

    it('is read from the stored range, not from the entries (a head never reads every leaf)', async () => {
      const { file, store, site } = await answered(4);
      const head = await store.logHead(site.id);
      await store.close();
      // Doctor a leaf behind the log's back: a head built from the leaves would change, the stored range does not.
      const db = raw(file);
      db.exec("DROP TRIGGER log_entries_no_update; UPDATE log_entries SET leaf_hash = zeroblob(32) WHERE idx = 0");
      db.close();
      const again = open(file);
      expect((await again.logHead(site.id)).rootHash).toBe(head.rootHash);
      await again.close();
    });
  });
});
