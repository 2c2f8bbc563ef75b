// A CSV download that its client does not read never stalls the server (the built server, a child
// process): while it hangs, respondents' reactions are answered and counted, and once read, the download
// is the whole inbox, valid CSV. That the server then holds a page, not the whole export, is checked in
// test/api/export-backpressure.test.ts, where the pages read can be counted.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';
import { afterEach, describe, expect, it } from 'vitest';
import { CSV_COLUMNS } from '../../api/services/export-csv.js';
import { tempDir } from '../api/helpers.js';
import { freePort, killServers, root, startServer } from './server-process.js';

afterEach(killServers);

const run = promisify(execFile);
const DAY_MS = 86_400_000;
/** Rows of about 1.9 kB each: the export is some 30 MB, far more than the sockets' buffers hold (a few MB
 * on loopback while the client reads nothing), so the server has to wait for the client. */
const ROWS = 16_000;
const COMMENT = 'The printer on the third floor works again, thank you. '.repeat(33).trim();
const REACTIONS = 100;

function writeHistory(file: string): number {
  const now = Date.now();
  const lines = ['date,ticketRef,reaction,comment'];
  for (let i = 0; i < ROWS; i++) lines.push(`${new Date(now - DAY_MS - (i % 60) * DAY_MS - i * 11).toISOString()},OLD-${i},positive,"${COMMENT} #${i}"`);
  const text = `${lines.join('\n')}\n`;
  fs.writeFileSync(file, text);
  return Buffer.byteLength(text);
}

/** CPU time a process has used so far, in clock ticks (Linux). */
function cpuTicks(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/** Resolves once the process has used no CPU for `quietMs`: it has done all it can and waits. */
async function untilIdle(pid: number, quietMs = 1_000): Promise<void> {
  for (let last = cpuTicks(pid); ; ) {
    await sleep(quietMs);
    const now = cpuTicks(pid);
    if (now === last) return;
    last = now;
  }
}

/** POST from a given loopback address: each respondent is a client address of its own, as in real
 * life, and the reaction limit (on, at its default) counts per address. */
function postFrom(localAddress: string, url: string, body: unknown): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: 'POST', localAddress, agent: false, headers: { 'Content-Type': 'application/json' } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (d: string) => (text += d)).on('end', () => resolve({ status: res.statusCode!, text }));
    });
    request.on('error', reject).end(JSON.stringify(body));
  });
}

describe('a CSV download that is not read', () => {
  it(`leaves ${REACTIONS} reactions answered and counted, and ends complete`, { timeout: 300_000 }, async () => {
    const dir = tempDir();
    const db = path.join(dir, 'csat.db');
    const env = { ...process.env, CSAT_DB: db };
    const csat = (...args: string[]) => run(process.execPath, ['bin/csat.js', ...args], { cwd: root, env, maxBuffer: 1 << 24 });
    const key = (await csat('site', 'create', 'acme', '--name', 'Acme IT', '--quiet')).stdout.trim();
    const history = path.join(dir, 'history.csv');
    const historyBytes = writeHistory(history);
    await csat('import', 'acme', history);

    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const { child } = await startServer({ PORT: String(port), CSAT_DB: db, CSAT_DEMO: '0' });
    const tokens: string[] = [];
    for (let i = 0; i < REACTIONS; i++) {
      const created = await fetch(`${base}/v1/sites/acme/surveys`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ ticketRef: `LIVE-${i}` }),
      });
      expect(created.status).toBe(201);
      tokens.push(((await created.json()) as { token: string }).token);
    }
    const scoreTotal = async () => ((await (await fetch(`${base}/v1/sites/acme/score`)).json()) as { counts: { total: number } }).counts.total;
    const before = await scoreTotal();
    expect(before).toBe(ROWS);

    // The download: headers in, then the client stops reading (its socket too, once Node's small
    // buffer is full); the server fills every buffer on the way, then has nothing left to do.
    const chunks: Buffer[] = [];
    const download = await new Promise<http.IncomingMessage>((resolve, reject) => {
      http.get(`${base}/v1/sites/acme/responses.csv`, { agent: false, headers: { Authorization: `Bearer ${key}` } }, (res) => {
        res.pause();
        resolve(res);
      }).on('error', reject);
    });
    expect(download.statusCode).toBe(200);
    await untilIdle(child.pid!);

    // Meanwhile, every reaction is answered and counted, each from an address of its own.
    const answers = await Promise.all(tokens.map((token, i) => postFrom(`127.0.0.${2 + i}`, `${base}/v1/responses`, { token, reaction: 'negative' })));
    expect(answers.filter((a) => a.status !== 201)).toEqual([]);
    expect(await scoreTotal()).toBe(ROWS + REACTIONS);
    // The download was indeed hanging all along, not already over.
    expect(download.complete).toBe(false);

    // Read to the end: every imported rating once, as valid CSV with every column.
    const body = await new Promise<string>((resolve, reject) => {
      download.on('data', (chunk: Buffer) => chunks.push(chunk)).on('end', () => resolve(Buffer.concat(chunks).toString('utf8'))).on('error', reject);
      download.resume();
    });
    expect(Buffer.byteLength(body)).toBeGreaterThan(historyBytes);
    const records = parse(body, { columns: true, bom: true }) as Array<Record<string, string>>;
    expect(Object.keys(records[0]!)).toEqual([...CSV_COLUMNS]);
    const tickets = records.map((r) => r.ticketRef!);
    expect(new Set(tickets).size).toBe(tickets.length);
    const old = tickets.filter((t) => t.startsWith('OLD-'));
    expect(old.length).toBe(ROWS);
    // Reactions that came in after the download began are newer than its first page: not in it.
    expect(tickets.length).toBe(ROWS);
    expect(records.find((r) => r.ticketRef === 'OLD-123')!.comment).toBe(`${COMMENT} #123`);
  });
});
