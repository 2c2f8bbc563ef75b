// A queued write-back survives the server being killed: the built server as a real process, the help
// desk's API down for the first attempt, SIGKILL, then the API up and the server restarted; the note
// arrives once.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../api/helpers.js';
import { fixture } from '../api/connectors/fixtures.js';
import { CREDENTIALS, standIn } from '../api/connectors/stand-in.js';
import { freePort, killServers, root, startServer } from './server-process.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  killServers();
});

const run = promisify(execFile);

describe('write-back across a restart', () => {
  it('retries a note queued before a SIGKILL once the server is back', { timeout: 60_000 }, async () => {
    const dir = tempDir();
    const db = path.join(dir, 'data', 'csat.db');
    const env = { ...process.env, CSAT_DB: db };
    const site = await run(process.execPath, ['bin/csat.js', 'site', 'create', 'acme', '--name', 'Acme IT'], { cwd: root, env });
    const key = /Admin key \(shown once, store it now\): (\S+)/.exec(site.stdout)![1]!;
    const auth = { Authorization: `Bearer ${key}` };

    const apiPort = await freePort(); // nothing listens there yet: the help desk's API is down
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const created = await run(
      process.execPath,
      ['bin/csat.js', 'connector', 'create', 'acme', 'freshdesk', `apiUrl=http://127.0.0.1:${apiPort}`, `apiKey=${CREDENTIALS.freshdesk.apiKey}`, '--url', base],
      { cwd: root, env },
    );
    const inbound = /Inbound URL: (\S+)/.exec(created.stdout)![1]!;
    const secret = /Secret \(shown once, store it now\): (\S+)/.exec(created.stdout)![1]!;
    const serverEnv = { PORT: String(port), CSAT_DB: db, CSAT_DEMO: '0', CSAT_PUBLIC_URL: base };

    const first = await startServer(serverEnv);
    const body = JSON.stringify(fixture('freshdesk.resolved').body);
    const closed = await fetch(inbound, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Csat-Connector-Secret': secret }, body });
    expect(closed.status).toBe(201);
    const { surveyId } = (await closed.json()) as { surveyId: string };
    const email = await (await fetch(`${base}/v1/sites/acme/surveys/${surveyId}/email.txt`, { headers: auth })).text();
    const token = /\/s\/([\w-]{43})/.exec(email)![1]!;
    const reacted = await fetch(`${base}/v1/responses`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ token, reaction: 'negative', comment: 'Still broken' }) });
    expect(reacted.status).toBe(201);

    const writeBacks = async () =>
      ((await (await fetch(`${base}/v1/sites/acme/connectors`, { headers: auth })).json()) as { items: Array<{ writeBacks: { pending: number; delivered: number; last: { attempts: number; error: string | null } | null } }> }).items[0]!.writeBacks;
    await expect.poll(async () => (await writeBacks()).last?.attempts ?? 0, { timeout: 10_000, interval: 200 }).toBe(1);
    expect((await writeBacks()).pending).toBe(1);
    first.child.kill('SIGKILL');
    await first.exited;

    const freshdesk = await standIn('freshdesk', { port: apiPort });
    cleanups.push(freshdesk.close);
    await startServer(serverEnv);
    await expect.poll(() => freshdesk.seen.length, { timeout: 25_000, interval: 250 }).toBe(1);
    expect(freshdesk.refused).toEqual([]);
    expect(freshdesk.seen[0]).toMatchObject({ method: 'POST', path: '/api/v2/tickets/3057/notes', body: { private: true } });
    expect((freshdesk.seen[0]!.body as { body: string }).body).toContain('Still broken');
    await expect.poll(async () => (await writeBacks()).delivered, { timeout: 5_000 }).toBe(1);
    expect((await writeBacks()).pending).toBe(0);
  });
});
