// The wall feed's snapshot is built once per change and shared by every wall of the site, in the
// background: many walls open cost one snapshot per reaction, and other requests go on meanwhile.
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { errorResponse } from '../../api/errors.js';
import { feedRoutes } from '../../api/routes/feed.js';
import { testApi } from './helpers.js';
import { listen } from './http-server.js';
import { openStream } from './sse-reader.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** The feed routes on their own server, sharing the test app's store and hub (reactions go through
 * the test app and reach the walls through that hub), with the snapshot counter in reach. */
async function wallServer(options: { heartbeatMs?: number } = {}) {
  const t = await testApi();
  const feed = feedRoutes({ store: t.store, clock: t.clock, hub: t.app.hub, heartbeatMs: options.heartbeatMs });
  const app = new Hono().route('/v1/sites', feed);
  app.onError((error, c) => errorResponse(c, error, () => {}));
  const server = await listen(app);
  cleanups.push(server.close);
  const open = async (n: number) => {
    const walls = await Promise.all(Array.from({ length: n }, () => openStream(`${server.url}/v1/sites/acme/feed`, { Authorization: `Bearer ${t.key}` })));
    for (const w of walls) cleanups.push(w.close);
    return walls;
  };
  return { t, walls: feed.walls, open };
}

describe('the wall feed shares one snapshot per change', () => {
  it('builds one snapshot for 20 walls connecting and one per reaction after that, the same bytes for all', async () => {
    const { t, walls, open } = await wallServer();
    const all = await open(20);
    for (const w of all) await w.until(() => w.events.length >= 1, 'the first snapshot');
    expect(walls.wallCount('acme')).toBe(20);
    expect(walls.snapshotsBuilt).toBe(1);

    const { token } = await t.createSurvey('T-1', { team: 'Desk' });
    expect((await t.react(token, 'negative', 'slow')).status).toBe(201);
    for (const w of all) await w.until(() => w.events.length >= 2, 'the snapshot after the reaction');
    expect(walls.snapshotsBuilt).toBe(2);
    expect(new Set(all.map((w) => w.events[1]!.data)).size).toBe(1);
    expect(JSON.parse(all[0]!.events[1]!.data)).toMatchObject({ score: { score: -100 }, recent: [{ comment: 'slow', team: 'Desk' }] });

    // A wall that connects now gets the shared snapshot: nothing is built for it.
    const [late] = await open(1);
    await late!.until(() => late!.events.length >= 1, 'the late wall\'s snapshot');
    expect(late!.events[0]!.data).toBe(all[0]!.events[1]!.data);
    expect(walls.snapshotsBuilt).toBe(2);

    for (const w of [...all, late!]) await w.close();
    await new Promise<void>((resolve, reject) => {
      const deadline = Date.now() + 3000;
      const look = () => (walls.wallCount('acme') === 0 ? resolve() : Date.now() > deadline ? reject(new Error('walls still counted')) : setTimeout(look, 20));
      look();
    });
  });

  it('with 200 walls open, a reaction builds one snapshot, and a score read made meanwhile answers', async () => {
    const { t, walls, open } = await wallServer();
    const all = await open(200);
    for (const w of all) await w.until(() => w.events.length >= 1, 'the first snapshot', 10_000);
    const built = walls.snapshotsBuilt;

    const { token } = await t.createSurvey('T-1');
    const [reaction, score] = await Promise.all([
      t.react(token, 'positive'),
      // Issued with the reaction: before, it waited behind 200 snapshot builds.
      new Promise((r) => setTimeout(r, 5)).then(() => t.score()),
    ]);
    expect(reaction.status).toBe(201);
    expect([0, 1]).toContain(score.counts.total); // before or after the commit, but answered
    for (const w of all) await w.until(() => w.events.length >= 2, 'the snapshot after the reaction', 10_000);
    expect(walls.snapshotsBuilt - built).toBe(1);
    expect((await t.score()).counts.total).toBe(1);
  });

  it('sends heartbeats on the wall feed too', async () => {
    const { open } = await wallServer({ heartbeatMs: 50 });
    const [w] = await open(1);
    await w!.until(() => w!.comments.length >= 2, 'two heartbeats');
    expect(w!.comments[0]!.trim()).toBe('heartbeat');
  });
});
