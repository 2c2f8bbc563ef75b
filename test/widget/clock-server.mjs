// A test-only server entry: the built app (dist/api/app.js) over a real SQLite file and a real HTTP
// server, as dist/api/server.js serves it, but with a clock that stands still at CSAT_CLOCK_AT (ms since
// the epoch) until the parent process moves it over the IPC channel ({ type: 'set-clock', at }).
// The product reads the system clock; this lets a browser test take a running server across UTC midnight
// without waiting for one. Started by test/widget/server-process-plugin.mjs.
import { serve } from '@hono/node-server';
import { createApp } from '../../dist/api/app.js';
import { loadServerSecret } from '../../dist/api/server-secret.js';
import { openSqliteStore } from '../../dist/api/store/sqlite.js';

const at = Number(process.env.CSAT_CLOCK_AT);
if (!Number.isFinite(at)) throw new Error('CSAT_CLOCK_AT must be a time in ms since the epoch');
if (!process.send) throw new Error('start this entry with an IPC channel (child_process.fork)');

let now = at;
const clock = { now: () => now };
process.on('message', (message) => {
  if (message?.type !== 'set-clock') return;
  now = Number(message.at);
  process.send({ type: 'clock', now });
});

const port = Number(process.env.PORT);
const db = process.env.CSAT_DB;
const store = openSqliteStore(db);
const publicUrl = `http://127.0.0.1:${port}`;
const app = createApp({
  store,
  clock,
  config: { publicUrl, tokenSecret: loadServerSecret(undefined, db), rateLimit: process.env.CSAT_RATE_LIMIT === '0' ? false : undefined },
});
serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => console.log(`clock server listening on ${publicUrl} (database ${db})`));
// The parent gone (the runner stopped), this server has no one to serve.
process.on('disconnect', () => process.exit(0));
