// Erasure that keeps the score, against the built server as a child process: a distinctive email, name,
// comment and follow-up note written through the real API; erased through the admin API; then the raw
// bytes of the database file AND its -wal file hold none of them, while `csat verify` and the public
// score are what they were. A second erasure answers that nothing was left, and `csat erase` says so too.
// Needs the build: `npm run build` first.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../api/helpers.js';
import { freePort, killServers, root, startServer } from './server-process.js';

const run = promisify(execFile);
afterEach(() => killServers());

const EMAIL = 'Zorbulon.Quayleworth@Example.org';
const NAME = 'Zorbulon Quayleworth-Vantrip';
const COMMENT = 'Xylophage-Marmalade-7731 was rude on the phone';
const NOTE = 'Called back about Xylophage-Marmalade-7731, apologised';
/** What must not be on disk afterwards: the email as sent, then as stored (lower-cased), the name, the text. */
const SECRETS = [EMAIL, EMAIL.toLowerCase(), NAME, 'Xylophage-Marmalade-7731'];

/** Every file of the database (main, -wal, -shm) whose raw bytes contain the text, as Latin-1 so any byte sequence is searchable. */
function filesHolding(db: string, text: string): string[] {
  return [db, `${db}-wal`, `${db}-shm`].filter((f) => fs.existsSync(f) && fs.readFileSync(f).includes(Buffer.from(text, 'utf8')));
}

describe('erasure keeps the score', () => {
  it('erases the contact from the database and WAL files, keeps the rating: verify and the score unchanged', { timeout: 60_000 }, async () => {
    const db = path.join(tempDir(), 'csat.db');
    const csat = async (...args: string[]) => (await run(process.execPath, ['bin/csat.js', ...args, '--db', db], { cwd: root })).stdout;
    const key = (await csat('site', 'create', 'acme', '--name', 'Acme IT', '--quiet')).trim();
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    await startServer({ PORT: String(port), HOST: '127.0.0.1', CSAT_DB: db, CSAT_DEMO: '0', CSAT_PUBLIC_URL: base });
    const api = (method: string, url: string, body?: unknown) =>
      fetch(`${base}${url}`, {
        method,
        headers: { Authorization: `Bearer ${key}`, ...(body !== undefined && { 'Content-Type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });

    // Two contacts: the one who asks for erasure and another whose data must stay.
    const answer = async (ticketRef: string, contact: { email: string; name: string }, reaction: string, comment: string) => {
      const created = await api('POST', '/v1/sites/acme/surveys', { ticketRef, contact });
      expect(created.status).toBe(201);
      const { token } = (await created.json()) as { token: string };
      const answered = await fetch(`${base}/v1/responses`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ token, reaction, comment }) });
      expect(answered.status).toBe(201);
    };
    await answer('T-1', { email: EMAIL, name: NAME }, 'negative', COMMENT);
    await answer('T-2', { email: 'other@example.org', name: 'Other Person' }, 'positive', 'Kept comment of someone else');
    const inbox = (await (await api('GET', '/v1/sites/acme/responses')).json()) as { items: Array<{ id: string; ticketRef: string }> };
    const erasedId = inbox.items.find((i) => i.ticketRef === 'T-1')!.id;
    expect((await api('PATCH', `/v1/sites/acme/responses/${erasedId}`, { followUp: 'contacted', note: { author: 'Desk', text: NOTE } })).status).toBe(200);

    // The control: before the erasure the text IS in the files (the search can fail).
    for (const text of SECRETS.slice(1)) expect(filesHolding(db, text), text).not.toEqual([]);
    const scoreBefore = await (await fetch(`${base}/v1/sites/acme/score`)).json();
    const verifyBefore = await csat('verify', 'acme');

    const erased = await api('POST', '/v1/sites/acme/erasures', { contact: EMAIL });
    expect(erased.status).toBe(200);
    const body = (await erased.json()) as { erased: boolean; contact: string; counts: Record<string, number> };
    expect(body).toMatchObject({ erased: true, contact: EMAIL.toLowerCase(), counts: { surveys: 1, comments: 1, notes: 1 } });

    for (const text of SECRETS) expect(filesHolding(db, text), text).toEqual([]);
    expect(filesHolding(db, 'Kept comment of someone else')).not.toEqual([]);
    expect(await (await fetch(`${base}/v1/sites/acme/score`)).json()).toEqual(scoreBefore);
    const verifyAfter = await csat('verify', 'acme');
    expect(verifyAfter).toBe(verifyBefore);
    expect(verifyAfter).toMatch(/intact/);

    // The rating stays, anonymous: the reaction and the follow-up state are there, the text is not.
    const item = (await (await api('GET', `/v1/sites/acme/responses/${erasedId}`)).json()) as Record<string, unknown>;
    expect(item).toMatchObject({ reaction: 'negative', comment: null });
    expect(JSON.stringify(item)).not.toContain('Xylophage');

    // Again: a no-op that says so, by the API and by the CLI.
    const again = (await (await api('POST', '/v1/sites/acme/erasures', { contact: EMAIL })).json()) as { erased: boolean; message: string };
    expect(again.erased).toBe(false);
    expect(again.message).toContain('nothing to erase');
    expect(await csat('erase', 'acme', '--contact', EMAIL)).toContain('nothing to erase');
    expect(await (await fetch(`${base}/v1/sites/acme/score`)).json()).toEqual(scoreBefore);
  });
});
