// A help-desk connector end to end with the built server as a real process: `csat connector create`
// on the database, a signed Zendesk "ticket solved" call over HTTP (once: a survey; again: 409; badly
// signed: 401), a negative reaction, and the server's own write-back worker putting one internal note on
// the ticket in a local stand-in of Zendesk's REST API, shown as delivered in the connector list.
import { execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
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
const SIGNING_SECRET = 'c2lnbmluZy1zZWNyZXQtZnJvbS16ZW5kZXNr';

function signed(body: string, secret = SIGNING_SECRET) {
  const stamp = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  return {
    'Content-Type': 'application/json',
    'X-Zendesk-Webhook-Signature-Timestamp': stamp,
    'X-Zendesk-Webhook-Signature': createHmac('sha256', secret).update(stamp + body).digest('base64'),
  };
}

describe('Zendesk connector against the real server', () => {
  it('one survey per solved ticket, replays and bad signatures refused, a negative reaction noted on the ticket', { timeout: 45_000 }, async () => {
    const dir = tempDir();
    const db = path.join(dir, 'data', 'csat.db');
    const env = { ...process.env, CSAT_DB: db };
    const site = await run(process.execPath, ['bin/csat.js', 'site', 'create', 'acme', '--name', 'Acme IT'], { cwd: root, env });
    const key = /Admin key \(shown once, store it now\): (\S+)/.exec(site.stdout)![1]!;

    const zendesk = await standIn('zendesk');
    cleanups.push(zendesk.close);
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const created = await run(
      process.execPath,
      ['bin/csat.js', 'connector', 'create', 'acme', 'zendesk', `signingSecret=${SIGNING_SECRET}`, `apiUrl=${zendesk.url}`, `apiEmail=${CREDENTIALS.zendesk.apiEmail}`, `apiToken=${CREDENTIALS.zendesk.apiToken}`, '--url', base],
      { cwd: root, env },
    );
    const inbound = /Inbound URL: (\S+)/.exec(created.stdout)![1]!;
    expect(inbound).toMatch(new RegExp(`^${base}/v1/sites/acme/connectors/cn_[\\w-]{16}/events$`));

    await startServer({ PORT: String(port), CSAT_DB: db, CSAT_DEMO: '0', CSAT_PUBLIC_URL: base });
    const body = JSON.stringify(fixture('zendesk.solved').body);

    const bad = await fetch(inbound, { method: 'POST', headers: signed(body, 'd3Jvbmc='), body });
    expect(bad.status).toBe(401);
    const first = await fetch(inbound, { method: 'POST', headers: signed(body), body });
    expect(first.status).toBe(201);
    const { surveyId } = (await first.json()) as { surveyId: string };
    const again = await fetch(inbound, { method: 'POST', headers: signed(body), body });
    expect(again.status).toBe(409);

    const auth = { Authorization: `Bearer ${key}` };
    const email = await (await fetch(`${base}/v1/sites/acme/surveys/${surveyId}/email.txt`, { headers: auth })).text();
    const token = /\/s\/([\w-]{43})/.exec(email)![1]!;
    const reacted = await fetch(`${base}/v1/responses`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ token, reaction: 'negative', comment: 'Nobody called back' }) });
    expect(reacted.status).toBe(201);

    // The server's worker polls every 2 s.
    const deadline = Date.now() + 15_000;
    while (zendesk.seen.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(zendesk.refused).toEqual([]);
    expect(zendesk.seen).toHaveLength(1);
    expect(zendesk.seen[0]).toMatchObject({ method: 'PUT', path: '/api/v2/tickets/48213' });
    const note = (zendesk.seen[0]!.body as { ticket: { comment: { body: string; public: boolean } } }).ticket.comment;
    expect(note.public).toBe(false);
    expect(note.body).toContain('negative');
    expect(note.body).toContain('Nobody called back');
    expect(note.body).toContain(`${base}/admin?site=acme#response=rs_`);

    const list = (await (await fetch(`${base}/v1/sites/acme/connectors`, { headers: auth })).json()) as { items: Array<Record<string, any>> };
    expect(list.items[0]).toMatchObject({ provider: 'zendesk', writeBack: true, writeBacks: { delivered: 1, pending: 0, failed: 0 } });
    expect(list.items[0]!.lastEvent.summary).toContain('close of ticket 48213');
    expect(JSON.stringify(list)).not.toContain(CREDENTIALS.zendesk.apiToken);
    expect(JSON.stringify(list)).not.toContain(SIGNING_SECRET);
  });
});
