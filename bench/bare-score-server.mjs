// The floor for score reads: a bare Hono + @hono/node-server app with one route that answers the bytes
// and headers the product's server sent for the same URL, 200, or 304 when If-None-Match is the tag.
// It is written the fastest way Hono allows (one synchronous handler, a lightweight Response built from
// a ready buffer and a ready header object), so the product is measured against the best it could do.
// Run by bench/score-read.ts as a child process; it reads its answer from CSAT_BARE_ANSWER (JSON:
// path, etag, body in base64, ok and notModified header lists) and prints "listening on <url>".
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

const answer = JSON.parse(process.env.CSAT_BARE_ANSWER ?? '');
const body = Buffer.from(answer.body, 'base64');
const ok = { status: 200, headers: Object.fromEntries(answer.ok) };
const notModified = { status: 304, headers: Object.fromEntries(answer.notModified) };

const app = new Hono().get(answer.path, (c) =>
  c.req.raw.headers.get('if-none-match') === answer.etag ? new Response(null, notModified) : new Response(body, ok),
);

const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
  console.log(`listening on http://127.0.0.1:${info.port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
