// The export's read connection: on a file, a read-only connection of its own that sees what the store
// commits; in memory, the store's own connection (a second one would see another,
// empty database).
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../api/store/migrations.js';
import { sqliteReader } from '../../../api/store/sqlite-reader.js';
import { createSqliteStore, openSqliteStore } from '../../../api/store/sqlite.js';
import { T0, tempDbFile } from '../helpers.js';
import type { Store } from '../../../api/store/types.js';

async function withResponses(store: Store, n: number) {
  const site = await store.createSite({ slug: 'acme', name: 'Acme IT' }, T0);
  const rows = Array.from({ length: n }, (_, i) => ({ line: i + 2, respondedAt: T0 - 1000 * (i + 1), ticketRef: `T-${i}`, reaction: 'positive' as const, comment: `c${i}` }));
  await store.importResponses(site.id, rows, T0);
  return site;
}

describe('the export read connection', () => {
  it('on a file: pages through what the store committed, newest first, each response with its notes', async () => {
    const store = openSqliteStore(tempDbFile());
    const site = await withResponses(store, 5);
    const first = await store.exportPage(site.id, {}, null, 3);
    expect(first.map((r) => r.ticketRef)).toEqual(['T-0', 'T-1', 'T-2']);
    await store.updateFollowUp(site.id, first[1]!.id, { note: { author: 'Ann', text: 'called back' } }, T0 + 1);
    const last = first[2]!;
    const second = await store.exportPage(site.id, {}, { createdAt: last.createdAt, id: last.id }, 3);
    expect(second.map((r) => r.ticketRef)).toEqual(['T-3', 'T-4']);
    const again = await store.exportPage(site.id, {}, null, 3);
    expect(again[1]!.noteList.map((n) => n.text)).toEqual(['called back']);
    await store.close();
  });

  it('on a file: is a connection of its own, closed apart from the store connection', () => {
    const store = openSqliteStore(tempDbFile());
    const reader = sqliteReader(store.db, { inboxQuery: () => ({ sql: 'SELECT 1', params: {} }), toItem: () => { throw new Error('unused'); } });
    expect(reader.separate).toBe(true);
    reader.close();
    // The store's own connection is still open after the reader closed.
    expect(store.db.open).toBe(true);
    store.db.close();
  });

  it('in memory: reads on the store\'s own connection', async () => {
    const db = new Database(':memory:');
    migrate(db);
    const store = createSqliteStore(db);
    const site = await withResponses(store, 2);
    expect((await store.exportPage(site.id, {}, null, 10)).map((r) => r.ticketRef)).toEqual(['T-0', 'T-1']);
    await store.close();
  });
});
