// Live streams at scale, over real HTTP: one serialisation per change however many listen, a burst of
// changes merged, the per-address cap, a client that stops reading dropped, HEAD without a stream.
import net from 'node:net';
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { errorResponse } from '../../api/errors.js';
import { sseFrame } from '../../api/live/sse-frame.js';
import { scoreStreamRoutes } from '../../api/routes/score-stream.js';
import { liveStream } from '../../api/live/sse.js';
import { testApi } from './helpers.js';
import { listen } from './http-server.js';
import { openStream } from './sse-reader.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function until(done: () => boolean, what: string, ms = 5000) {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function streams(url: string, n: number) {
  const opened = [];
  for (let i = 0; i < n; i++) {
    const s = await openStream(url);
    cleanups.push(s.close);
    opened.push(s);
  }
  return opened;
}

describe('score streams: one serialisation per change', () => {
  it('serialises the score once for 25 streams on connect and once per reaction, and all get the same bytes', async () => {
    const t = await testApi();
    const server = await listen(t.app);
    cleanups.push(server.close);
    const all = await streams(`${server.url}/v1/sites/acme/score/stream`, 25);
    for (const s of all) await s.until(() => s.events.length >= 1, 'the first score');
    expect(t.app.hub.framesBuilt).toBe(1);

    const { token } = await t.createSurvey('T-1');
    expect((await t.react(token, 'negative')).status).toBe(201);
    for (const s of all) await s.until(() => s.events.length >= 2, 'the new score');
    expect(t.app.hub.framesBuilt).toBe(2);
    expect(new Set(all.map((s) => s.events[1]!.data)).size).toBe(1);
    expect(JSON.parse(all[0]!.events[1]!.data)).toMatchObject({ score: -100, counts: { total: 1 } });
  });

  it('merges a burst of publishes into a follow-up run: 50 publishes compute the score twice, and the last figures are sent', async () => {
    const t = await testApi();
    const server = await listen(t.app);
    cleanups.push(server.close);
    const [s] = await streams(`${server.url}/v1/sites/acme/score/stream`, 1);
    await s!.until(() => s!.events.length >= 1, 'the first score');
    const { token } = await t.createSurvey('T-1');
    expect((await t.react(token, 'positive')).status).toBe(201);
    await s!.until(() => s!.events.length >= 2, 'the score with the reaction');
    const before = t.app.hub.framesBuilt;
    // The first publish runs; the 49 that arrive while it runs are merged into one follow-up run.
    await Promise.all(Array.from({ length: 50 }, () => t.app.hub.publish(t.site)));
    expect(t.app.hub.framesBuilt - before).toBe(2);
    await s!.until(() => s!.events.length >= 3, 'the follow-up');
    expect(s!.events.length).toBeLessThanOrEqual(4);
    expect(JSON.parse(s!.events.at(-1)!.data)).toMatchObject({ counts: { total: 1 } });
    expect(t.app.hub.version('acme')).toBe(51);
  });
});

describe('sseFrame', () => {
  it('writes one data line per line of the data, the event name and the reconnect delay', () => {
    expect(sseFrame('score', '{"a":1}', 3000).toString()).toBe('event: score\ndata: {"a":1}\nretry: 3000\n\n');
    expect(sseFrame('note', 'one\ntwo\r\nthree').toString()).toBe('event: note\ndata: one\ndata: two\ndata: three\n\n');
  });
});

describe('the per-address cap on open streams', () => {
  async function cappedServer(config: Parameters<typeof scoreStreamRoutes>[0]['config']) {
    const t = await testApi();
    const app = new Hono().route('/v1/sites', scoreStreamRoutes({ store: t.store, clock: t.clock, hub: t.app.hub, config }));
    app.onError((error, c) => errorResponse(c, error, () => {}));
    const server = await listen(app);
    cleanups.push(server.close);
    return { t, url: `${server.url}/v1/sites/acme/score/stream` };
  }

  it('answers a stream over the cap 429 with Retry-After and a JSON error, and frees the slot when a stream closes', async () => {
    const { t, url } = await cappedServer({ streamsPerAddress: { badge: 2 } });
    const [first, second] = await streams(url, 2);
    expect([first!.res.status, second!.res.status]).toEqual([200, 200]);
    const refused = await fetch(url);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('Retry-After'))).toBeGreaterThanOrEqual(1);
    expect(refused.headers.get('Access-Control-Allow-Origin')).toBe('*');
    expect((await refused.json()).error.code).toBe('too_many_streams');
    expect(t.app.hub.listenerCount('acme')).toBe(2);

    await first!.close();
    // The slot is freed when the server sees the socket close.
    let status = 0;
    for (let i = 0; i < 100 && status !== 200; i++) {
      const retry = await openStream(url);
      cleanups.push(retry.close);
      status = retry.res.status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 30));
    }
    expect(status).toBe(200);
  });

  it('counts the address a trusted proxy names, so clients behind it are not one address', async () => {
    const { url } = await cappedServer({ streamsPerAddress: { badge: 1 }, trustProxy: true });
    const a = await openStream(url, { 'X-Forwarded-For': '203.0.113.1' });
    cleanups.push(a.close);
    const b = await openStream(url, { 'X-Forwarded-For': '203.0.113.2' });
    cleanups.push(b.close);
    expect([a.res.status, b.res.status]).toEqual([200, 200]);
    const refused = await fetch(url, { headers: { 'X-Forwarded-For': '203.0.113.1' } });
    expect(refused.status).toBe(429);
    await refused.body?.cancel();
  });

  it('a HEAD answers headers only over HTTP: no body, no listener, no slot taken', async () => {
    const { t, url } = await cappedServer({ streamsPerAddress: { badge: 1 } });
    for (let i = 0; i < 3; i++) {
      const head = await fetch(url, { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(head.headers.get('Content-Type')).toMatch(/^text\/event-stream/);
      expect(await head.text()).toBe('');
    }
    expect(t.app.hub.listenerCount('acme')).toBe(0);
    const s = await openStream(url);
    cleanups.push(s.close);
    expect(s.res.status).toBe(200);
  });
});

describe('the end of a stream', () => {
  it('a server closing its connections ends the open streams (a stopping server does this after 2 s)', async () => {
    const t = await testApi();
    const server = await listen(t.app);
    const res = await fetch(`${server.url}/v1/sites/acme/score/stream`);
    const reader = res.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toContain('event: score');
    // Give the stream time to leave the HTTP server's hands, then close everything.
    await new Promise((r) => setTimeout(r, 50));
    await server.close();
    let done = false;
    while (!done) done = (await reader.read().catch(() => ({ done: true }))).done;
    expect(done).toBe(true);
    await until(() => t.app.hub.listenerCount('acme') === 0, 'the listener gone');
  });
});

describe('a client that stops reading', () => {
  it('is dropped once its unsent bytes pass the limit, instead of being buffered for without end', async () => {
    const big = { seq: 0, bytes: sseFrame('score', 'x'.repeat(256 * 1024)) };
    let sent = 0;
    let closed = false;
    const app = new Hono().get('/stream', (c) =>
      liveStream(c, { heartbeatMs: 60_000, maxUnsentBytes: 64 * 1024, onClose: () => (closed = true) }, (client) => {
        // 400 frames of 256 KB (100 MB) unless the stream is dropped first.
        const timer = setInterval(() => {
          if (sent >= 400) return clearInterval(timer);
          client.send({ seq: ++sent, bytes: big.bytes });
        }, 2);
        return () => clearInterval(timer);
      }),
    );
    const server = await listen(app);
    cleanups.push(server.close);
    const { port } = new URL(server.url);
    const socket = net.connect(Number(port), '127.0.0.1');
    cleanups.push(() => void socket.destroy());
    let received = 0;
    let ended = false;
    socket.on('data', (chunk) => (received += chunk.length));
    socket.on('close', () => (ended = true));
    socket.on('error', () => {});
    socket.write('GET /stream HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n');
    await until(() => received > 0, 'the headers');
    socket.pause(); // reads nothing more: the kernel buffers fill, then the server's
    await until(() => closed, 'the server dropping the stream', 20_000);
    expect(sent).toBeLessThan(400);
    socket.resume();
    await until(() => ended, 'the connection closed');
    // It got at most what the kernel buffers held before the drop, far from the 100 MB sent to it.
    expect(received).toBeLessThan(sent * big.bytes.length);
  });
});
