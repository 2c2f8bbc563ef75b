// The SMTP password is never printed back: csat site set/list and the settings route say "set" or
// "not set", and the value is stored sealed.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../api/cli/main.js';
import { secretBox } from '../../../api/domain/secret-box.js';
import { smtpUrlContext } from '../../../api/email/smtp-settings.js';
import { loadServerSecret } from '../../../api/server-secret.js';
import { openSqliteStore } from '../../../api/store/sqlite.js';
import { tempDir, testApi, T0 } from '../helpers.js';

const PASSWORD = 'Pa55-w0rd-never-shown';
const URL_WITH_PASSWORD = `smtp://mailer:${PASSWORD}@mail.acme.example:587`;

async function csat(args: string[], env: Record<string, string> = {}) {
  const lines: string[] = [];
  const code = await runCli(args, { out: (l) => lines.push(l), write: (t) => lines.push(t), err: (l) => lines.push(l), env, now: () => T0 });
  return { code, text: lines.join('\n') };
}

describe('SMTP password', () => {
  it('csat site set/list show "smtp set", never the URL; the stored value opens only with the server secret', async () => {
    const db = path.join(tempDir(), 'csat.db');
    expect((await csat(['site', 'create', 'acme', '--name', 'Acme IT', '--db', db])).code).toBe(0);
    const set = await csat(['site', 'set', 'acme', '--sender-email', 'desk@acme.example', '--sender-name', 'Acme Desk', '--smtp-url', URL_WITH_PASSWORD, '--email-delay-minutes', '15', '--db', db]);
    expect(set.code, set.text).toBe(0);
    expect(set.text).toBe('acme  Acme IT  window 90d  change 7d  throttle off  en  email "Acme Desk" desk@acme.example (smtp set, delay 15 min)');
    const list = await csat(['site', 'list', '--db', db]);
    expect(list.text).toContain('smtp set');
    for (const text of [set.text, list.text]) {
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain('mail.acme.example');
    }

    const store = openSqliteStore(db);
    const site = (await store.getSite('acme'))!;
    const settings = await store.getEmailSettings(site.id);
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    expect(fs.readFileSync(db).toString('latin1')).not.toContain(PASSWORD);
    expect(secretBox(loadServerSecret(undefined, db)).open(settings.smtpUrlSealed!, smtpUrlContext(site.id))).toBe(URL_WITH_PASSWORD);
    await store.close();

    // A bad URL is refused without being echoed; "" goes back to the server-wide server.
    const bad = await csat(['site', 'set', 'acme', '--smtp-url', `http://u:${PASSWORD}@x`, '--db', db]);
    expect(bad.code).toBe(2);
    expect(bad.text).not.toContain(PASSWORD);
    const cleared = await csat(['site', 'set', 'acme', '--smtp-url', '', '--db', db]);
    expect(cleared.text).toContain('smtp not set');
    expect((await csat(['site', 'set', 'acme', '--email-delay-minutes', 'soon', '--db', db])).code).toBe(2);
  });

  it('the settings route takes the URL and answers "set"; nothing returns it', async () => {
    const t = await testApi();
    const auth = { Authorization: `Bearer ${t.key}` };
    const patched = await t.json('PATCH', '/v1/sites/acme/email-settings', { senderEmail: 'desk@acme.example', smtpUrl: URL_WITH_PASSWORD, delayMinutes: 5 }, auth);
    expect(patched.status).toBe(200);
    const body = await patched.text();
    expect(body).not.toContain(PASSWORD);
    expect(JSON.parse(body)).toEqual({ senderName: null, senderEmail: 'desk@acme.example', replyTo: null, smtp: 'set', delayMinutes: 5 });
    const read = await t.json('GET', '/v1/sites/acme/email-settings', undefined, auth);
    expect(await read.text()).not.toContain(PASSWORD);
    const bad = await t.json('PATCH', '/v1/sites/acme/email-settings', { smtpUrl: `ftp://u:${PASSWORD}@x` }, auth);
    expect(bad.status).toBe(400);
    expect(await bad.text()).not.toContain(PASSWORD);
    expect((await t.json('PATCH', '/v1/sites/acme/email-settings', { delayMinutes: -1 }, auth)).status).toBe(400);
    expect((await t.json('PATCH', '/v1/sites/acme/email-settings', { senderEmail: 'not an address' }, auth)).status).toBe(400);
    expect((await t.json('PATCH', '/v1/sites/acme/email-settings', { smtp: 'x' }, auth)).status).toBe(400);
    expect((await t.json('GET', '/v1/sites/acme/email-settings')).status).toBe(401);
  });
});
