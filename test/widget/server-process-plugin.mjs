// The API as a separate process, for browser tests of what outlives one server process: the built server
// (dist/api/server.js, what `npm start` runs) killed and started again on the same port and database
// file, and a server whose clock the test moves (test/widget/clock-server.mjs).
//
// Tests reach it through `executeServerCommand('csat-process', { action, ... })`; see
// test/widget/server-process.ts for the typed helpers. One server at a time (the runner's concurrency is 1).
import { fork } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { openSqliteStore } from '../../dist/api/store/sqlite.js';
import { newAdminKey } from '../../dist/api/domain/tokens.js';
import { jsonRequest } from './json-request.mjs';

const root = path.resolve(import.meta.dirname, '../..');
const ENTRIES = {
  built: path.join(root, 'dist/api/server.js'),
  clock: path.join(root, 'test/widget/clock-server.mjs'),
};

/** Every server started and not yet exited. */
const children = new Set();

async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** Starts an entry as a child process (with an IPC channel for the clock) and resolves once it listens. */
async function spawnServer(entry, env) {
  const child = fork(entry, [], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  children.add(child);
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise((resolve) =>
    child.on('exit', (code, signal) => {
      children.delete(child);
      resolve(signal ?? code);
    }),
  );
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => (child.kill('SIGKILL'), reject(new Error(`server did not start:\n${output}`))), 15_000);
    child.stdout.on('data', () => output.includes('listening on') && (clearTimeout(timer), resolve()));
    child.on('exit', (code, signal) => (clearTimeout(timer), reject(new Error(`server exited with ${signal ?? code}:\n${output}`))));
  });
  return { child, exited, output: () => output };
}

export function serverProcessPlugin() {
  /** The running server: its child process and what it takes to start it again the same way. */
  let current = null;
  let sequence = 0;
  /** slug -> admin key of the sites made by the 'site' action; keys never leave this process. */
  const keys = new Map();

  const stop = async (signal = 'SIGKILL') => {
    if (!current) return;
    const { child, exited, dir } = current;
    current = null;
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
    fs.rmSync(dir, { recursive: true, force: true });
  };

  const request = (method, url, body, headers) => {
    if (!current) throw new Error('no server: run the start action first');
    return jsonRequest(current.api, method, url, body, headers);
  };

  /** Asks the clock server to move its clock; resolves with the time it now reads. */
  const setClock = (at) =>
    new Promise((resolve, reject) => {
      if (current?.entry !== 'clock') return reject(new Error('the running server has no clock to move: start it with { clock: <ms> }'));
      const { child } = current;
      const onMessage = (message) => {
        if (message?.type !== 'clock') return;
        child.off('message', onMessage);
        resolve({ now: message.now });
      };
      child.on('message', onMessage);
      child.send({ type: 'set-clock', at });
    });

  const commands = {
    /** A fresh database and a server on a free loopback port: the built one, or with { clock } the clock
     * server, its clock standing still at that instant until 'set-clock' moves it. */
    start: async (payload) => {
      await stop();
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csat-wtr-process-'));
      const port = await freePort();
      const entry = payload.clock === undefined ? 'built' : 'clock';
      const env = {
        PORT: String(port),
        HOST: '127.0.0.1',
        CSAT_DB: path.join(dir, 'csat.db'),
        CSAT_DEMO: '0',
        // Every reaction of these tests comes from one address.
        CSAT_RATE_LIMIT: '0',
        ...(entry === 'clock' && { CSAT_CLOCK_AT: String(payload.clock) }),
      };
      const started = await spawnServer(ENTRIES[entry], env).catch((error) => {
        fs.rmSync(dir, { recursive: true, force: true });
        throw error;
      });
      current = { ...started, dir, env, entry, api: `http://127.0.0.1:${port}` };
      return { api: current.api, pid: started.child.pid };
    },
    /** A site made from another connection to the database file, as `csat site create` does. */
    site: async (payload) => {
      if (!current) throw new Error('no server: run the start action first');
      const store = openSqliteStore(current.env.CSAT_DB);
      try {
        const slug = `proc-${process.pid}-${++sequence}`;
        const now = payload.at ?? Date.now();
        const site = await store.createSite({ slug, name: `Site ${sequence}`, ...(payload.windowDays !== undefined && { windowDays: payload.windowDays }) }, now);
        const key = newAdminKey();
        await store.addAdminKey({ id: key.id, siteId: site.id, hash: key.hash }, now);
        keys.set(slug, key.key);
        return { site: slug };
      } finally {
        await store.close();
      }
    },
    /** A survey issued by the running server (POST /v1/sites/:site/surveys). */
    survey: async (payload) => {
      const key = keys.get(payload.site);
      if (!key) throw new Error(`no site ${payload.site} made by the 'site' action`);
      const res = await request('POST', `/v1/sites/${payload.site}/surveys`, { ticketRef: `T-${++sequence}` }, { Authorization: `Bearer ${key}` });
      if (res.status !== 201) throw new Error(`survey creation failed: ${res.status} ${JSON.stringify(res.body)}`);
      return { token: res.body.token };
    },
    /** A reaction recorded by the running server (POST /v1/responses), as a respondent's browser sends it. */
    answer: async (payload) => {
      const res = await request('POST', '/v1/responses', { token: payload.token, reaction: payload.reaction });
      return { status: res.status, body: res.body };
    },
    /** Stops the server with payload.signal (SIGKILL: a crash; SIGTERM: a deploy) and starts the same
     * entry again on the same port and database file. */
    restart: async (payload) => {
      if (!current) throw new Error('no server: run the start action first');
      const { child, exited, dir, env, entry, api } = current;
      current = null;
      child.kill(payload.signal ?? 'SIGKILL');
      const exit = await exited;
      const started = await spawnServer(ENTRIES[entry], env).catch((error) => {
        fs.rmSync(dir, { recursive: true, force: true });
        throw error;
      });
      current = { ...started, dir, env, entry, api };
      return { before: child.pid, exit, after: started.child.pid, api };
    },
    'set-clock': async (payload) => setClock(payload.at),
    stop: async () => {
      await stop();
      return { stopped: true };
    },
  };

  return {
    name: 'csat-process',
    async serverStop() {
      await stop();
    },
    async executeCommand({ command, payload }) {
      if (command !== 'csat-process') return undefined;
      const run = commands[payload?.action];
      if (!run) throw new Error(`unknown csat-process action ${JSON.stringify(payload?.action)}`);
      return run(payload);
    },
  };
}

// A runner that exits without its serverStop (an error, Ctrl-C) must not leave a server holding a port.
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});
