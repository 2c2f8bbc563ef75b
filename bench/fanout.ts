// 5. Live fan-out: N SSE clients of one site's score on one server process (this one), one reaction,
//    and the time until every client has the new score. The clients run in a child node process so
//    they do not share the server's event loop or its memory figure.
import { fork } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createApp } from '../api/app.js';
import { systemClock } from '../api/clock.js';
import { newTokenId, surveyToken } from '../api/domain/tokens.js';
import { DAY_MS } from '../api/domain/window.js';
import { benchConfig, fmt, listen, openBenchStore, percentile, sleep, type BenchOutput, type Row } from './lib.js';

/** The soft and hard open-file limits of this process (children inherit them). */
export function fileLimit(): { soft: number; hard: number } {
  const line = fs.readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max open files'));
  const [soft, hard] = (line?.match(/\d+|unlimited/g) ?? []).map((v) => (v === 'unlimited' ? Infinity : Number(v)));
  return { soft: soft ?? NaN, hard: hard ?? NaN };
}

async function once(n: number) {
  const store = openBenchStore();
  const config = benchConfig();
  const now = systemClock.now();
  const site = await store.createSite({ slug: 'acme', name: 'Acme IT' }, now);
  const { survey } = await store.createSurvey({ siteId: site.id, ticketRef: 'T-1', tokenId: newTokenId(), expiresAt: now + DAY_MS }, now);
  const server = await listen(createApp({ store, clock: systemClock, config }));
  const rssBefore = process.memoryUsage().rss;
  const child = fork(path.join(import.meta.dirname, 'fanout-client.mjs'), [`${server.url}/v1/sites/acme/score/stream`, String(n)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: [],
  });
  const next = <T>(type: string, ms: number) =>
    new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`fan-out client: no ${type} within ${ms} ms`)), ms);
      const onMessage = (m: { type: string }) => {
        if (m.type !== type) return;
        clearTimeout(timer);
        child.off('message', onMessage);
        resolve(m as T);
      };
      child.on('message', onMessage);
      child.once('exit', (code) => reject(new Error(`fan-out client exited (${code}) before ${type}`)));
    });
  try {
    const ready = await next<{ opened: number; error: string | null; connectMs: number }>('ready', 120_000);
    await sleep(500); // let the first events' writes settle
    const rssConnected = process.memoryUsage().rss;
    const t0 = process.hrtime.bigint();
    const res = await fetch(`${server.url}/v1/responses`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ token: surveyToken(config.tokenSecret, survey.tokenId), reaction: 'positive' }),
    });
    if (res.status !== 201) throw new Error(`reaction failed: ${res.status} ${await res.text()}`);
    const collecting = next<{ received: number; delays: number[] }>('result', 15_000);
    child.send({ type: 'collect', t0: t0.toString(), timeoutMs: 10_000 });
    const result = await collecting;
    const rssAfter = process.memoryUsage().rss;
    const d = result.delays;
    return {
      n,
      opened: ready.opened,
      connectError: ready.error,
      connectMs: ready.connectMs,
      received: result.received,
      p50: percentile(d, 50),
      p99: percentile(d, 99),
      max: d.length ? d[d.length - 1]! : NaN,
      rssBefore,
      rssConnected,
      rssAfter,
    };
  } finally {
    if (child.exitCode === null) child.kill();
    await server.close();
    await store.close();
  }
}

export async function fanout(): Promise<BenchOutput> {
  const limit = fileLimit();
  const rows: Row[] = [];
  const notes: string[] = [];
  const data: Record<string, unknown> = { fileLimit: { soft: String(limit.soft), hard: String(limit.hard) } };
  // Each side holds one descriptor per connection (server and client are separate processes).
  const sizes = [1_000, 10_000].filter((n) => {
    if (n + 500 <= limit.soft) return true;
    notes.push(`fan-out: ${n.toLocaleString('en-US')} clients skipped: the open-file limit is ${limit.soft} (soft) / ${limit.hard} (hard), and Node cannot raise it`);
    return false;
  });
  for (const n of sizes) {
    const r = await once(n);
    data[`n${n}`] = r;
    const all = r.received === n;
    const label = n.toLocaleString('en-US');
    rows.push(
      {
        bench: '5 fan-out',
        metric: `${label} SSE clients: new score delay`,
        value: `p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, max ${r.max.toFixed(1)} ms; ${r.received}/${n} received`,
        target: n === 10_000 ? 'all within 1 s' : '(report)',
        pass: n === 10_000 ? all && r.max <= 1000 : null,
      },
      {
        bench: '5 fan-out',
        metric: `${label} SSE clients: server RSS`,
        value: `${fmt.mb(r.rssBefore)} before, ${fmt.mb(r.rssConnected)} connected, ${fmt.mb(r.rssAfter)} after (+${fmt.mb(r.rssAfter - r.rssBefore)})`,
        target: n === 10_000 ? '< 150 MB' : '(report)',
        pass: n === 10_000 ? Math.max(r.rssConnected, r.rssAfter) < 150 * 1024 * 1024 : null,
      },
    );
    if (r.connectError) notes.push(`fan-out ${label}: only ${r.opened} streams opened: ${r.connectError}`);
    notes.push(`fan-out ${label}: streams opened in ${(r.connectMs / 1000).toFixed(1)} s by a child node process; delays from just before the POST to each client's parsed event.`);
  }
  notes.push(
    `fan-out: RSS is this whole bench process (server + tsx + the benchmark code), measured with process.memoryUsage().rss, so it overstates the server alone; open-file limit ${limit.soft}/${limit.hard}.`,
  );
  return { rows, notes, data };
}
