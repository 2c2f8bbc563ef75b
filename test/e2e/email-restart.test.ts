// The email outbox across a SIGKILL: the built server as a real process sends queued survey emails to a
// real SMTP server; it is killed while one message is in the middle of its SMTP conversation, restarted,
// and every queued email arrives exactly once (counted by Message-ID at the receiver).
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../api/helpers.js';
import { startReceiver } from '../api/email/smtp-receiver.js';
import { freePort, killServers, root, startServer } from './server-process.js';

const run = promisify(execFile);
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  killServers();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const EMAILS = 12;
const KILL_AT = 4;

describe('survey email across a restart', () => {
  it('kill -9 while sending, restart: every queued email arrives, none twice', { timeout: 60_000 }, async () => {
    const dir = tempDir();
    const db = path.join(dir, 'data', 'csat.db');
    const csat = (...args: string[]) => run(process.execPath, ['bin/csat.js', ...args, '--db', db], { cwd: root });
    const key = (await csat('site', 'create', 'acme', '--name', 'Acme IT', '--quiet')).stdout.trim();
    await csat('site', 'set', 'acme', '--sender-email', 'desk@acme.example');

    let server: Awaited<ReturnType<typeof startServer>> | undefined;
    let killed = false;
    // Each message is held 300 ms before the "250 OK"; the server dies while the KILL_AT-th one waits.
    const smtp = await startReceiver({
      delayMs: 300,
      onDataStart: (n) => {
        if (n === KILL_AT && server) {
          killed = server.child.kill('SIGKILL');
        }
      },
    });
    cleanups.push(() => smtp.close());

    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const env = { PORT: String(port), CSAT_DB: db, CSAT_DEMO: '0', CSAT_SMTP_URL: smtp.url, CSAT_PUBLIC_URL: base };
    server = await startServer(env);
    // What the server created on disk is readable by its owner only (the -wal/-shm exist once it wrote).
    for (const file of [db, `${db}-wal`, `${db}-shm`, path.join(path.dirname(db), 'token-secret')]) {
      expect(fs.statSync(file).mode & 0o777, file).toBe(0o600);
    }
    const messageIds: string[] = [];
    for (let i = 1; i <= EMAILS; i += 1) {
      const res = await fetch(`${base}/v1/sites/acme/surveys`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ ticketRef: `R-${i}`, contact: { email: `client${i}@example.com` } }),
      });
      expect(res.status).toBe(201);
      const body = (await res.json()) as { email: { status: string; messageId: string } };
      expect(body.email.status).toBe('queued');
      messageIds.push(body.email.messageId);
    }

    expect(await server.exited).toBe('SIGKILL');
    expect(killed).toBe(true);
    // The one in flight was never accepted: only the ones before it arrived.
    await new Promise((r) => setTimeout(r, 500));
    expect(smtp.messages).toHaveLength(KILL_AT - 1);

    server = await startServer(env);
    await smtp.waitFor(EMAILS, 30_000);
    await new Promise((r) => setTimeout(r, 2_000)); // anything sent twice would arrive by now
    const received = smtp.messages.map((m) => m.messageId);
    expect(received).toHaveLength(EMAILS);
    expect(new Set(received).size).toBe(EMAILS);
    expect([...received].sort()).toEqual([...messageIds].sort());

    const listed = await fetch(`${base}/v1/sites/acme/emails`, { headers: { Authorization: `Bearer ${key}` } });
    const { emails } = (await listed.json()) as { emails: Array<{ status: string; attempts: number; ticketRef: string }> };
    expect(emails.every((e) => e.status === 'sent')).toBe(true);
    // The interrupted one took a second attempt; the others one each.
    expect(emails.filter((e) => e.attempts === 2).map((e) => e.ticketRef)).toEqual([`R-${KILL_AT}`]);
  });
});
