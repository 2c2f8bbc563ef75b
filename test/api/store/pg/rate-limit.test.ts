// The reaction rate limit shared by instances: two apps, each with its own limiter and its own pool,
// over one PostgreSQL database count one budget per client address.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Sql } from '../../../../api/store/pg/connection.js';
import { migratePg } from '../../../../api/store/pg/migrations.js';
import { PgRateLimitStore } from '../../../../api/store/pg/rate-limit.js';
import { freshPgDatabase, type PgDatabase } from '../../../pg-database.js';
import { testApi } from '../../helpers.js';

let db: PgDatabase;
let pools: Sql[] = [];

beforeAll(async () => {
  db = await freshPgDatabase();
  pools = [connect(db.url), connect(db.url), connect(db.url)];
  await migratePg(pools[0]!);
});

afterAll(async () => {
  await Promise.all(pools.map((pool) => pool.end({ timeout: 1 })));
  await db?.drop();
});

/** Two apps as two instances would run them: separate databases of their own, one shared limit. */
async function twoInstances(windowMs: number, limit: number, prefix: string) {
  const config = (pool: Sql) => ({ rateLimit: { windowMs, limit }, trustProxy: true, rateLimitStore: new PgRateLimitStore(pool, prefix) });
  const a = await testApi({ config: config(pools[0]!) });
  const b = await testApi({ config: config(pools[1]!) });
  const react = (api: typeof a, address: string) =>
    api.json('POST', '/v1/responses', { token: 'not-a-token', reaction: 'positive' }, { 'X-Forwarded-For': address });
  return { a, b, react };
}

describe('shared reaction rate limit (PostgreSQL)', () => {
  it('two apps over one database share one budget per client address', async () => {
    const { a, b, react } = await twoInstances(60_000, 4, 'share:');
    const statuses: number[] = [];
    for (const api of [a, b, a, b, a, b]) statuses.push((await react(api, '203.0.113.7')).status);
    // Four reactions in all pass the limiter (and fail on the made-up token), then both instances refuse.
    expect(statuses.map((s) => s === 429)).toEqual([false, false, false, false, true, true]);
    const limited = await react(a, '203.0.113.7');
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get('Retry-After'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // Another address has a budget of its own, on either instance.
    expect((await react(b, '198.51.100.2')).status).not.toBe(429);
    await Promise.all([a.store.close(), b.store.close()]);
  });

  it('concurrent reactions from one address over both instances grant exactly the limit', async () => {
    const { a, b, react } = await twoInstances(60_000, 10, 'burst:');
    const statuses = await Promise.all(Array.from({ length: 30 }, (_, i) => Promise.resolve(react(i % 2 ? a : b, '192.0.2.44')).then((r) => r.status)));
    expect(statuses.filter((s) => s !== 429)).toHaveLength(10);
    await Promise.all([a.store.close(), b.store.close()]);
  });

  it('a new window starts a new budget, and ended windows are swept from the table', async () => {
    const store = new PgRateLimitStore(pools[2]!, 'window:');
    store.init({ windowMs: 300 } as Parameters<PgRateLimitStore['init']>[0]);
    expect((await store.increment('192.0.2.1')).totalHits).toBe(1);
    expect((await store.increment('192.0.2.1')).totalHits).toBe(2);
    expect((await store.get('192.0.2.1'))?.totalHits).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(await store.get('192.0.2.1')).toBeUndefined();
    await store.increment('192.0.2.2'); // this hit's sweep deletes 192.0.2.1's ended window
    const swept = async () => (await pools[2]!`SELECT key FROM rate_limit_hits WHERE starts_with(key, 'window:') ORDER BY key`).map((r) => r.key);
    const until = Date.now() + 1_000;
    while ((await swept()).includes('window:192.0.2.1') && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await swept()).toEqual(['window:192.0.2.2']);
    const again = await store.increment('192.0.2.1');
    expect(again.totalHits).toBe(1);
    expect(again.resetTime!.getTime()).toBeGreaterThan(Date.now());
  });

  it('decrement and reset give hits back; reset of all keys stays within the prefix', async () => {
    const store = new PgRateLimitStore(pools[2]!, 'reset:');
    const other = new PgRateLimitStore(pools[2]!, 'other:');
    for (const s of [store, other]) s.init({ windowMs: 60_000 } as Parameters<PgRateLimitStore['init']>[0]);
    await store.increment('k');
    await store.increment('k');
    await store.decrement('k');
    expect((await store.get('k'))?.totalHits).toBe(1);
    await store.resetKey('k');
    expect(await store.get('k')).toBeUndefined();
    await store.increment('k');
    await other.increment('k');
    await store.resetAll();
    expect(await store.get('k')).toBeUndefined();
    expect((await other.get('k'))?.totalHits).toBe(1);
  });
});
