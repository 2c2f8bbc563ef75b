// The product as a newcomer meets it: the built server as a real process on an empty database, the
// `csat` command, and curl-like requests.
import { spawn, execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { tempDir } from '../api/helpers.js';
import { freePort, killServers, root, startServer } from './server-process.js';

afterEach(killServers);

describe('npm start on an empty database', () => {
  it('seeds the demo site, serves its score, takes a reaction, stops cleanly and restarts without reseeding', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'data', 'csat.db');
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const env = { PORT: String(port), CSAT_DB: db };

    const first = await startServer(env);
    const key = /Demo admin key[^:]*: (\S+)/.exec(first.output())?.[1];
    expect(key).toBeTruthy();
    expect(first.output()).toContain(`/v1/sites/demo/score`);

    const score = await (await fetch(`${base}/v1/sites/demo/score`)).json();
    expect(score).toMatchObject({ site: 'demo', score: 98, exact: 97.8, counts: { positive: 1045, neutral: 9, negative: 7, total: 1061, imported: 0 } });

    // The demo company site and the drop-in script are served next to the API.
    const demo = await fetch(`${base}/demo/`);
    expect(demo.status).toBe(200);
    const demoPage = await demo.text();
    expect(demoPage).toContain('<csat-badge site="demo"></csat-badge>');
    expect(demoPage).toContain('<script src="/widget/csat-badge.js" defer></script>');
    const script = await fetch(`${base}/widget/csat-badge.js`);
    expect(script.status).toBe(200);
    expect(await script.text()).toContain('csat-badge');
    const tried = await fetch(`${base}/demo/try`, { method: 'POST', headers: { Origin: base }, redirect: 'manual' });
    expect(tried.status).toBe(303);
    expect(tried.headers.get('Location')).toMatch(/^\/demo\/portal\.html\?csat_token=[\w-]{43}$/);

    const survey = await (
      await fetch(`${base}/v1/sites/demo/surveys`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ ticketRef: 'E2E-1' }),
      })
    ).json();
    expect(survey.links.positive).toBe(`http://localhost:${port}/s/${survey.token}?r=positive`);
    const reacted = await fetch(`${base}/v1/responses`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ token: survey.token, reaction: 'negative' }) });
    expect(reacted.status).toBe(201);
    expect((await (await fetch(`${base}/v1/sites/demo/score`)).json()).counts.total).toBe(1062); // the demo survey was not answered

    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    const second = await startServer(env);
    expect(second.output()).not.toContain('Seeded the demo site');
    expect((await (await fetch(`${base}/v1/sites/demo/score`)).json()).counts.total).toBe(1062);
    // The survey link from before the restart still works (the token key was kept beside the database).
    const again = await fetch(`${base}/v1/responses/${survey.token}`);
    expect(again.status).toBe(200);
    second.child.kill('SIGTERM');
    await second.exited;

    const raw = new Database(db, { readonly: true });
    expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    raw.close();
  });

  it('caps open live score streams per client address at CSAT_STREAMS_PER_ADDRESS, and frees a slot when one closes', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/v1/sites/demo/score/stream`;
    const server = await startServer({ PORT: String(port), CSAT_DB: path.join(tempDir(), 'csat.db'), CSAT_STREAMS_PER_ADDRESS: '2' });
    const open = () => {
      const abort = new AbortController();
      onTestFinished(() => abort.abort());
      return { abort, response: fetch(url, { signal: abort.signal }) };
    };
    const first = open();
    const second = open();
    expect((await first.response).status).toBe(200);
    expect((await second.response).status).toBe(200);
    const third = await open().response;
    expect(third.status).toBe(429);
    expect(third.headers.get('Retry-After')).toMatch(/^\d+$/);
    expect((await third.json()).error.code).toBe('too_many_streams');
    first.abort.abort();
    // The server notices the closed socket on its own schedule: poll until the slot is free.
    let status = 0;
    for (let i = 0; i < 50 && status !== 200; i++) {
      const next = open();
      status = (await next.response).status;
      if (status !== 200) next.abort.abort(), await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe(200);
    server.child.kill('SIGTERM');
    await server.exited;
  });

  it('refuses to start with a bad environment and says why', async () => {
    const child = spawn(process.execPath, ['dist/api/server.js'], { cwd: root, env: { ...process.env, PORT: 'eighty', CSAT_DB: path.join(tempDir(), 'x.db') } });
    onTestFinished(() => void child.kill('SIGKILL'));
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(err).toContain('PORT');
  });
});

describe('the csat command', () => {
  it('runs as an installed bin', async () => {
    const db = path.join(tempDir(), 'csat.db');
    const run = promisify(execFile);
    const { stdout } = await run(process.execPath, ['bin/csat.js', 'site', 'create', 'acme', '--name', 'Acme IT', '--db', db], { cwd: root });
    expect(stdout).toMatch(/Admin key \(shown once, store it now\): csat_[0-9a-f]{12}_/);
    await expect(run(process.execPath, ['bin/csat.js', 'key', 'create', 'nobody', '--db', db], { cwd: root })).rejects.toMatchObject({ code: 2 });
  });
});
