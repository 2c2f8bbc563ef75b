// Live streams follow changes this server did not make: another connection committing to the same
// database file (what `csat import` does from its own process) and the clock crossing UTC midnight.
// Nothing is posted to the server in these tests: only the hub's own watch can bring the new figures.
import { afterEach, describe, expect, it } from 'vitest';
import { DAY_MS } from '../../api/domain/window.js';
import { openSqliteStore } from '../../api/store/sqlite.js';
import type { ImportRow } from '../../api/store/types.js';
import { T0, testApi } from './helpers.js';
import { listen } from './http-server.js';
import { openStream } from './sse-reader.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

const row = (line: number, respondedAt: number, reaction: ImportRow['reaction']): ImportRow => ({ line, respondedAt, ticketRef: `IMP-${line}`, reaction, comment: null });
const lastScore = (events: Array<{ event?: string; data: string }>) => JSON.parse(events.filter((e) => e.event === 'score').at(-1)!.data) as { counts: { total: number; imported: number }; window: { from: string; to: string } };

describe('live streams and changes made elsewhere', () => {
  it('a commit by another connection to the same file reaches an open score stream', async () => {
    const t = await testApi();
    const server = await listen(t.app);
    cleanups.push(server.close);
    const stream = await openStream(`${server.url}/v1/sites/acme/score/stream`);
    cleanups.push(stream.close);
    await stream.until(() => stream.events.length >= 1, 'the first score');
    expect(lastScore(stream.events).counts.total).toBe(0);

    const other = openSqliteStore(t.file);
    cleanups.push(() => other.close());
    await other.importResponses(t.site.id, [row(2, T0 - DAY_MS, 'positive'), row(3, T0 - 2 * DAY_MS, 'negative')], T0);

    await stream.until(() => lastScore(stream.events).counts.total === 2, 'the imported ratings on the open stream', 5000);
    expect(lastScore(stream.events).counts).toMatchObject({ total: 2, imported: 2 });
    // The JSON read, cached per site, follows as well: the republish made its cached copy stale.
    expect((await t.score()).counts).toMatchObject({ total: 2, imported: 2 });
  });

  it('a commit by another connection reaches an open wall feed', async () => {
    const t = await testApi();
    const server = await listen(t.app);
    cleanups.push(server.close);
    const feed = await openStream(`${server.url}/v1/sites/acme/feed`, { Authorization: `Bearer ${t.key}` });
    cleanups.push(feed.close);
    expect(feed.res.status).toBe(200);
    await feed.until(() => feed.events.length >= 1, 'the first snapshot');

    const other = openSqliteStore(t.file);
    cleanups.push(() => other.close());
    await other.importResponses(t.site.id, [row(2, T0 - DAY_MS, 'neutral')], T0);

    await feed.until(() => feed.events.length >= 2, 'a new snapshot after the import', 5000);
    expect(feed.events.at(-1)!.event).toBe('snapshot');
    expect(feed.events.at(-1)!.data).not.toBe(feed.events[0]!.data);
  });

  it('the window moves at UTC midnight: the oldest day leaves the open stream without any reaction', async () => {
    const t = await testApi();
    // On the window's first day: counted today (90 days, today included), gone after midnight.
    await t.store.importResponses(t.site.id, [row(2, T0 - 89 * DAY_MS, 'positive')], T0);
    const server = await listen(t.app);
    cleanups.push(server.close);
    const stream = await openStream(`${server.url}/v1/sites/acme/score/stream`);
    cleanups.push(stream.close);
    await stream.until(() => stream.events.length >= 1, 'the first score');
    const before = lastScore(stream.events);
    expect(before.counts.total).toBe(1);
    expect(before.window.to).toBe('2026-11-23');

    t.clock.advance(12 * 3_600_000 + 60_000); // 00:01 UTC the next day
    await stream.until(() => lastScore(stream.events).window.to === '2026-11-24', 'the score of the new day', 5000);
    expect(lastScore(stream.events).counts.total).toBe(0);
    expect(lastScore(stream.events).window.from).not.toBe(before.window.from);
  });

  it('keeps no watch running once every stream has closed', async () => {
    const t = await testApi();
    const server = await listen(t.app);
    cleanups.push(server.close);
    const stream = await openStream(`${server.url}/v1/sites/acme/score/stream`);
    await stream.until(() => stream.events.length >= 1, 'the first score');
    await stream.close();
    const deadline = Date.now() + 3000;
    while (t.app.hub.listenerCount('acme') > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(t.app.hub.watchingElsewhere()).toBe(false);
  });
});
