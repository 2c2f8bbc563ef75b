// The crash harness: the built server as a real process takes reactions from concurrent clients and is
// SIGKILLed at a random moment, again and again, on the same database. Every reaction the server
// acknowledged (2xx) must survive, with the daily counts, the event chain and the file itself intact.
// Replay a run with CSAT_CRASH_SEED=<seed> (printed on every run); CSAT_CRASH_CYCLES sets the cycles.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyChain } from '../../api/domain/chain.js';
import { openSqliteStore } from '../../api/store/sqlite.js';
import { tempDir } from '../api/helpers.js';
import { freePort, killServers, root, startServer } from '../e2e/server-process.js';
import { seededRandom } from '../../api/domain/seeded-random.js';

afterEach(killServers);

const CLIENTS = 8;
const CYCLES = Number(process.env.CSAT_CRASH_CYCLES ?? 24);
const REACTIONS = ['positive', 'neutral', 'negative'] as const;
type Reaction = (typeof REACTIONS)[number];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Ack {
  ticketRef: string;
  reaction: Reaction;
  cycle: number;
  at: number;
}

describe('crash safety', () => {
  it(`keeps every acknowledged reaction across ${CYCLES} SIGKILLs of the server`, async () => {
    const seed = process.env.CSAT_CRASH_SEED ? Number(process.env.CSAT_CRASH_SEED) : Math.floor(Math.random() * 2 ** 32);
    const random = seededRandom(seed);
    console.log(`crash harness: seed ${seed} (replay with CSAT_CRASH_SEED=${seed})`);
    const startedAt = performance.now();

    const db = path.join(tempDir(), 'crash.db');
    const { stdout } = await promisify(execFile)(process.execPath, ['bin/csat.js', 'site', 'create', 'crash', '--name', 'Crash Test', '--db', db], { cwd: root });
    const adminKey = /Admin key \(shown once, store it now\): (\S+)/.exec(stdout)![1]!;
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const env = { PORT: String(port), CSAT_DB: db, CSAT_DEMO: '0', CSAT_RATE_LIMIT: '1000000' };

    const acks: Ack[] = [];
    const unacknowledged: Array<{ ticketRef: string; why: string }> = [];
    const refusals = new Map<string, number>(); // non-2xx answers while the server was up, by status
    const refuse = (what: string, status: number) => refusals.set(`${what} ${status}`, (refusals.get(`${what} ${status}`) ?? 0) + 1);

    /** One client: a new ticket per reaction, until the server is killed (the first connection error). */
    async function client(cycle: number, id: number, stop: { killed: boolean }) {
      for (let n = 0; !stop.killed; n++) {
        const ticketRef = `C${cycle}-W${id}-${n}`;
        let token: string;
        try {
          const res = await fetch(`${base}/v1/sites/crash/surveys`, {
            method: 'POST',
            headers: { Authorization: `Bearer ${adminKey}`, 'Content-Type': 'application/json' },
            body: JSON.stringify({ ticketRef }),
            signal: AbortSignal.timeout(10_000),
          });
          if (res.status !== 201) {
            refuse('survey', res.status);
            await res.body?.cancel();
            await sleep(5);
            continue;
          }
          token = ((await res.json()) as { token: string }).token;
        } catch {
          return; // the server is gone; the next cycle starts new tickets
        }
        const reaction = REACTIONS[Math.floor(random() * REACTIONS.length)]!;
        let res: Response;
        try {
          res = await fetch(`${base}/v1/responses`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ token, reaction }),
            signal: AbortSignal.timeout(10_000),
          });
        } catch (error) {
          unacknowledged.push({ ticketRef, why: (error as Error).message });
          return;
        }
        // The status line is the acknowledgement: the server answers only after the commit.
        if (res.ok) acks.push({ ticketRef, reaction, cycle, at: Date.now() });
        else {
          refuse('response', res.status);
          unacknowledged.push({ ticketRef, why: `HTTP ${res.status}` });
        }
        await res.text().catch(() => undefined);
      }
    }

    const delays: number[] = [];
    for (let cycle = 1; cycle <= CYCLES; cycle++) {
      const server = await startServer(env);
      const stop = { killed: false };
      const clients = Array.from({ length: CLIENTS }, (_, id) => client(cycle, id, stop));
      const delay = 100 + Math.floor(random() * 500);
      delays.push(delay);
      await sleep(delay);
      stop.killed = true;
      server.child.kill('SIGKILL');
      expect(await server.exited).toBe('SIGKILL');
      await Promise.all(clients);
    }

    // Recovery after the last kill, then a clean stop.
    const last = await startServer(env);
    expect((await fetch(`${base}/v1/sites/crash/score`)).status).toBe(200);
    last.child.kill('SIGTERM');
    expect(await last.exited).toBe(0);

    const store = openSqliteStore(db);
    try {
      const integrity = store.db.pragma('integrity_check', { simple: true });
      const site = (await store.getSite('crash'))!;
      const stored = store.db.prepare<[number, string], { reaction: string }>('SELECT reaction FROM responses WHERE site_id = ? AND ticket_ref = ?');
      const lost = acks.filter((a) => stored.get(site.id, a.ticketRef)?.reaction !== a.reaction);
      const keptUnacknowledged = unacknowledged.filter((u) => stored.get(site.id, u.ticketRef)).length;
      const events = await store.listEvents(site.id);
      const chain = verifyChain(events);
      const mismatches = await store.countMismatches(site.id);
      const responses = store.db.prepare<[number], { n: number }>('SELECT count(*) AS n FROM responses WHERE site_id = ?').get(site.id)!.n;
      const elapsed = ((performance.now() - startedAt) / 1000).toFixed(1);

      console.log(
        `crash harness: seed ${seed}, ${CYCLES} cycles, ${acks.length} acknowledged writes, ${lost.length} lost, ` +
          `${unacknowledged.length} unacknowledged attempts (${keptUnacknowledged} of them stored anyway), ` +
          `${responses} responses and ${events.length} events stored, kill delays ${Math.min(...delays)}-${Math.max(...delays)} ms, ` +
          `${refusals.size ? `refusals ${JSON.stringify(Object.fromEntries(refusals))}, ` : ''}${elapsed} s`,
      );
      for (const a of lost.slice(0, 10)) {
        console.error(`LOST (seed ${seed}): ${a.ticketRef} acknowledged ${a.reaction} in cycle ${a.cycle}, stored: ${stored.get(site.id, a.ticketRef)?.reaction ?? 'nothing'}`);
      }

      expect(acks.length, 'the clients got no acknowledgement at all: the harness tested nothing').toBeGreaterThan(CYCLES);
      expect(lost.map((a) => a.ticketRef), `seed ${seed}`).toEqual([]);
      expect(integrity, `seed ${seed}`).toBe('ok');
      expect(chain, `seed ${seed}`).toMatchObject({ valid: true });
      expect(events.length, 'one submit event per first answer').toBe(responses);
      expect(mismatches, `seed ${seed}`).toEqual([]);
    } finally {
      await store.close();
    }
  }, 150_000);
});
