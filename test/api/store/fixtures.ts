// Real database files for store tests, each closed and removed after its test, even when it fails.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach } from 'vitest';
import { newTokenId } from '../../../api/domain/tokens.js';
import { DAY_MS } from '../../../api/domain/window.js';
import { openSqliteStore } from '../../../api/store/sqlite.js';
import type { Site, Store, Survey } from '../../../api/store/types.js';
import { T0, tempDbFile } from '../helpers.js';

export type SqliteStore = Store & { db: Database.Database };

const opened: Database.Database[] = [];
const dirs: string[] = [];

afterEach(() => {
  for (const db of opened.splice(0)) if (db.open) db.close();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

export function newFile(): string {
  const file = tempDbFile();
  dirs.push(path.dirname(file));
  return file;
}

export function open(file: string): SqliteStore {
  const store = openSqliteStore(file);
  opened.push(store.db);
  return store;
}

/** A connection underneath the store, for looking at (or tampering with) what it wrote. */
export function raw(file: string, options?: Database.Options): Database.Database {
  const db = new Database(file, options);
  opened.push(db);
  return db;
}

export async function survey(store: Store, site: Site, ticketRef: string, now = T0): Promise<Survey> {
  const { survey: s } = await store.createSurvey(
    { siteId: site.id, ticketRef, tokenId: newTokenId(), expiresAt: now + site.tokenTtlDays * DAY_MS },
    now,
  );
  return s;
}
