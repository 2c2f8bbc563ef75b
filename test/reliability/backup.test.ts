// `csat backup` while the built server takes reactions from concurrent clients: the copy must hold every
// reaction acknowledged before the backup started, pass SQLite's integrity check, and have an intact
// event chain and daily counts equal to a recount; the writers must not be stopped by it.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyChain } from '../../api/domain/chain.js';
import { checkDatabase } from '../../api/store/backup.js';
import { openSqliteStore } from '../../api/store/sqlite.js';
import { tempDir } from '../api/helpers.js';
import { freePort, killServers, root, startServer } from '../e2e/server-process.js';

afterEach(killServers);

const run = promisify(execFile);
const csat = (args: string[]) => run(process.execPath, ['bin/csat.js', ...args], { cwd: root });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const REACTIONS = ['positive', 'neutral', 'negative'] as const;

interface Ack {
  ticketRef: string;
  reaction: string;
  at: number;
}

describe('csat backup', () => {
  it('copies a live database without stopping writers and keeps every reaction acknowledged before it', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'live.db');
    const copy = path.join(dir, 'backups', 'copy.db');
    const created = await csat(['site', 'create', 'live', '--name', 'Live', '--db', db]);
    const adminKey = /Admin key \(shown once, store it now\): (\S+)/.exec(created.stdout)![1]!;
    // Some history, so the copy spans a few thousand pages rather than a handful.
    const history = path.join(dir, 'history.csv');
    const rows = Array.from({ length: 20_000 }, (_, i) => `2026-0${1 + (i % 9)}-1${i % 10},H-${i},${REACTIONS[i % 3]},${'history '.repeat(i % 20)}`);
    fs.writeFileSync(history, `date,ticketRef,reaction,comment\n${rows.join('\n')}\n`);
    await csat(['import', 'live', history, '--db', db]);

    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const server = await startServer({ PORT: String(port), CSAT_DB: db, CSAT_DEMO: '0', CSAT_RATE_LIMIT: '1000000' });

    const acks: Ack[] = [];
    const refusals: number[] = [];
    const surveysCreated: number[] = []; // survey creation is a write too, and is not rate-limited
    const stop = { value: false };
    async function client(id: number) {
      for (let n = 0; !stop.value; n++) {
        const ticketRef = `B-${id}-${n}`;
        const survey = await fetch(`${base}/v1/sites/live/surveys`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${adminKey}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ ticketRef }),
        });
        expect(survey.status).toBe(201);
        surveysCreated.push(Date.now());
        const { token } = (await survey.json()) as { token: string };
        const reaction = REACTIONS[(id + n) % 3]!;
        const res = await fetch(`${base}/v1/responses`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ token, reaction }) });
        if (res.ok) acks.push({ ticketRef, reaction, at: Date.now() });
        else refusals.push(res.status);
        await res.text();
        if (res.status === 429) await sleep(20);
      }
    }
    const clients = Array.from({ length: 8 }, (_, id) => client(id));
    try {
      // Writers must be under way before the backup starts: wait for acknowledgements rather than a fixed
      // time (a loaded machine may take longer than 400 ms for the first ones).
      for (const started = Date.now(); acks.length < 20 && Date.now() - started < 15_000; ) await sleep(50);
      const before = acks.slice(); // acknowledged before the backup started
      const backupStarted = Date.now();
      const backup = await csat(['backup', copy, '--db', db]);
      const backupEnded = Date.now();
      await sleep(100);
      stop.value = true;
      await Promise.all(clients);

      console.log(backup.stdout.trim());
      const within = (at: number) => at > backupStarted && at < backupEnded;
      const during = acks.filter((a) => within(a.at)).length;
      const writesDuring = during + surveysCreated.filter(within).length;
      console.log(
        `backup harness: ${before.length} reactions acknowledged before the backup, ${during} during it ` +
          `(${writesDuring} writes in all during its ${backupEnded - backupStarted} ms), ` +
          `${acks.length} in all${refusals.length ? `, ${refusals.length} refused (${[...new Set(refusals)].join(', ')})` : ''}`,
      );
      expect(backup.stdout).toContain('Integrity check: ok.');
      expect(backup.stdout).toMatch(/live: \d+ responses, \d+ events, chain intact, daily counts equal to a recount\./);
      expect(before.length).toBeGreaterThan(0);
      expect(writesDuring, 'writers went on while the backup ran').toBeGreaterThan(0);

      const check = await checkDatabase(copy);
      expect(check.integrity).toBe('ok');
      expect(check.sites).toEqual([expect.objectContaining({ slug: 'live', chainValid: true, mismatches: 0 })]);

      const store = openSqliteStore(copy);
      try {
        const site = (await store.getSite('live'))!;
        const stored = store.db.prepare<[number, string], { reaction: string }>('SELECT reaction FROM responses WHERE site_id = ? AND ticket_ref = ?');
        const missing = before.filter((a) => stored.get(site.id, a.ticketRef)?.reaction !== a.reaction);
        expect(missing.map((a) => a.ticketRef)).toEqual([]);
        expect(verifyChain(await store.listEvents(site.id))).toMatchObject({ valid: true });
        expect(await store.countMismatches(site.id)).toEqual([]);
      } finally {
        await store.close();
      }
    } finally {
      stop.value = true;
      await Promise.allSettled(clients);
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });
});
