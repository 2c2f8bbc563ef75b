// 4. Durable writes: first answers per second over HTTP (synchronous=FULL, WAL) at 1, 16 and 64
//    connections, each request with its own survey token, against the same submits straight through
//    the store without HTTP (the limit). After each run every 201 must be a row in the database.
import fs from 'node:fs';
import path from 'node:path';
import { createApp } from '../api/app.js';
import { systemClock } from '../api/clock.js';
import { newTokenId, surveyToken } from '../api/domain/tokens.js';
import { DAY_MS } from '../api/domain/window.js';
import type { Site, Survey } from '../api/store/types.js';
import { benchConfig, fmt, listen, load, openBenchStore, unsynced, type BenchOutput, type Row } from './lib.js';

const LEVELS = [1, 16, 64] as const;

export async function writes(opts: { seconds?: number } = {}): Promise<BenchOutput> {
  const { seconds = 2 } = opts;
  const file = path.join(path.dirname(new URL(import.meta.url).pathname), 'writes-setup-request.cjs');
  const store = openBenchStore();
  const config = benchConfig();
  const now = systemClock.now();
  const count = (siteId: number) => (store.db.prepare('SELECT count(*) AS n FROM responses WHERE site_id = ?').get(siteId) as { n: number }).n;
  const synchronous = store.db.pragma('synchronous', { simple: true });
  const journal = store.db.pragma('journal_mode', { simple: true });

  /** A site with `n` open surveys, created without fsync (setup, not measured). */
  const surveys = async (slug: string, n: number) => {
    const site = await store.createSite({ slug, name: slug }, now);
    const list: Survey[] = [];
    await unsynced(store.db, async () => {
      for (let i = 0; i < n; i++) {
        const { survey } = await store.createSurvey({ siteId: site.id, ticketRef: `${slug}-${i}`, tokenId: newTokenId(), expiresAt: now + 30 * DAY_MS }, now);
        list.push(survey);
      }
    });
    return { site, list };
  };

  // The limit: store.submitResponse in a loop for `seconds` (it is synchronous underneath, so more
  // concurrency cannot help it), on its own site.
  const direct = await surveys('direct', 20_000);
  let done = 0;
  const started = performance.now();
  while (performance.now() - started < seconds * 1000 && done < direct.list.length) {
    const survey = direct.list[done]!;
    await store.submitResponse({ survey, reaction: 'positive', changeWindowMs: 7 * DAY_MS }, systemClock.now());
    done++;
  }
  const directRate = done / ((performance.now() - started) / 1000);
  const directLost = done - count(direct.site.id);

  const app = createApp({ store, clock: systemClock, config });
  const server = await listen(app);
  const rows: Row[] = [
    { bench: '4 writes', metric: 'store.submitResponse (limit)', value: `${fmt.int(directRate)} writes/s`, target: '', pass: null },
  ];
  const levels: Record<string, unknown>[] = [];
  let lost = Math.max(0, directLost);
  try {
    for (const connections of LEVELS) {
      // A `seconds` run; tokens for 1.2 x the store's own rate over that time (HTTP is slower), so
      // none is reused (a reuse would show up as a 200 change, not a 201).
      const amount = Math.max(connections * 20, Math.min(20_000, Math.round(directRate * seconds * 1.2)));
      const { site, list } = await surveys(`http-${connections}`, amount);
      const tokensFile = path.join(path.dirname(store.db.name), `tokens-${connections}.json`);
      fs.writeFileSync(tokensFile, JSON.stringify(list.map((s: Survey) => surveyToken(config.tokenSecret, s.tokenId))));
      process.env.CSAT_BENCH_TOKENS = tokensFile;
      const r = await load({
        url: `${server.url}/v1/responses`,
        connections,
        duration: seconds,
        timeout: 30,
        requests: [{ method: 'POST', path: '/v1/responses', headers: { 'Content-Type': 'application/json' }, setupRequest: file }],
      });
      const created = r.statusCodes['201'] ?? 0;
      const ok2xx = Object.entries(r.statusCodes).filter(([k]) => k.startsWith('2')).reduce((a, [, v]) => a + v, 0);
      const inDb = count(site.id);
      const lostHere = Math.max(0, created - inDb);
      lost += lostHere;
      const ratio = r.rps / directRate;
      levels.push({ connections, amount, ...r, created, ok2xx, inDb, lost: lostHere, ratio, site: (site as Site).slug });
      rows.push(
        {
          bench: '4 writes',
          metric: `HTTP POST /v1/responses, ${connections} conn.`,
          value: `${fmt.int(r.rps)} writes/s, p50 ${fmt.ms(r.p50)}, p99 ${fmt.ms(r.p99)}; ${created} x 201, ${r.total - ok2xx} non-2xx, ${r.errors} errors`,
          target: '',
          pass: null,
        },
        { bench: '4 writes', metric: `ratio HTTP / store, ${connections} conn.`, value: fmt.ratio(ratio), target: '(report)', pass: null },
        { bench: '4 writes', metric: `lost writes, ${connections} conn. (201s vs rows)`, value: `${lostHere} (${created} acknowledged, ${inDb} stored)`, target: '0', pass: lostHere === 0, hard: true },
      );
    }
  } finally {
    await server.close();
    await store.close();
  }
  rows.push({ bench: '4 writes', metric: 'lost writes, store.submitResponse', value: String(Math.max(0, directLost)), target: '0', pass: directLost <= 0, hard: true });
  return {
    rows,
    notes: [
      `writes: SQLite journal_mode=${String(journal)}, synchronous=${String(synchronous)} (2 = FULL), database in ${path.dirname(store.db.name)} (os.tmpdir()); each HTTP request answers its own pre-created survey (first answer, 201); autocannon in a worker thread; the store limit is a sequential loop of ${fmt.int(done)} submits over ${seconds} s in the same process. "Lost" compares acknowledged 201s with rows read back on the same connection after the run; it does not simulate a crash.`,
    ],
    data: { directRate, directDone: done, directLost, levels, lost, synchronous, journal },
  };
}
