// Browser tests of the Lit widgets (test/widget/**/*.test.ts) in headless Chromium, against the real API.
//
// The API runs inside this (the wtr) Node process from the BUILT JavaScript (`npm run build:api` first;
// `npm test` does it): a fresh SQLite file, a clock tests can move, and a real HTTP server on a loopback
// port. The components, served by wtr's dev server on another origin, call it directly over CORS.
// Tests reach the server side through `executeServerCommand('csat', { action, ... })`
// (@web/test-runner-commands); see test/widget/api.ts for the typed helpers. Tests of what outlives one
// process (a restart, the clock crossing midnight) use the API as a child process instead:
// test/widget/server-process-plugin.mjs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { serve } from '@hono/node-server';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { createApp } from './dist/api/app.js';
import { openSqliteStore } from './dist/api/store/sqlite.js';
import { newAdminKey } from './dist/api/domain/tokens.js';
import { jsonRequest } from './test/widget/json-request.mjs';
import { serverProcessPlugin } from './test/widget/server-process-plugin.mjs';

const DAY_MS = 86_400_000;

/** The real API on 127.0.0.1:<random port>, with the commands browser tests may run against it. */
function csatApiPlugin() {
  let server;
  let app;
  let store;
  let dir;
  let api = '';
  let offsetMs = 0;
  let sequence = 0;
  const clock = { now: () => Date.now() + offsetMs };
  /** slug -> admin key; keys never leave this process. */
  const keys = new Map();
  /** Requests under /__gate/<name>/... wait until the test releases that gate (to observe loading states). */
  const gates = new Map();
  /** Score streams answered 502 (a proxy in front of a restarting server) while this is above 0. */
  let streamRefusals = 0;
  /** Sockets of the score streams served so far, so a test can cut them as a restart would. */
  const streamSockets = new Set();
  const gate = (name) => {
    if (!gates.has(name)) {
      let open;
      const opened = new Promise((resolve) => (open = resolve));
      gates.set(name, { opened, open });
    }
    return gates.get(name);
  };

  const request = (method, url, body, headers) => jsonRequest(api, method, url, body, headers);

  const commands = {
    info: async () => ({ api }),
    site: async (payload) => {
      const slug = `site-${process.pid}-${++sequence}`;
      const site = await store.createSite(
        {
          slug,
          name: payload.name ?? `Site ${sequence}`,
          ...(payload.windowDays !== undefined && { windowDays: payload.windowDays }),
          ...(payload.changeWindowDays !== undefined && { changeWindowDays: payload.changeWindowDays }),
          ...(payload.industry !== undefined && { industry: payload.industry }),
          ...(payload.kind !== undefined && { kind: payload.kind, scale: payload.scale ?? null }),
        },
        clock.now(),
      );
      const key = newAdminKey();
      await store.addAdminKey({ id: key.id, siteId: site.id, hash: key.hash }, clock.now());
      keys.set(slug, key.key);
      return { site: slug };
    },
    survey: async (payload) => {
      const key = keys.get(payload.site);
      if (!key) throw new Error(`no site ${payload.site} made by the 'site' command`);
      const res = await request('POST', `/v1/sites/${payload.site}/surveys`, { ticketRef: `T-${++sequence}` }, { Authorization: `Bearer ${key}` });
      if (res.status !== 201) throw new Error(`survey creation failed: ${res.status} ${JSON.stringify(res.body)}`);
      return { token: res.body.token };
    },
    answer: async (payload) => {
      // A reaction, or a score for CSAT and NPS surveys.
      const body = payload.score !== undefined ? { token: payload.token, score: payload.score } : { token: payload.token, reaction: payload.reaction };
      if (payload.comment !== undefined) body.comment = payload.comment;
      if (payload.dimensions !== undefined) body.dimensions = payload.dimensions;
      const res = await request('POST', '/v1/responses', body);
      return { status: res.status, body: res.body };
    },
    /** Imports past ratings into payload.site: payload.rows = [{ daysAgo, reaction }]. */
    import: async (payload) => {
      const site = await store.getSite(payload.site);
      const rows = payload.rows.map((row, i) => ({
        line: i + 2,
        respondedAt: clock.now() - Math.round(row.daysAgo * DAY_MS),
        ticketRef: `IMP-${++sequence}`,
        reaction: row.reaction,
        comment: null,
      }));
      return store.importResponses(site.id, rows, clock.now());
    },
    /** Moves the shared clock by payload.days (may be negative); returns the total offset in days. */
    advance: async (payload) => {
      offsetMs += Math.round(Number(payload.days) * DAY_MS);
      return { offsetDays: offsetMs / DAY_MS };
    },
    'reset-clock': async () => {
      offsetMs = 0;
      return { offsetDays: 0 };
    },
    /** Cuts every open score stream from the server side and answers the next payload.refuse
     * score-stream requests 502. Returns the site's live listeners before the cut. */
    'cut-streams': async (payload) => {
      const listeners = app.hub.listenerCount(payload.site);
      streamRefusals = payload.refuse ?? 0;
      for (const socket of streamSockets) socket.destroy();
      streamSockets.clear();
      return { listeners };
    },
    listeners: async (payload) => ({ listeners: app.hub.listenerCount(payload.site) }),
    release: async (payload) => {
      gate(payload.gate).open();
      return { released: payload.gate };
    },
  };

  return {
    name: 'csat-api',
    async serverStart() {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csat-wtr-'));
      store = openSqliteStore(path.join(dir, 'csat.db'));
      const fetchLazily = async (req, env) => {
        const url = new URL(req.url);
        if (url.pathname.endsWith('/score/stream')) {
          if (streamRefusals > 0) {
            streamRefusals--;
            return new Response('Bad Gateway', { status: 502 });
          }
          streamSockets.add(env.incoming.socket);
        }
        const held = /^\/__gate\/([^/]+)(\/.*)$/.exec(url.pathname);
        if (held) {
          await gate(held[1]).opened;
          url.pathname = held[2];
          return app.fetch(new Request(url, req));
        }
        return app.fetch(req);
      };
      server = await new Promise((resolve) => {
        const s = serve({ fetch: fetchLazily, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
      });
      api = `http://127.0.0.1:${server.address().port}`;
      // Every browser test comes from one address: the per-address reaction limit would trip (it has its
      // own tests in test/reliability/abuse.test.ts).
      // The built drop-in script, for tests of a page that embeds it as a website would (one <script> tag).
      const dropIn = path.resolve(import.meta.dirname, 'dist/widget/csat-badge.js');
      const widgetScript = fs.existsSync(dropIn) ? fs.readFileSync(dropIn, 'utf8') : undefined;
      app = createApp({ store, clock, config: { publicUrl: api, tokenSecret: randomBytes(32), heartbeatMs: 1000, rateLimit: false, logError: () => {}, widgetScript } });
    },
    async serverStop() {
      for (const { open } of gates.values()) open();
      if (server) {
        server.closeAllConnections?.();
        await new Promise((resolve) => server.close(() => resolve()));
      }
      await store?.close();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    },
    async executeCommand({ command, payload }) {
      if (command !== 'csat') return undefined;
      const run = commands[payload?.action];
      if (!run) throw new Error(`unknown csat action ${JSON.stringify(payload?.action)}`);
      return run(payload);
    },
  };
}

export default {
  files: 'test/widget/**/*.test.ts',
  nodeResolve: true,
  // One page at a time: focus and visibility are only reliable in the foreground page, and the shared
  // clock ('advance') must not move under another file's tests.
  concurrency: 1,
  testFramework: { config: { timeout: 10_000 } },
  filterBrowserLogs: ({ args }) => !String(args[0]).startsWith('Lit is in dev mode'),
  plugins: [esbuildPlugin({ ts: true, target: 'es2022', tsconfig: 'tsconfig.json' }), csatApiPlugin(), serverProcessPlugin()],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
        headless: true,
        args: [
          '--no-sandbox',
          '--disable-setuid-sandbox',
          '--disable-dev-shm-usage',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
          // Chromium as a person uses it: under automation (navigator.webdriver) the survey never sends by itself.
          '--disable-blink-features=AutomationControlled',
        ],
      },
    }),
  ],
};
