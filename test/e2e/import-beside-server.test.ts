// `csat import` of a large file into the database of a running server (the built server, a child
// process): reactions and score reads keep being answered while it runs, every reaction counts, and an
// import whose last line is bad changes nothing. 50,000 rows (the issue names 200,000: the bench
// bench/import-beside-server.ts runs that size and prints how long requests waited).
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../api/helpers.js';
import { freePort, killServers, root, startServer } from './server-process.js';

afterEach(killServers);

const ROWS = 50_000;
const run = promisify(execFile);
const DAY_MS = 86_400_000;
const REACTIONS = ['positive', 'positive', 'positive', 'neutral', 'negative'] as const;

/** A history of ROWS ratings over the last 80 days; `lastLine` replaces the final row. */
function writeCsv(file: string, lastLine?: string): { positive: number; neutral: number; negative: number } {
  const now = Date.now();
  const counts = { positive: 0, neutral: 0, negative: 0 };
  const lines = ['date,ticketRef,reaction,comment'];
  for (let i = 0; i < ROWS; i++) {
    const reaction = REACTIONS[i % REACTIONS.length]!;
    counts[reaction]++;
    lines.push(`${new Date(now - DAY_MS - (i % 80) * DAY_MS - i * 7).toISOString()},OLD-${i},${reaction},${i % 10 === 0 ? `"from the old tool, #${i}"` : ''}`);
  }
  if (lastLine !== undefined) lines[lines.length - 1] = lastLine;
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return counts;
}

async function setUp() {
  const dir = tempDir();
  const db = path.join(dir, 'csat.db');
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = { ...process.env, CSAT_DB: db };
  const csat = (...args: string[]) => run(process.execPath, ['bin/csat.js', ...args], { cwd: root, env, maxBuffer: 1 << 24 });
  const key = (await csat('site', 'create', 'acme', '--name', 'Acme IT', '--quiet')).stdout.trim();
  await startServer({ PORT: String(port), CSAT_DB: db, CSAT_DEMO: '0', CSAT_RATE_LIMIT: '0' });
  return { dir, base, key, csat };
}

type Counts = { positive: number; neutral: number; negative: number; total: number; imported: number };

/** Respondents reacting and badges reading the score, from a few clients at once, until `done()`. */
async function traffic(base: string, key: string, done: () => boolean) {
  const statuses = new Map<string, number[]>();
  const note = (what: string, status: number) => statuses.set(what, [...(statuses.get(what) ?? []), status]);
  let reactions = 0;
  let n = 0;
  const client = async (c: number) => {
    // At least a few rounds each, and on until the import is over.
    for (let round = 0; round < 3 || !done(); round++) {
      const ticketRef = `LIVE-${c}-${n++}`;
      const survey = await fetch(`${base}/v1/sites/acme/surveys`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ ticketRef }),
      });
      note('survey', survey.status);
      const { token } = (await survey.json()) as { token: string };
      const reacted = await fetch(`${base}/v1/responses`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ token, reaction: 'negative' }) });
      note('reaction', reacted.status);
      if (reacted.status === 201) reactions++;
      await reacted.arrayBuffer();
      const score = await fetch(`${base}/v1/sites/acme/score`);
      note('score', score.status);
      await score.arrayBuffer();
    }
  };
  await Promise.all([0, 1, 2, 3].map(client));
  return { statuses, reactions };
}

const score = async (base: string) => ((await (await fetch(`${base}/v1/sites/acme/score`)).json()) as { counts: Counts }).counts;

describe('csat import beside a running server', () => {
  it(`imports ${ROWS.toLocaleString('en')} rows while every reaction and score read is answered and counts`, { timeout: 300_000 }, async () => {
    const { dir, base, key, csat } = await setUp();
    const file = path.join(dir, 'history.csv');
    const imported = writeCsv(file);

    let finished = false;
    const importing = csat('import', 'acme', file).finally(() => (finished = true));
    const [{ stdout }, { statuses, reactions }] = await Promise.all([importing, traffic(base, key, () => finished)]);
    expect(stdout).toContain(`Imported ${ROWS} rating(s) into "acme"`);

    for (const [what, list] of statuses) {
      const expected = what === 'score' ? 200 : 201;
      expect(list.filter((s) => s !== expected), `${what}: ${list.length} requests`).toEqual([]);
    }
    expect(reactions).toBeGreaterThanOrEqual(12);
    expect(await score(base)).toEqual({
      positive: imported.positive,
      neutral: imported.neutral,
      negative: imported.negative + reactions,
      total: ROWS + reactions,
      imported: ROWS,
    });
    // The database agrees with its own history: chain, log, daily counts and the published score.
    const verified = await csat('verify', 'acme');
    expect(verified.stdout).toContain(`Event chain: ${ROWS + reactions} events, intact`);
  });

  it('imports nothing when the last line is bad, and the server goes on taking reactions', { timeout: 300_000 }, async () => {
    const { dir, base, key, csat } = await setUp();
    const file = path.join(dir, 'history.csv');
    writeCsv(file, `${new Date().toISOString().slice(0, 10)},OLD-LAST,maybe,`);

    let finished = false;
    const importing = csat('import', 'acme', file).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
    ).finally(() => (finished = true));
    const [failed, { statuses, reactions }] = await Promise.all([importing, traffic(base, key, () => finished)]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain(`history.csv:${ROWS + 1}: reaction "maybe" is not one of positive, neutral, negative`);
    expect(failed.stderr).toContain('Nothing was imported.');

    expect([...statuses.values()].flat().filter((s) => s >= 500)).toEqual([]);
    expect(await score(base)).toEqual({ positive: 0, neutral: 0, negative: reactions, total: reactions, imported: 0 });
    const verified = await csat('verify', 'acme');
    expect(verified.stdout).toContain(`Event chain: ${reactions} events, intact`);
  });
});
