// Contract: the public per-site Merkle log, on every store. The log of a store must verify with the same
// domain code `csat verify` uses (signed checkpoint, entries that hash to its root, inclusion and
// consistency proofs), and two instances answering at once must leave one log without gaps.
import { describe, expect, it as plainIt } from 'vitest';
import { verifyLocal } from '../../../../api/cli/verify.js';
import { parseEntry } from '../../../../api/domain/log-entry.js';
import { EMPTY_ROOT, hashLeaf, treeRoot, verifyConsistency, verifyInclusion } from '../../../../api/domain/merkle.js';
import { openNote, parseCheckpoint, parseVerifierKey } from '../../../../api/domain/signed-note.js';
import { newTokenId } from '../../../../api/domain/tokens.js';
import { DAY_MS, dayOf, isoDay } from '../../../../api/domain/window.js';
import type { Reaction } from '../../../../api/domain/reaction.js';
import type { Site, Store, Survey } from '../../../../api/store/types.js';
import { siteWithKey, T0 } from '../../helpers.js';
import { fileOpener, forEachStore, STORES } from './stores.js';

const changeWindowMs = 7 * DAY_MS;
const REACTIONS: Reaction[] = ['positive', 'positive', 'negative', 'positive', 'neutral'];

const openStore = fileOpener();

async function survey(store: Store, site: Site, ticketRef: string, now = T0): Promise<Survey> {
  return (await store.createSurvey({ siteId: site.id, ticketRef, tokenId: newTokenId(), expiresAt: now + 30 * DAY_MS }, now)).survey;
}

/** Everything a reader outside checks, with the domain code the CLI uses. */
async function checkLog(store: Store, siteId: number) {
  const key = parseVerifierKey((await store.logKey(siteId)).verifierKey);
  const head = await store.logHead(siteId);
  const opened = openNote(head.checkpoint, key);
  expect(opened.ok).toBe(true);
  const checkpoint = parseCheckpoint(opened.ok ? opened.text : '')!;
  expect(checkpoint).toMatchObject({ origin: key.name, size: head.size });
  expect(checkpoint.rootHash.toString('base64')).toBe(head.rootHash);
  const entries = await store.logEntries(siteId, 0, head.size + 10);
  expect(entries.map((e) => e.index)).toEqual([...Array(head.size).keys()]);
  const leaves = entries.map((e) => hashLeaf(Buffer.from(e.data, 'utf8')));
  expect(treeRoot(leaves).toString('base64')).toBe(head.rootHash);
  return { head, checkpoint, leaves, entries };
}

forEachStore('public log', 'log', (kind, it) => {
  const open = () => openStore(kind);

  it('starts empty: a signed checkpoint of size 0 under a key made once per site', async () => {
    const o = await open();
    const { site } = await siteWithKey(o.store, { slug: 'acme' });
    const key = await o.store.logKey(site.id);
    expect(key.origin).toMatch(/^csat-badge\/acme\/[0-9a-f]{8}$/);
    expect(parseVerifierKey(key.verifierKey).name).toBe(key.origin);
    expect(await o.store.logKey(site.id)).toEqual(key);
    const { head } = await checkLog(o.store, site.id);
    expect(head).toMatchObject({ size: 0, rootHash: EMPTY_ROOT.toString('base64') });
    expect(await (await o.another()).logKey(site.id)).toEqual(key);
    expect(await o.store.logEntries(site.id, 0, 10)).toEqual([]);
    expect(await o.store.logInclusionProof(site.id, 0, 1)).toBeNull();
    expect(await o.store.logConsistencyProof(site.id, 0, 0)).toEqual([]);
    expect(await o.store.logConsistencyProof(site.id, 0, 1)).toBeNull();
  });

  it('holds one entry per event, a change naming the same opaque survey, and nothing personal', async () => {
    const o = await open();
    const { site } = await siteWithKey(o.store, { slug: 'acme' });
    const a = await survey(o.store, site, 'T-1');
    const b = await survey(o.store, site, 'T-2');
    const first = await o.store.submitResponse({ survey: a, reaction: 'negative', comment: 'Jane Doe, slow', changeWindowMs }, T0 + 1000);
    await o.store.submitResponse({ survey: b, reaction: 'positive', changeWindowMs }, T0 + 2000);
    await o.store.submitResponse({ survey: a, reaction: 'positive', changeWindowMs }, T0 + DAY_MS);
    await o.store.importResponses(site.id, [{ line: 2, ticketRef: 'OLD-1', reaction: 'neutral', comment: null, respondedAt: T0 - 5 * DAY_MS }], T0 + 2 * DAY_MS);

    const { entries } = await checkLog(o.store, site.id);
    const parsed = entries.map((e) => parseEntry(e.data)!);
    expect(parsed.map((e) => [e.reaction, e.kind, e.origin, e.day])).toEqual([
      ['negative', 'first', 'live', isoDay(dayOf(T0))],
      ['positive', 'first', 'live', isoDay(dayOf(T0))],
      ['positive', 'change', 'live', isoDay(dayOf(T0))],
      ['neutral', 'first', 'imported', isoDay(dayOf(T0) - 5)],
    ]);
    expect(parsed[0]!.survey).toBe(parsed[2]!.survey);
    expect(parsed[0]!.survey).not.toBe(parsed[1]!.survey);
    const text = entries.map((e) => e.data).join('\n');
    for (const secret of ['Jane', 'T-1', a.id, first.response.id]) expect(text).not.toContain(secret);
    expect(await o.store.logEntries(site.id, 1, 3)).toEqual(entries.slice(1, 3));

    expect(await o.store.logIndexOfResponse(site.id, first.response.id)).toBe(2);
    expect(await o.store.logIndexOfResponse(site.id, 'no-such-response')).toBeNull();
    const lines: string[] = [];
    expect(await verifyLocal(o.store, site, T0 + 3 * DAY_MS, (l) => lines.push(l))).toBe(0);
    expect(lines.join('\n')).toMatch(/Public log: 4 entries/);
  });

  it('fails the whole answer when its log entry cannot be written', async () => {
    const o = await open();
    const { site } = await siteWithKey(o.store, { slug: 'acme' });
    const s = await survey(o.store, site, 'T-1');
    const broken =
      kind.name === 'sqlite'
        ? { make: ["CREATE TRIGGER log_broken BEFORE INSERT ON log_entries BEGIN SELECT RAISE(ABORT, 'disk full'); END"], undo: [] }
        : {
            make: [
              "CREATE FUNCTION log_broken() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk full'; END $$",
              'CREATE TRIGGER log_broken BEFORE INSERT ON log_entries FOR EACH ROW EXECUTE FUNCTION log_broken()',
            ],
            undo: ['DROP TRIGGER log_broken ON log_entries', 'DROP FUNCTION log_broken()'],
          };
    for (const statement of broken.make) await o.underneath(statement);
    try {
      await expect(o.store.submitResponse({ survey: s, reaction: 'positive', changeWindowMs }, T0)).rejects.toThrow(/disk full/);
      expect(await o.store.listEvents(site.id)).toEqual([]);
      expect(await o.store.getResponseForSurvey(s.id)).toBeNull();
      expect((await o.store.logHead(site.id)).size).toBe(0);
      expect(await o.count('SELECT count(*) FROM daily_counts')).toBe(0);
    } finally {
      // The PostgreSQL database is emptied and reused by the next test: it must not keep the trigger (a
      // SQLite file is removed after its test).
      for (const statement of broken.undo) await o.underneath(statement);
    }
    if (kind.name === 'postgres') {
      await o.store.submitResponse({ survey: s, reaction: 'positive', changeWindowMs }, T0);
      expect((await checkLog(o.store, site.id)).head.size).toBe(1);
    }
  });

  it('refuses an edit or removal of an entry, and a reaction changed without its event', async () => {
    const o = await open();
    const { site } = await siteWithKey(o.store, { slug: 'acme' });
    const { response } = await o.store.submitResponse({ survey: await survey(o.store, site, 'T-1'), reaction: 'negative', changeWindowMs }, T0);
    await expect(o.rows("UPDATE log_entries SET data = 'x' WHERE site_id = ? RETURNING idx", site.id)).rejects.toThrow(/append-only/);
    await expect(o.rows('DELETE FROM log_entries WHERE site_id = ? RETURNING idx', site.id)).rejects.toThrow(/append-only/);
    await expect(o.rows("UPDATE responses SET reaction = 'positive' WHERE id = ? RETURNING id", response.id)).rejects.toThrow(/changes only with its event/);
    expect((await checkLog(o.store, site.id)).head.size).toBe(1);
  });

  it('reads its head from the range stored with the entries, not from the entries', async () => {
    const o = await open();
    const { site } = await siteWithKey(o.store, { slug: 'acme' });
    for (let i = 0; i < 5; i++) {
      await o.store.submitResponse({ survey: await survey(o.store, site, `T-${i}`), reaction: REACTIONS[i]!, changeWindowMs }, T0 + i);
    }
    const head = await o.store.logHead(site.id);
    // A leaf doctored behind the log's back: a head built from the leaves would change, the stored range does not.
    expect(await o.underneath('UPDATE log_entries SET leaf_hash = ? WHERE site_id = ? AND idx = 0', Buffer.alloc(32), site.id)).toBe(1);
    expect((await (await o.another()).logHead(site.id)).rootHash).toBe(head.rootHash);
  });

  it('keeps logs of two sites apart, each under its own key', async () => {
    const o = await open();
    const { site: acme } = await siteWithKey(o.store, { slug: 'acme' });
    const other = await o.store.createSite({ slug: 'other', name: 'Other' }, T0);
    await o.store.submitResponse({ survey: await survey(o.store, acme, 'T-1'), reaction: 'positive', changeWindowMs }, T0);
    await o.store.submitResponse({ survey: await survey(o.store, other, 'T-1'), reaction: 'negative', changeWindowMs }, T0);
    await o.store.submitResponse({ survey: await survey(o.store, other, 'T-2'), reaction: 'negative', changeWindowMs }, T0);
    expect((await checkLog(o.store, acme.id)).head.size).toBe(1);
    expect((await checkLog(o.store, other.id)).head.size).toBe(2);
    expect((await o.store.logKey(acme.id)).verifierKey).not.toBe((await o.store.logKey(other.id)).verifierKey);
  });

  it('of 200 reactions verifies: checkpoint signature, every inclusion proof, consistency with an earlier checkpoint, csat verify', async () => {
    const o = await open();
    const { site } = await siteWithKey(o.store, { slug: 'acme' });
    const key = parseVerifierKey((await o.store.logKey(site.id)).verifierKey);
    let earlier: { size: number; root: Buffer } | null = null;
    for (let i = 0; i < 200; i++) {
      const s = await survey(o.store, site, `T-${i}`, T0 + i);
      await o.store.submitResponse({ survey: s, reaction: REACTIONS[i % REACTIONS.length]!, changeWindowMs }, T0 + i);
      if (i === 76) {
        const head = await o.store.logHead(site.id);
        earlier = { size: head.size, root: Buffer.from(head.rootHash, 'base64') };
      }
    }
    const { head, checkpoint, leaves } = await checkLog(o.store, site.id);
    expect(head.size).toBe(200);
    for (let index = 0; index < 200; index++) {
      const proof = (await o.store.logInclusionProof(site.id, index, 200))!.map((h) => Buffer.from(h, 'base64'));
      expect(verifyInclusion(leaves[index]!, index, 200, proof, checkpoint.rootHash), `entry ${index}`).toBe(true);
    }
    // A proof for an older size, as a reader holding an older checkpoint asks for it.
    const old = (await o.store.logInclusionProof(site.id, 5, 77))!.map((h) => Buffer.from(h, 'base64'));
    expect(verifyInclusion(leaves[5]!, 5, 77, old, earlier!.root)).toBe(true);
    expect(await o.store.logInclusionProof(site.id, 200, 200)).toBeNull();
    expect(await o.store.logInclusionProof(site.id, 0, 201)).toBeNull();

    expect(earlier!.size).toBe(77);
    const consistency = (await o.store.logConsistencyProof(site.id, 77, 200))!.map((h) => Buffer.from(h, 'base64'));
    expect(verifyConsistency(77, 200, consistency, earlier!.root, checkpoint.rootHash)).toBe(true);
    expect(verifyConsistency(77, 200, consistency, Buffer.alloc(32), checkpoint.rootHash)).toBe(false);
    expect(await o.store.logConsistencyProof(site.id, 150, 100)).toBeNull();
    expect(await o.store.logConsistencyProof(site.id, 0, 201)).toBeNull();

    // Another instance serves the same head and proofs, signed by the same key.
    const another = await o.another();
    expect(await another.logHead(site.id)).toEqual(head);
    expect(await another.logConsistencyProof(site.id, 77, 200)).toEqual(await o.store.logConsistencyProof(site.id, 77, 200));
    expect(openNote((await another.logHead(site.id)).checkpoint, key).ok).toBe(true);

    const lines: string[] = [];
    expect(await verifyLocal(o.store, site, T0 + DAY_MS, (l) => lines.push(l))).toBe(0);
    expect(lines.join('\n')).toContain('Public log: 200 entries');
  }, 60_000);

  it('has no gap or double when two instances answer one site at once', async () => {
    const o = await open();
    const { site } = await siteWithKey(o.store, { slug: 'acme' });
    const another = await o.another();
    const surveys = [];
    for (let i = 0; i < 30; i++) surveys.push(await survey(o.store, site, `T-${i}`));
    await Promise.all(
      surveys.map((s, i) => (i % 2 ? another : o.store).submitResponse({ survey: s, reaction: REACTIONS[i % REACTIONS.length]!, changeWindowMs }, T0 + i)),
    );
    const { head, entries } = await checkLog(o.store, site.id);
    expect(head.size).toBe(30);
    expect(new Set(entries.map((e) => parseEntry(e.data)!.survey)).size).toBe(30);
    expect(await another.logHead(site.id)).toEqual(head);
    const lines: string[] = [];
    expect(await verifyLocal(o.store, site, T0 + DAY_MS, (l) => lines.push(l))).toBe(0);
  }, 60_000);

  it('gives the facts and day totals `csat verify` compares with the replay', async () => {
    const o = await open();
    const { site } = await siteWithKey(o.store, { slug: 'acme' });
    const a = await o.store.submitResponse({ survey: await survey(o.store, site, 'T-1'), reaction: 'negative', changeWindowMs }, T0);
    await o.store.submitResponse({ survey: await survey(o.store, site, 'T-2'), reaction: 'positive', changeWindowMs }, T0 + DAY_MS);
    await o.store.importResponses(site.id, [{ line: 2, ticketRef: 'OLD-1', reaction: 'neutral', comment: null, respondedAt: T0 - 2 * DAY_MS }], T0);
    const facts = await o.store.responseFacts(site.id);
    expect(facts).toHaveLength(3);
    expect(facts.find((f) => f.id === a.response.id)).toEqual({
      id: a.response.id, reaction: 'negative', day: dayOf(T0), source: 'survey', kind: 'reaction', scale: null, moment: 'ticket-closed',
    });
    const day = dayOf(T0);
    expect(await o.store.storedDayCounts(site.id)).toEqual([
      { day: day - 2, positive: 0, neutral: 1, negative: 0, imported: 1 },
      { day, positive: 0, neutral: 0, negative: 1, imported: 0 },
      { day: day + 1, positive: 1, neutral: 0, negative: 0, imported: 0 },
    ]);
    expect(await o.store.storedDayValues(site.id)).toEqual(await o.store.storedDayCounts(site.id));
  });
});

describe('public log entries, store against store', () => {
  /** The same history on a store: kinds, moments, a sealed survey, a seeded answer, a change, an import. */
  async function history(store: Store) {
    const site = await store.createSite({ slug: 'acme', name: 'Acme IT' }, T0);
    const make = (ticketRef: string, extra: { kind?: 'reaction' | 'csat' | 'nps'; scale?: number | null; moment?: string; sealed?: boolean } = {}) =>
      store.createSurvey({ siteId: site.id, ticketRef, tokenId: newTokenId(), expiresAt: T0 + 30 * DAY_MS, ...extra }, T0).then((m) => m.survey);
    const a = await make('T-1');
    await store.submitResponse({ survey: a, reaction: 'negative', changeWindowMs }, T0 + 1);
    await store.submitResponse({ survey: await make('T-2', { kind: 'csat', scale: 5, moment: 'onboarding' }), value: 4, changeWindowMs }, T0 + 2);
    await store.submitResponse({ survey: await make('T-3', { kind: 'nps', scale: 10 }), value: 6, changeWindowMs }, T0 + DAY_MS);
    await store.submitResponse({ survey: await make('T-4', { sealed: true }), reaction: 'positive', changeWindowMs }, T0 + DAY_MS + 1);
    await store.submitResponse({ survey: await make('T-5'), reaction: 'neutral', changeWindowMs, seeded: true }, T0 + DAY_MS + 2);
    await store.submitResponse({ survey: a, reaction: 'positive', changeWindowMs }, T0 + 2 * DAY_MS);
    await store.importResponses(site.id, [{ line: 2, ticketRef: 'OLD-1', reaction: 'neutral', comment: null, respondedAt: T0 - 5 * DAY_MS }], T0 + 2 * DAY_MS);
    const entries = await store.logEntries(site.id, 0, 100);
    // The opaque survey id is keyed per site and the response ids are random: the same within one log,
    // different between two. Everything else must be the same text.
    const ids = new Map<string, string>();
    return entries.map((e) => e.data.replace(/"survey":"([^"]+)"/, (_m, id: string) => `"survey":"s${ids.get(id) ?? ids.set(id, String(ids.size)).get(id)}"`));
  }

  plainIt('writes the same entry text on SQLite and on PostgreSQL', async () => {
    const [sqlite, postgres] = await Promise.all(STORES.map(openStore));
    const expected = await history(sqlite!.store);
    expect(expected).toHaveLength(7);
    const parsed = expected.map((e) => parseEntry(e)!);
    expect(parsed.map((e) => [e.origin, e.kind, e.sealed, e.answer ?? null, e.moment ?? null])).toEqual([
      ['live', 'first', false, null, null],
      ['live', 'first', false, 'csat5:4', 'onboarding'],
      ['live', 'first', false, 'nps:6', null],
      ['live', 'first', true, null, null],
      ['seeded', 'first', false, null, null],
      ['live', 'change', false, null, null],
      ['imported', 'first', false, null, null],
    ]);
    expect(await history(postgres!.store)).toEqual(expected);
  }, 30_000);
});
