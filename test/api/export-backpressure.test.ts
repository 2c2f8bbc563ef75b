// The CSV export waits for its client: over a real HTTP server, a download that is not read makes the
// server stop reading pages once the sockets' buffers are full, instead of reading the whole export into
// memory; read later, it is complete. The pages are counted on the store the app is given (the real
// SQLite store, its exportPage counted on the way).
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { parse } from 'csv-parse/sync';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.js';
import { DAY_MS } from '../../api/domain/window.js';
import { openSqliteStore } from '../../api/store/sqlite.js';
import type { ImportRow, Store } from '../../api/store/types.js';
import { siteWithKey, T0, tempDbFile, testConfig, TestClock } from './helpers.js';
import { listen } from './http-server.js';

const ROWS = 8_000;
/** The export's page size (api/services/export-csv.ts). */
const PAGE = 200;
const COMMENT = 'The printer on the third floor works again, thank you. '.repeat(33).trim();

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** Resolves once `value()` has not changed for `quietMs`. */
async function settled(value: () => number, quietMs = 750): Promise<number> {
  for (let last = value(); ; ) {
    await sleep(quietMs);
    if (value() === last) return last;
    last = value();
  }
}

describe('a CSV download that is not read', () => {
  it('stops the export reading pages until the client reads, then delivers every row', { timeout: 300_000 }, async () => {
    const store = openSqliteStore(tempDbFile());
    const { site, key } = await siteWithKey(store);
    const rows: ImportRow[] = Array.from({ length: ROWS }, (_, i) => ({
      line: i + 2,
      respondedAt: T0 - DAY_MS - i * 60_000,
      ticketRef: `OLD-${i}`,
      reaction: 'positive',
      comment: `${COMMENT} #${i}`,
    }));
    await store.importResponses(site.id, rows, T0);

    let pages = 0;
    const counted = Object.create(store) as Store;
    counted.exportPage = async (...args) => {
      pages++;
      return store.exportPage(...args);
    };
    const server = await listen(createApp({ store: counted, clock: new TestClock(), config: testConfig() }));
    closers.push(server.close, () => store.close());

    const download = await new Promise<http.IncomingMessage>((resolve, reject) => {
      http.get(`${server.url}/v1/sites/acme/responses.csv`, { agent: false, headers: { Authorization: `Bearer ${key}` } }, (res) => {
        res.pause();
        resolve(res);
      }).on('error', reject);
    });
    expect(download.statusCode).toBe(200);
    // Some 380 kB of CSV a page: the sockets' buffers (a few MB on loopback) hold a dozen pages or so,
    // far from the 40 pages of the whole export.
    const whilePaused = await settled(() => pages);
    expect(whilePaused).toBeGreaterThan(0);
    expect(whilePaused).toBeLessThan(ROWS / PAGE / 2);
    expect(download.complete).toBe(false);

    const chunks: Buffer[] = [];
    const body = await new Promise<string>((resolve, reject) => {
      download.on('data', (chunk: Buffer) => chunks.push(chunk)).on('end', () => resolve(Buffer.concat(chunks).toString('utf8'))).on('error', reject);
      download.resume();
    });
    const records = parse(body, { columns: true }) as Array<Record<string, string>>;
    expect(records.length).toBe(ROWS);
    expect(new Set(records.map((r) => r.ticketRef)).size).toBe(ROWS);
    expect(pages).toBeGreaterThanOrEqual(ROWS / PAGE);
  });
});
