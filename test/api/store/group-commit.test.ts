// Group commit of answers (api/store/sqlite-group-commit.ts): answers submitted together are one
// transaction on disk, each still succeeds or fails on its own, and nothing acknowledged is missing after
// the store is closed and opened again. Commits are counted in the write-ahead log itself: every commit
// ends with a frame that carries the database size, and no other frame does.
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { verifyChain } from '../../../api/domain/chain.js';
import { DAY_MS } from '../../../api/domain/window.js';
import { groupCommit } from '../../../api/store/sqlite-group-commit.js';
import type { Survey } from '../../../api/store/types.js';
import { siteWithKey, T0 } from '../helpers.js';
import { newFile, open, raw, survey, type SqliteStore } from './fixtures.js';

/** Commit frames in the WAL since it was last reset (a TRUNCATE checkpoint empties it). */
function walCommits(file: string): number {
  const wal = `${file}-wal`;
  const buf = fs.existsSync(wal) ? fs.readFileSync(wal) : Buffer.alloc(0);
  if (buf.length < 32) return 0;
  const pageSize = buf.readUInt32BE(8);
  const [salt1, salt2] = [buf.readUInt32BE(16), buf.readUInt32BE(20)];
  let commits = 0;
  for (let at = 32; at + 24 + pageSize <= buf.length; at += 24 + pageSize) {
    // Frames left from before a reset carry older salts: the log ends at the first of them.
    if (buf.readUInt32BE(at + 8) !== salt1 || buf.readUInt32BE(at + 12) !== salt2) break;
    if (buf.readUInt32BE(at + 4) !== 0) commits++;
  }
  return commits;
}

const resetWal = (store: SqliteStore) => store.db.pragma('wal_checkpoint(TRUNCATE)');

async function setup(n: number) {
  const file = newFile();
  const store = open(file);
  const { site } = await siteWithKey(store);
  const surveys: Survey[] = [];
  for (let i = 0; i < n; i++) surveys.push(await survey(store, site, `T-${i}`));
  const changeWindowMs = site.changeWindowDays * DAY_MS;
  const answer = (s: Survey, at = T0 + 1000) => store.submitResponse({ survey: s, reaction: 'positive', changeWindowMs }, at);
  return { file, store, site, surveys, answer };
}

describe('group commit of answers', () => {
  it('writes answers submitted together in one transaction, and answers awaited one by one in one each', async () => {
    const { file, store, site, surveys, answer } = await setup(23);
    resetWal(store);
    for (const s of surveys.slice(0, 3)) await answer(s);
    expect(walCommits(file)).toBe(3);

    resetWal(store);
    const outcomes = await Promise.all(surveys.slice(3).map((s) => answer(s)));
    expect(outcomes.map((o) => o.status)).toEqual(Array(20).fill('created'));
    expect(walCommits(file)).toBe(1);
    expect(raw(file).prepare('SELECT count(*) FROM responses').pluck().get()).toBe(23);
    expect(verifyChain(await store.listEvents(site.id)).valid).toBe(true);
    expect(await store.countMismatches(site.id)).toEqual([]);
  });

  it('fails a submission that throws on its own, and keeps the others of its batch', async () => {
    const { file, store, site, surveys, answer } = await setup(4);
    // A survey this database never issued: its response row breaks the foreign key.
    const stranger: Survey = { ...surveys[0]!, id: 'sv_not_issued_here', ticketRef: 'X-1' };
    resetWal(store);
    const results = await Promise.allSettled([answer(surveys[0]!), answer(stranger), answer(surveys[1]!), answer(surveys[2]!)]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect(walCommits(file)).toBe(1);
    const check = raw(file);
    expect(check.prepare('SELECT ticket_ref FROM responses ORDER BY ticket_ref').pluck().all()).toEqual(['T-0', 'T-1', 'T-2']);
    const events = await store.listEvents(site.id);
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(verifyChain(events).valid).toBe(true);
    expect(await store.countMismatches(site.id)).toEqual([]);
    // The store goes on taking answers after the failure.
    expect((await answer(surveys[3]!)).status).toBe('created');
  });

  it('gives two first answers to one survey in one batch one response: one created, the other a change', async () => {
    const { file, store, site, surveys } = await setup(1);
    const changeWindowMs = site.changeWindowDays * DAY_MS;
    resetWal(store);
    const outcomes = await Promise.all([
      store.submitResponse({ survey: surveys[0]!, reaction: 'negative', changeWindowMs }, T0 + 1000),
      store.submitResponse({ survey: surveys[0]!, reaction: 'positive', changeWindowMs }, T0 + 1000),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['created', 'changed']);
    expect(walCommits(file)).toBe(1);
    const check = raw(file);
    expect(check.prepare('SELECT reaction FROM responses').pluck().all()).toEqual(['positive']);
    const events = await store.listEvents(site.id);
    expect(events.map((e) => e.type)).toEqual(['submit', 'change']);
    expect(verifyChain(events).valid).toBe(true);
    expect(await store.countMismatches(site.id)).toEqual([]);
    expect((await store.logHead(site.id)).size).toBe(2);
  });

  it('has every acknowledged answer in the file after close and reopen, also those still queued at close', async () => {
    const { file, store, surveys, answer } = await setup(60);
    const acknowledged = await Promise.all(surveys.slice(0, 30).map((s) => answer(s)));
    // Queued, not yet written: close waits for them instead of dropping them.
    const queued = surveys.slice(30).map((s) => answer(s));
    await store.close();
    const late = await Promise.all(queued);
    expect([...acknowledged, ...late].every((o) => o.status === 'created')).toBe(true);
    const reopened = open(file);
    expect(reopened.db.prepare('SELECT count(*) FROM responses').pluck().get()).toBe(60);
    const ids = new Set((reopened.db.prepare('SELECT id FROM responses').pluck().all() as string[]));
    expect([...acknowledged, ...late].every((o) => ids.has(o.response.id))).toBe(true);
  });

  it('waits for a database another connection holds with timers, then writes the whole batch in one transaction', async () => {
    const { file, store, surveys, answer } = await setup(5);
    resetWal(store);
    const other = raw(file);
    other.pragma('busy_timeout = 0');
    other.exec('BEGIN IMMEDIATE');
    let settled = false;
    const all = Promise.all(surveys.map((s) => answer(s))).finally(() => (settled = true));
    // The event loop is free while the batch waits: this timer fires, and nothing is written yet.
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(settled).toBe(false);
    expect(walCommits(file)).toBe(0);
    other.exec('COMMIT');
    expect((await all).map((o) => o.status)).toEqual(Array(5).fill('created'));
    expect(walCommits(file)).toBe(1);
  });
});

describe('groupCommit on its own', () => {
  it('rolls back only the savepoint of a write that throws after writing, and resolves after the commit', async () => {
    const file = newFile();
    const db = new Database(file);
    try {
      db.pragma('journal_mode = WAL');
      db.exec('CREATE TABLE t (k TEXT PRIMARY KEY)');
      const sizes: number[] = [];
      const commits = groupCommit(db, { onCommit: (size) => sizes.push(size) });
      const insert = db.prepare('INSERT INTO t (k) VALUES (?)');
      const write = (k: string, fail = false) =>
        db.transaction(() => {
          insert.run(k);
          insert.run(`${k}-second`);
          if (fail) throw new Error(`write ${k} refused`);
          return k;
        });
      const seen = raw(file);
      const visibleToOthers: number[] = [];
      const results = await Promise.allSettled(
        ['a', 'b', 'c'].map((k) =>
          commits.run(write(k, k === 'b')).then((value) => {
            // Another connection sees the row once the promise resolves: it was committed first.
            visibleToOthers.push(seen.prepare('SELECT count(*) FROM t WHERE k = ?').pluck().get(value) as number);
            return value;
          }),
        ),
      );
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect((results[1] as PromiseRejectedResult).reason.message).toBe('write b refused');
      expect(sizes).toEqual([3]);
      expect(visibleToOthers).toEqual([1, 1]);
      expect(seen.prepare('SELECT k FROM t ORDER BY k').pluck().all()).toEqual(['a', 'a-second', 'c', 'c-second']);
      await commits.idle();
    } finally {
      db.close();
    }
  });
});
