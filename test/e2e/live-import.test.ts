// `csat import` run from its own process while the built server has live streams open: the badge's
// stream and the wall's feed get the imported ratings within a few seconds, with no request made to the
// server in between (the server notices the other process's commit itself).
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../api/helpers.js';
import { openStream } from '../api/sse-reader.js';
import { freePort, killServers, root, startServer } from './server-process.js';

const run = promisify(execFile);
const csat = (...args: string[]) => run(process.execPath, ['bin/csat.js', ...args], { cwd: root });
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
  killServers();
});

describe('live streams of the built server and the csat import command', () => {
  it('a CLI import reaches an open score stream and wall feed', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'csat.db');
    const created = await csat('site', 'create', 'acme', '--name', 'Acme', '--db', db, '--quiet');
    const key = created.stdout.trim().split('\n').at(-1)!.trim();
    expect(key).toMatch(/\S{20,}/);
    const port = await freePort();
    await startServer({ PORT: String(port), CSAT_DB: db });
    const base = `http://127.0.0.1:${port}/v1/sites/acme`;

    const score = await openStream(`${base}/score/stream`);
    cleanups.push(score.close);
    const wall = await openStream(`${base}/feed`, { Authorization: `Bearer ${key}` });
    cleanups.push(wall.close);
    expect([score.res.status, wall.res.status]).toEqual([200, 200]);
    await score.until(() => score.events.length >= 1, 'the first score');
    await wall.until(() => wall.events.length >= 1, 'the first wall snapshot');
    expect(JSON.parse(score.events[0]!.data)).toMatchObject({ counts: { total: 0 } });

    const day = (ago: number) => new Date(Date.now() - ago * 86_400_000).toISOString().slice(0, 10);
    const csv = path.join(dir, 'history.csv');
    fs.writeFileSync(csv, `date,ticketRef,reaction,comment\n${day(1)},H-1,positive,\n${day(2)},H-2,positive,\n${day(3)},H-3,negative,\n`);
    const imported = await csat('import', 'acme', csv, '--db', db);
    expect(imported.stdout).toContain('Imported 3 rating(s)');

    const last = () => JSON.parse(score.events.at(-1)!.data) as { counts: { total: number; imported: number } };
    await score.until(() => last().counts.total === 3, 'the imported ratings on the open score stream', 6000);
    expect(last().counts).toMatchObject({ positive: 2, negative: 1, total: 3, imported: 3 });
    await wall.until(() => wall.events.length >= 2, 'a new wall snapshot', 6000);
    expect(wall.events.at(-1)!.data).not.toBe(wall.events[0]!.data);
  });
});
