// `csat connector create|set|list` on a real database file: the secret shown once with the setup
// steps, settings sealed and never printed again, the list showing state without credentials.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../api/cli/main.js';
import { openSqliteStore } from '../../../api/store/sqlite.js';
import { T0, tempDir } from '../helpers.js';

async function cli(args: string[], db: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli([...args, '--db', db], { out: (l) => out.push(l), write: (t) => out.push(t), err: (l) => err.push(l), env: { PORT: '8787' }, now: () => T0 });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('csat connector', () => {
  it('creates a connector, prints its URL, secret and steps once; set and list never print a credential', async () => {
    const db = path.join(tempDir(), 'csat.db');
    expect((await cli(['site', 'create', 'acme', '--name', 'Acme IT'], db)).code).toBe(0);

    const created = await cli(['connector', 'create', 'acme', 'freshdesk', 'apiUrl=https://acme.freshdesk.com', '--label', 'Support desk', '--url', 'https://csat.acme.example'], db);
    expect(created.code).toBe(0);
    const id = /Connector (cn_[\w-]{16})/.exec(created.out)?.[1];
    const secret = /Secret \(shown once, store it now\): (\S+)/.exec(created.out)?.[1];
    expect(id).toBeTruthy();
    expect(secret).toMatch(/^[\w-]{32}$/);
    expect(created.out).toContain(`Inbound URL: https://csat.acme.example/v1/sites/acme/connectors/${id}/events`);
    expect(created.out).toContain(`X-Csat-Connector-Secret: ${secret}`);
    expect(created.out).toContain(`csat connector set acme ${id}`);
    expect(created.out).toContain('Write-back: off');

    const set = await cli(['connector', 'set', 'acme', id!, 'apiKey=fd-very-secret-key', 'closedStatusIds=9', '--reopen'], db);
    expect(set.code).toBe(2); // closedStatusIds is not a Freshdesk setting
    expect(set.err).toContain('settings');
    const ok = await cli(['connector', 'set', 'acme', id!, 'apiKey=fd-very-secret-key', '--reopen'], db);
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('settings apiKey, apiUrl; write-back on, reopens');
    expect(ok.out).not.toContain('fd-very-secret-key');

    const list = await cli(['connector', 'list', 'acme'], db);
    expect(list.code).toBe(0);
    expect(list.out).toContain(`${id}  freshdesk (Support desk)`);
    expect(list.out).toContain('write-back: on, 0 pending, 0 delivered, 0 failed');
    expect(list.out).not.toContain(secret!);
    expect(list.out).not.toContain('fd-very-secret-key');

    // At rest: sealed, not readable in the file.
    const store = openSqliteStore(db);
    const raw = fs.readFileSync(db).toString('latin1') + fs.readFileSync(`${db}-wal`, { flag: 'a+' }).toString('latin1');
    expect(raw).not.toContain('fd-very-secret-key');
    expect(raw).not.toContain(secret!);
    await store.close();
  });

  it('refuses an unknown provider, an unknown connector and a malformed setting with exit code 2', async () => {
    const db = path.join(tempDir(), 'csat.db');
    await cli(['site', 'create', 'acme', '--name', 'Acme IT'], db);
    expect((await cli(['connector', 'create', 'acme', 'servicenow'], db)).code).toBe(2);
    expect((await cli(['connector', 'create', 'acme', 'generic', 'paths={not json'], db)).code).toBe(2);
    expect((await cli(['connector', 'create', 'acme', 'generic', 'justaword'], db)).code).toBe(2);
    expect((await cli(['connector', 'set', 'acme', 'cn_AAAAAAAAAAAAAAAA', 'a=b'], db)).code).toBe(2);
    expect((await cli(['connector', 'list', 'acme'], db)).out).toContain('no connectors');
  });
});
