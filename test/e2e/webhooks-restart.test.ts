// A queued webhook delivery survives the server being killed: the built server as a real process, a
// receiver that is down for the first attempt, SIGKILL, then the receiver up and the server restarted.
import { execFile } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { tempDir } from '../api/helpers.js';
import { freePort, killServers, root, startServer } from './server-process.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  killServers();
});

/** A receiver on a given port, recording raw bodies and headers, answering 204. */
async function startReceiver(port: number) {
  const received: Array<{ headers: http.IncomingHttpHeaders; body: string }> = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))));
  return received;
}

describe('webhook delivery across a restart', () => {
  it('retries a delivery queued before a SIGKILL once the server is back', { timeout: 45_000 }, async () => {
    const dir = tempDir();
    const db = path.join(dir, 'data', 'csat.db');
    const { stdout } = await promisify(execFile)(process.execPath, ['bin/csat.js', 'site', 'create', 'acme', '--name', 'Acme IT', '--db', db], { cwd: root });
    const key = /Admin key \(shown once, store it now\): (\S+)/.exec(stdout)?.[1];
    expect(key).toBeTruthy();
    const auth = { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' };

    const receiverPort = await freePort(); // nothing listens there yet: the receiver is down
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    // The receiver is on loopback: the operator's switch for internal receivers is on.
    const env = { PORT: String(port), CSAT_DB: db, CSAT_DEMO: '0', CSAT_WEBHOOK_ALLOW_PRIVATE: '1' };

    const first = await startServer(env);
    const created = await fetch(`${base}/v1/sites/acme/webhooks`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ url: `http://127.0.0.1:${receiverPort}/csat`, events: ['response.created'] }),
    });
    expect(created.status).toBe(201);
    const { secret } = (await created.json()) as { secret: string };

    const survey = (await (await fetch(`${base}/v1/sites/acme/surveys`, { method: 'POST', headers: auth, body: JSON.stringify({ ticketRef: 'RESTART-1' }) })).json()) as { token: string };
    const reacted = await fetch(`${base}/v1/responses`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ token: survey.token, reaction: 'negative' }) });
    expect(reacted.status).toBe(201);

    // The worker tries within its interval and records the refused connection; the retry is 10 s later.
    const lastDelivery = async () => {
      const res = await fetch(`${base}/v1/sites/acme/webhooks`, { headers: auth });
      return ((await res.json()) as { items: Array<{ pending: number; lastDelivery: { status: string; attempts: number; error: string | null } | null }> }).items[0]!;
    };
    await expect.poll(async () => (await lastDelivery()).lastDelivery?.attempts, { timeout: 8_000, interval: 100 }).toBe(1);
    expect(await lastDelivery()).toMatchObject({ pending: 1, lastDelivery: { status: 'pending', error: expect.stringContaining('ECONNREFUSED') } });

    first.child.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');

    const received = await startReceiver(receiverPort);
    const second = await startServer(env);
    await expect.poll(() => received.length, { timeout: 20_000, interval: 100 }).toBe(1);

    const got = received[0]!;
    expect(got.headers['csat-event']).toBe('response.created');
    const signed = Object.fromEntries(['webhook-id', 'webhook-timestamp', 'webhook-signature'].map((h) => [h, String(got.headers[h])]));
    expect(new Webhook(secret).verify(got.body, signed)).toMatchObject({ event: 'response.created' });
    expect(JSON.parse(got.body)).toMatchObject({ event: 'response.created', site: 'acme', response: { ticketRef: 'RESTART-1', reaction: 'negative' } });
    await expect.poll(async () => (await lastDelivery()).lastDelivery, { timeout: 5_000, interval: 100 }).toMatchObject({ status: 'delivered', attempts: 2 });

    // A clean stop waits for the worker and exits 0; nothing is sent twice.
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(received).toHaveLength(1);
  });
});
