// The server secret: the survey-token HMAC key, and the root from which the key that seals stored
// secrets (SMTP passwords, connector credentials) is derived. CSAT_SECRET, else a random key kept in a
// file beside the database, readable by its owner only, so links keep working across restarts without
// any setup. The server and the csat CLI read the same one.
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { isPostgresUrl } from './store/open.js';

export const SECRET_FILE_NAME = 'token-secret';

export function secretFileFor(dbFile: string): string {
  return path.join(path.dirname(path.resolve(dbFile)), SECRET_FILE_NAME);
}

export function loadServerSecret(envSecret: string | undefined, dbFile: string): Buffer {
  if (envSecret) return Buffer.from(envSecret, envSecret.includes('-') || envSecret.includes('_') ? 'base64url' : 'base64');
  // A PostgreSQL database has no folder to keep a key file in, and its instances must all sign alike.
  if (isPostgresUrl(dbFile)) throw new Error('CSAT_SECRET is required with a PostgreSQL database (the same value on every instance and for the csat command)');
  const file = secretFileFor(dbFile);
  try {
    const secret = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
    // A file from an older version or a copy may be readable by others: tighten it.
    if ((fs.statSync(file).mode & 0o077) !== 0) fs.chmodSync(file, 0o600);
    return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const secret = randomBytes(32);
  try {
    fs.writeFileSync(file, `${secret.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    // The server and the CLI started at the same moment: the other one wrote it first.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return loadServerSecret(undefined, dbFile);
    throw error;
  }
  return secret;
}
