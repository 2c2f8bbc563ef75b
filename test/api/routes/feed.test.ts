import { afterEach, describe, expect, it } from 'vitest';
import { newAdminKey } from '../../../api/domain/tokens.js';
import { listen } from '../http-server.js';
import { openStream } from '../sse-reader.js';
import { testApi } from '../helpers.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** The feed's snapshots as they arrive; `until(n)` waits for the n-th and parses it. */
async function snapshots(url: string, headers: Record<string, string> = {}) {
  const stream = await openStream(url, headers);
  cleanups.push(stream.close);
  const until = async (n: number) => {
    await stream.until(() => stream.events.length >= n, `snapshot ${n}`);
    return JSON.parse(stream.events[n - 1]!.data);
  };
  return { res: stream.res, until };
}

describe('GET /v1/sites/:site/feed (the wall)', () => {
  it('sends a snapshot on connect and after each reaction, to a read-only wall key in the Authorization header', async () => {
    const t = await testApi();
    const wall = newAdminKey();
    await t.store.addAdminKey({ id: wall.id, siteId: t.site.id, hash: wall.hash, scope: 'wall' }, t.clock.ms);
    const server = await listen(t.app);
    cleanups.push(server.close);
    const feed = await snapshots(`${server.url}/v1/sites/acme/feed`, { Authorization: `Bearer ${wall.key}` });
    expect(feed.res.status).toBe(200);
    const first = await feed.until(1);
    expect(first).toMatchObject({ score: { score: null }, today: { total: 0 }, week: { total: 0 }, recent: [] });
    expect(first.trend).toHaveLength(12);

    const { token } = await t.createSurvey('T-1', { team: 'Desk', technician: 'Ana' });
    await fetch(`${server.url}/v1/responses`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ token, reaction: 'negative', comment: '<b>slow</b>' }) });
    const second = await feed.until(2);
    expect(second.score).toMatchObject({ score: -100 });
    expect(second.today).toEqual({ positive: 0, neutral: 0, negative: 1, total: 1 });
    expect(second.recent[0]).toMatchObject({ reaction: 'negative', comment: '<b>slow</b>', team: 'Desk' });
    expect(JSON.stringify(second)).not.toContain('Ana'); // no per-person figures on the wall
    expect(second.trend[11]).toMatchObject({ score: -100, total: 1 });
  });

  it('takes an admin key too, and refuses no key or another site\'s key', async () => {
    const t = await testApi();
    const server = await listen(t.app);
    cleanups.push(server.close);
    const admin = await snapshots(`${server.url}/v1/sites/acme/feed`, { Authorization: `Bearer ${t.key}` });
    expect(admin.res.status).toBe(200);
    await admin.until(1);
    expect((await t.app.request('/v1/sites/acme/feed')).status).toBe(401);
    const other = await t.store.createSite({ slug: 'other', name: 'Other' }, t.clock.ms);
    const key = newAdminKey();
    await t.store.addAdminKey({ id: key.id, siteId: other.id, hash: key.hash, scope: 'wall' }, t.clock.ms);
    expect((await t.app.request('/v1/sites/acme/feed', { headers: { Authorization: `Bearer ${key.key}` } })).status).toBe(401);
  });

  it('refuses a key in the URL with a 400 that points at the header, even a valid one, even with the header too', async () => {
    const t = await testApi();
    const wall = newAdminKey();
    await t.store.addAdminKey({ id: wall.id, siteId: t.site.id, hash: wall.hash, scope: 'wall' }, t.clock.ms);
    for (const headers of [{}, { Authorization: `Bearer ${wall.key}` }] as Array<Record<string, string>>) {
      const res = await t.app.request(`/v1/sites/acme/feed?key=${wall.key}`, { headers });
      expect(res.status).toBe(400);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('key_in_url');
      expect(body.error.message).toContain('Authorization: Bearer');
      expect(JSON.stringify(body)).not.toContain(wall.key);
    }
    // Every admin route, not only the feed: a key in a URL reaches logs whichever route it was for.
    expect((await t.app.request(`/v1/sites/acme/responses?key=${t.key}`, { headers: { Authorization: `Bearer ${t.key}` } })).status).toBe(400);
    expect((await t.app.request('/v1/sites/acme/responses', { headers: { Authorization: `Bearer ${t.key}` } })).status).toBe(200);
  });
});
