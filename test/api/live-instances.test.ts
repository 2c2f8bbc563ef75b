// Live updates across instances: two score hubs, each over its own PostgreSQL store (its own pool and
// LISTEN connection) on one database, as two server processes run them. A change one instance commits
// reaches the other's listeners within the 1 s and moves its version (its cached scores go stale).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScoreHub } from '../../api/live/score-hub.js';
import { transaction, type Sql } from '../../api/store/pg/connection.js';
import { openPgStore } from '../../api/store/pg/index.js';
import { listenChanges, notifyChange, type PgChangeFeed } from '../../api/store/pg/notify.js';
import { changeFeedOf } from '../../api/store/types-changes.js';
import type { Site, Store } from '../../api/store/types.js';
import { freshPgDatabase, type PgDatabase } from '../pg-database.js';
import { createApp } from '../../api/app.js';
import { siteWithKey, T0, TestClock, testConfig } from './helpers.js';
import { listen } from './http-server.js';
import { openStream } from './sse-reader.js';

type Instance = { store: Store & { sql: Sql }; hub: ScoreHub; feed?: PgChangeFeed };

let db: PgDatabase;
let a: Instance;
let b: Instance;
let acme: Site;

/** An instance's store with its change feed: the store's own, or one over its pool where the store does
 * not open one yet. */
async function instance(url: string): Promise<Instance> {
  const store = await openPgStore(url);
  let feed: PgChangeFeed | undefined;
  if (!changeFeedOf(store)) {
    feed = await listenChanges(store.sql);
    Object.assign(store, { changes: feed });
  }
  return { store, feed, hub: new ScoreHub(store, new TestClock()) };
}

const waitFor = async (check: () => boolean, ms: number) => {
  const until = Date.now() + ms;
  while (!check() && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 5));
  return check();
};

/** A change to the site committed through instance `from`'s pool, announced as the store's writers do. */
const commitChange = (from: Instance, site: Site) => transaction(from.store.sql, (tx) => notifyChange(tx, site.id));

beforeAll(async () => {
  db = await freshPgDatabase();
  a = await instance(db.url);
  b = await instance(db.url);
  acme = await a.store.createSite({ slug: 'acme', name: 'Acme IT' }, T0);
});

afterAll(async () => {
  for (const one of [a, b]) {
    if (!one) continue;
    one.hub.close();
    await one.feed?.close();
    await one.store.close();
  }
  await db?.drop();
});

describe('two apps over one PostgreSQL database', () => {
  it("a reaction posted to one reaches the other's score stream within 1 s, and its cached score", async () => {
    const clock = new TestClock(T0);
    const appA = createApp({ store: a.store, clock, config: testConfig() });
    const appB = createApp({ store: b.store, clock, config: testConfig() });
    const { key } = await siteWithKey(a.store, { slug: 'initech', name: 'Initech' });
    const server = await listen(appB);
    const stream = await openStream(`${server.url}/v1/sites/initech/score/stream`);
    try {
      await stream.until(() => stream.events.length >= 1, 'the first score');
      const total = () => (JSON.parse(stream.events.at(-1)!.data) as { counts: { total: number } }).counts.total;
      expect(total()).toBe(0);
      // B's score read is cached from here on (for up to 5 s unless its version moves).
      const readB = async () => ((await (await appB.request('/v1/sites/initech/score')).json()) as { counts: { total: number } }).counts.total;
      expect(await readB()).toBe(0);
      expect(await readB()).toBe(0);

      const created = await appA.request('/v1/sites/initech/surveys', {
        method: 'POST',
        headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ ticketRef: 'T-1' }),
      });
      const { token } = (await created.json()) as { token: string };
      const posted = Date.now();
      const res = await appA.request('/v1/responses', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ token, reaction: 'positive' }),
      });
      expect(res.status).toBe(201);
      const acknowledged = Date.now();
      await stream.until(() => total() === 1, "A's reaction on B's stream", 1_000);
      console.log(`a reaction on app A reached app B's score stream ${Date.now() - posted} ms after it was posted (${Date.now() - acknowledged} ms after A's 201)`);
      expect(await readB()).toBe(1);
    } finally {
      await stream.close();
      await server.close();
    }
  });
});

describe('score hub over a change feed (PostgreSQL LISTEN/NOTIFY)', () => {
  it('a change committed through one instance reaches a listener of the other within 1 s', async () => {
    const heard: Site[] = [];
    const unwatch = b.hub.watch('acme', (site) => heard.push(site));
    const before = b.hub.version('acme');
    const started = Date.now();
    await commitChange(a, acme);
    const arrived = await waitFor(() => heard.length > 0, 1_000);
    console.log(`another instance's change reached this instance's listener after ${Date.now() - started} ms`);
    unwatch();
    expect(arrived).toBe(true);
    expect(heard[0]!.slug).toBe('acme');
    expect(b.hub.version('acme')).toBeGreaterThan(before);
  });

  it('moves the version of a site nobody listens to, so its cached scores are dropped on every instance', async () => {
    expect(b.hub.listenerCount('acme')).toBe(0);
    const before = b.hub.version('acme');
    await commitChange(a, acme);
    expect(await waitFor(() => b.hub.version('acme') > before, 1_000)).toBe(true);
  });

  it('republishes only the site that changed, not every watched one', async () => {
    const other = await a.store.createSite({ slug: 'globex', name: 'Globex' }, T0);
    const heard: string[] = [];
    const off = [b.hub.watch('acme', (s) => heard.push(s.slug)), b.hub.watch('globex', (s) => heard.push(s.slug))];
    await commitChange(a, other);
    expect(await waitFor(() => heard.includes('globex'), 1_000)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(heard).toEqual(['globex']);
    for (const unwatch of off) unwatch();
  });

  it('every change of a burst moves the version, and the listener hears of it', async () => {
    let calls = 0;
    const unwatch = b.hub.watch('acme', () => calls++);
    const heardBefore = b.hub.changesHeard;
    const before = b.hub.version('acme');
    // Separate transactions: PostgreSQL folds duplicate notes only within one.
    await Promise.all(Array.from({ length: 40 }, () => commitChange(a, acme)));
    expect(await waitFor(() => b.hub.version('acme') - before >= 40, 1_000)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 200));
    unwatch();
    expect(calls).toBeGreaterThan(0);
    expect(b.hub.changesHeard - heardBefore).toBeLessThanOrEqual(40);
    console.log(`40 changes: ${calls} watcher calls, ${b.hub.changesHeard - heardBefore} re-reads of the site`);
  });

  it('a broken LISTEN connection counts as a change of every site (notes may have been missed)', async () => {
    const before = b.hub.version('acme');
    const heard: string[] = [];
    const unwatch = b.hub.watch('acme', (s) => heard.push(s.slug));
    const admin = a.store.sql;
    // Cut every LISTEN connection of the database: instance B's (and A's) feed reconnects.
    const cut = await admin`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
      WHERE datname = ${db.name} AND query ILIKE 'listen%' AND pid <> pg_backend_pid()`;
    expect(cut.length).toBeGreaterThanOrEqual(1);
    expect(await waitFor(() => heard.includes('acme'), 5_000)).toBe(true);
    expect(b.hub.version('acme')).toBeGreaterThan(before);
    // And it listens again: the next change arrives as before.
    heard.length = 0;
    await commitChange(a, acme);
    expect(await waitFor(() => heard.length > 0, 1_000)).toBe(true);
    unwatch();
  });
});
