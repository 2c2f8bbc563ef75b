// The database, its WAL and shared memory, backups and the server-secret file hold secrets (webhook
// secrets, sealed SMTP settings, the key that seals them): all are created readable by the owner only.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../api/cli/main.js';
import { loadServerSecret, secretFileFor } from '../../../api/server-secret.js';
import { backupDatabase } from '../../../api/store/backup.js';
import { openSqliteStore } from '../../../api/store/sqlite.js';
import { tempDir, T0 } from '../helpers.js';

const mode = (file: string) => fs.statSync(file).mode & 0o777;

describe('file modes', () => {
  // The usual umask, which leaves files group- and world-readable unless the code asks otherwise.
  let previous: number;
  beforeAll(() => {
    previous = process.umask(0o022);
  });
  afterAll(() => {
    process.umask(previous);
  });

  it('a new database and its -wal and -shm files are 0600, under umask 022', async () => {
    const db = path.join(tempDir(), 'data', 'csat.db');
    const store = openSqliteStore(db);
    await store.createSite({ slug: 'acme', name: 'Acme' }, T0);
    expect(fs.existsSync(`${db}-wal`)).toBe(true);
    expect(fs.existsSync(`${db}-shm`)).toBe(true);
    for (const file of [db, `${db}-wal`, `${db}-shm`]) expect(mode(file), file).toBe(0o600);
    await store.close();
  });

  it('tightens a database left 0644 by an older version', async () => {
    const db = path.join(tempDir(), 'csat.db');
    await openSqliteStore(db).close();
    fs.chmodSync(db, 0o644);
    const store = openSqliteStore(db);
    expect(mode(db)).toBe(0o600);
    await store.close();
  });

  it('backups, from the API and from csat backup, are 0600', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'csat.db');
    const store = openSqliteStore(db);
    await store.createSite({ slug: 'acme', name: 'Acme' }, T0);
    await backupDatabase(store.db, path.join(dir, 'copy.db'));
    expect(mode(path.join(dir, 'copy.db'))).toBe(0o600);
    await store.close();

    const out: string[] = [];
    const code = await runCli(['backup', path.join(dir, 'backups', 'nightly.db'), '--db', db], {
      out: (l) => out.push(l), write: () => {}, err: (l) => out.push(l), env: {}, now: () => T0,
    });
    expect(code, out.join('\n')).toBe(0);
    expect(mode(path.join(dir, 'backups', 'nightly.db'))).toBe(0o600);
  });

  it('the server-secret file is created 0600 and an older, wider one is tightened', () => {
    const db = path.join(tempDir(), 'data', 'csat.db');
    const secret = loadServerSecret(undefined, db);
    expect(secret).toHaveLength(32);
    expect(mode(secretFileFor(db))).toBe(0o600);
    expect(loadServerSecret(undefined, db).equals(secret)).toBe(true);
    fs.chmodSync(secretFileFor(db), 0o644);
    expect(loadServerSecret(undefined, db).equals(secret)).toBe(true);
    expect(mode(secretFileFor(db))).toBe(0o600);
  });
});
