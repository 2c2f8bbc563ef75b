// 1. GET /v1/sites/:site/score against a bare constant route of the same body size on the same app
//    and server process (the limit: the same middleware and HTTP stack, no store and no score).
// 3. The same read revalidated with If-None-Match (304, no body).
import { createApp } from '../api/app.js';
import { systemClock } from '../api/clock.js';
import { DAY_MS } from '../api/domain/window.js';
import { publicScore } from '../api/public-score.js';
import { benchConfig, fmt, importRows, listen, load, openBenchStore, unsynced, type BenchOutput } from './lib.js';

export async function scoreRead(seconds = 3, connections = 10): Promise<BenchOutput> {
  const store = openBenchStore();
  const now = systemClock.now();
  const site = await store.createSite({ slug: 'acme', name: 'Acme IT' }, now - 400 * DAY_MS);
  await unsynced(store.db, () => store.importResponses(site.id, importRows(1_000, now, 365), now));
  const app = createApp({ store, clock: systemClock, config: benchConfig() });

  // The constant body: the score JSON itself, so both routes send the same bytes. (Routes must be
  // added before the first request builds Hono's matcher.)
  const body = JSON.stringify(await publicScore(store, site, systemClock.now()));
  app.get('/bench/constant', (c) => c.body(body, 200, { 'Content-Type': 'application/json; charset=utf-8' }));

  const server = await listen(app);
  try {
    const first = await fetch(`${server.url}/v1/sites/acme/score`);
    const served = await first.text();
    const etag = first.headers.get('ETag');
    if (first.status !== 200 || !etag) throw new Error(`score read failed: ${first.status} ${served}`);
    if (served.length !== body.length) throw new Error(`constant body is ${body.length} chars, the score ${served.length}`);
    const opts = { connections, duration: seconds };
    // Warm both paths (JIT, connections) before measuring.
    await load({ ...opts, url: `${server.url}/v1/sites/acme/score`, duration: 1 });
    await load({ ...opts, url: `${server.url}/bench/constant`, duration: 1 });
    const score = await load({ ...opts, url: `${server.url}/v1/sites/acme/score` });
    const constant = await load({ ...opts, url: `${server.url}/bench/constant` });
    const notModified = await load({ ...opts, url: `${server.url}/v1/sites/acme/score`, headers: { 'If-None-Match': etag } });
    const ratio = score.rps / constant.rps;
    const ok = (r: typeof score, code: string) => r.errors === 0 && r.timeouts === 0 && r.statusCodes[code] === r.total;
    const notes: string[] = [
      `score read: ${connections} connections, ${seconds} s each, autocannon in a worker thread of the same process; body ${Buffer.byteLength(body)} bytes; 1,000 stored responses`,
    ];
    if (!ok(score, '200') || !ok(constant, '200') || !ok(notModified, '304')) {
      notes.push(`unexpected statuses/errors: score ${JSON.stringify(score.statusCodes)} e${score.errors}, constant ${JSON.stringify(constant.statusCodes)} e${constant.errors}, 304 ${JSON.stringify(notModified.statusCodes)} e${notModified.errors}`);
    }
    return {
      rows: [
        { bench: '1 score read', metric: 'GET /score', value: `${fmt.rps(score.rps)}, p50 ${fmt.ms(score.p50)}, p99 ${fmt.ms(score.p99)}`, target: '', pass: null },
        { bench: '1 score read', metric: 'constant JSON (limit)', value: `${fmt.rps(constant.rps)}, p50 ${fmt.ms(constant.p50)}, p99 ${fmt.ms(constant.p99)}`, target: '', pass: null },
        { bench: '1 score read', metric: 'ratio score / constant', value: fmt.ratio(ratio), target: '>= 0.90', pass: ratio >= 0.9 },
        { bench: '1 score read', metric: 'p99 latency of /score', value: fmt.ms(score.p99), target: '<= 5 ms', pass: score.p99 <= 5 },
        { bench: '3 304 path', metric: 'GET /score + If-None-Match', value: `${fmt.rps(notModified.rps)}, p50 ${fmt.ms(notModified.p50)}, p99 ${fmt.ms(notModified.p99)}`, target: '(report)', pass: null },
        { bench: '3 304 path', metric: 'ratio 304 / 200 read', value: fmt.ratio(notModified.rps / score.rps), target: '(report)', pass: null },
      ],
      notes,
      data: { bodyBytes: Buffer.byteLength(body), connections, seconds, score, constant, notModified, ratio },
    };
  } finally {
    await server.close();
    await store.close();
  }
}
