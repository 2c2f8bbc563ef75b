// The change feed between instances: a site id announced inside one pool's transaction reaches the
// listener of another pool on commit only, and a broken LISTEN connection is reported and recovered.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, transaction, type Sql } from '../../../../api/store/pg/connection.js';
import { listenChanges, notifyChange, type PgChangeFeed } from '../../../../api/store/pg/notify.js';
import { freshPgDatabase, type PgDatabase } from '../../../pg-database.js';

let db: PgDatabase;
let a: Sql;
let b: Sql;
let feed: PgChangeFeed;
const heard: Array<number | null> = [];

const waitFor = async (check: () => boolean, ms: number) => {
  const until = Date.now() + ms;
  while (!check() && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 5));
  return check();
};

beforeAll(async () => {
  db = await freshPgDatabase();
  a = connect(db.url);
  b = connect(db.url);
  feed = await listenChanges(b);
  feed.onChange((siteId) => heard.push(siteId));
});

afterAll(async () => {
  await feed?.close();
  await Promise.all([a?.end({ timeout: 1 }), b?.end({ timeout: 1 })]);
  await db?.drop();
});

describe('change feed over LISTEN/NOTIFY', () => {
  it('a change committed through one pool reaches the listener of another within 1 s', async () => {
    const started = Date.now();
    await transaction(a, (tx) => notifyChange(tx, 41));
    const arrived = await waitFor(() => heard.includes(41), 1_000);
    console.log(`change note arrived on the other pool after ${Date.now() - started} ms`);
    expect(arrived).toBe(true);
    heard.length = 0;
  });

  it('announces only on commit: nothing while the transaction is open, nothing after a rollback', async () => {
    await expect(
      transaction(a, async (tx) => {
        await notifyChange(tx, 7);
        throw new Error('the writer failed');
      }),
    ).rejects.toThrow('the writer failed');

    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const committed = transaction(a, async (tx) => {
      await notifyChange(tx, 8);
      await held;
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(heard).toEqual([]);
    release();
    await committed;
    expect(await waitFor(() => heard.includes(8), 1_000)).toBe(true);
    expect(heard).toEqual([8]);
    heard.length = 0;
  });

  it('several notes of one site in one transaction arrive once', async () => {
    await transaction(a, async (tx) => {
      await notifyChange(tx, 9);
      await notifyChange(tx, 9);
      await notifyChange(tx, 10);
    });
    expect(await waitFor(() => heard.includes(10), 1_000)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(heard.filter((id) => id === 9)).toEqual([9]);
    heard.length = 0;
  });

  it('a LISTEN connection cut by the server is reported (null) and listens again', async () => {
    const killed = await a<{ pid: number }[]>`
      SELECT pg_terminate_backend(pid) AS ok, pid FROM pg_stat_activity
      WHERE datname = ${db.name} AND query ILIKE 'listen%' AND pid <> pg_backend_pid()`;
    expect(killed.length).toBe(1);
    expect(await waitFor(() => heard.includes(null), 5_000)).toBe(true);
    await transaction(a, (tx) => notifyChange(tx, 12));
    expect(await waitFor(() => heard.includes(12), 1_000)).toBe(true);
  });

  it('an unsubscribed listener hears nothing more', async () => {
    const mine: Array<number | null> = [];
    const off = feed.onChange((siteId) => mine.push(siteId));
    off();
    heard.length = 0;
    await transaction(a, (tx) => notifyChange(tx, 13));
    expect(await waitFor(() => heard.includes(13), 1_000)).toBe(true);
    expect(mine).toEqual([]);
  });
});
