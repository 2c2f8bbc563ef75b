import { afterEach, describe, expect, it } from 'vitest';
import { listen } from '../http-server.js';
import { openStream } from '../sse-reader.js';
import { testApi } from '../helpers.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

describe('GET /v1/sites/:site/score/stream', () => {
  it('sends the score on connect and again after every change, then cleans up on disconnect', async () => {
    const t = await testApi();
    const server = await listen(t.app);
    cleanups.push(server.close);
    const stream = await openStream(`${server.url}/v1/sites/acme/score/stream`);
    cleanups.push(stream.close);
    expect(stream.res.status).toBe(200);
    expect(stream.res.headers.get('Content-Type')).toMatch(/^text\/event-stream/);
    expect(stream.res.headers.get('Access-Control-Allow-Origin')).toBe('*');

    await stream.until(() => stream.events.length >= 1, 'the first score');
    expect(stream.events[0]!.event).toBe('score');
    expect(JSON.parse(stream.events[0]!.data)).toMatchObject({ site: 'acme', score: null });
    expect(t.app.hub.listenerCount('acme')).toBe(1);

    const { token } = await t.createSurvey('T-1');
    await fetch(`${server.url}/v1/responses`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ token, reaction: 'negative' }) });
    await stream.until(() => stream.events.length >= 2, 'the changed score');
    expect(JSON.parse(stream.events[1]!.data)).toMatchObject({ score: -100, counts: { negative: 1, total: 1 } });

    await fetch(`${server.url}/v1/responses`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ token, reaction: 'positive' }) });
    await stream.until(() => stream.events.length >= 3, 'the score after a change of mind');
    expect(JSON.parse(stream.events[2]!.data)).toMatchObject({ score: 100, counts: { positive: 1, negative: 0, total: 1 } });

    await stream.close();
    const deadline = Date.now() + 3000;
    while (t.app.hub.listenerCount('acme') > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(t.app.hub.listenerCount('acme')).toBe(0);
  });

  it('sends heartbeat comments so idle proxies keep the connection', async () => {
    const t = await testApi({ config: { heartbeatMs: 50 } });
    const server = await listen(t.app);
    cleanups.push(server.close);
    const stream = await openStream(`${server.url}/v1/sites/acme/score/stream`);
    cleanups.push(stream.close);
    await stream.until(() => stream.comments.length >= 2, 'two heartbeats');
    expect(stream.comments[0]!.trim()).toBe('heartbeat');
  });

  it('only tells listeners of the site that changed', async () => {
    const t = await testApi();
    await t.store.createSite({ slug: 'other', name: 'Other' }, t.clock.ms);
    const server = await listen(t.app);
    cleanups.push(server.close);
    const other = await openStream(`${server.url}/v1/sites/other/score/stream`);
    cleanups.push(other.close);
    const acme = await openStream(`${server.url}/v1/sites/acme/score/stream`);
    cleanups.push(acme.close);
    await other.until(() => other.events.length >= 1, 'first score of other');
    await acme.until(() => acme.events.length >= 1, 'first score of acme');
    const { token } = await t.createSurvey('T-1');
    await fetch(`${server.url}/v1/responses`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ token, reaction: 'positive' }) });
    await acme.until(() => acme.events.length >= 2, 'acme change');
    expect(other.events).toHaveLength(1);
  });

  it('sends each listener the score of the window it asked for', async () => {
    const t = await testApi({ site: { windowDays: 90 } });
    const { token: old } = await t.createSurvey('T-old');
    await t.react(old, 'negative');
    t.clock.advanceDays(20); // the negative is now outside a 7-day window
    const server = await listen(t.app);
    cleanups.push(server.close);
    const week = await openStream(`${server.url}/v1/sites/acme/score/stream?window=7`);
    cleanups.push(week.close);
    const quarter = await openStream(`${server.url}/v1/sites/acme/score/stream`);
    cleanups.push(quarter.close);
    await week.until(() => week.events.length >= 1, 'first weekly score');
    await quarter.until(() => quarter.events.length >= 1, 'first quarterly score');
    const { token } = await t.createSurvey('T-new');
    await fetch(`${server.url}/v1/responses`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ token, reaction: 'positive' }) });
    await week.until(() => week.events.length >= 2, 'weekly change');
    await quarter.until(() => quarter.events.length >= 2, 'quarterly change');
    expect(JSON.parse(week.events[1]!.data)).toMatchObject({ window: { days: 7 }, score: 100, counts: { total: 1 } });
    expect(JSON.parse(quarter.events[1]!.data)).toMatchObject({ window: { days: 90 }, score: 0, counts: { total: 2 } });
    expect((await t.app.request('/v1/sites/acme/score/stream?window=3')).status).toBe(400);
  });

  it('answers 404 for an unknown site without opening a stream', async () => {
    const t = await testApi();
    const res = await t.app.request('/v1/sites/nobody/score/stream');
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe('site_not_found');
  });
});
