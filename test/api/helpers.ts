// Shared setup for API tests: a real SQLite file in a fresh temp folder, a clock tests can move, and a
// site with an admin key.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { createApp } from '../../api/app.js';
import type { Clock } from '../../api/clock.js';
import type { AppConfig } from '../../api/config.js';
import { newAdminKey } from '../../api/domain/tokens.js';
import { DAY_MS } from '../../api/domain/window.js';
import { openSqliteStore } from '../../api/store/sqlite.js';
import type { NewSite, Site, Store } from '../../api/store/types.js';

export const T0 = Date.parse('2026-11-23T12:00:00.000Z');

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'csat-test-'));
}

export function tempDbFile(): string {
  return path.join(tempDir(), 'csat.db');
}

export class TestClock implements Clock {
  constructor(public ms = T0) {}
  now() {
    return this.ms;
  }
  advance(ms: number) {
    this.ms += ms;
  }
  advanceDays(days: number) {
    this.ms += Math.round(days * DAY_MS);
  }
}

/** Tests make many requests from one address: the reaction rate limit is off unless a test turns it on. */
export function testConfig(overrides: Partial<AppConfig> = {}): AppConfig {
  return { publicUrl: 'https://csat.example.com', tokenSecret: randomBytes(32), logError: () => {}, rateLimit: false, ...overrides };
}

export async function siteWithKey(store: Store, input: Partial<NewSite> = {}, now = T0): Promise<{ site: Site; key: string }> {
  const site = await store.createSite({ slug: 'acme', name: 'Acme IT', ...input }, now);
  const key = newAdminKey();
  await store.addAdminKey({ id: key.id, siteId: site.id, hash: key.hash }, now);
  return { site, key: key.key };
}

export interface TestApiOptions {
  site?: Partial<NewSite>;
  config?: Partial<AppConfig>;
}

/** A full app over a fresh database file, with helpers for the common calls. */
export async function testApi(options: TestApiOptions = {}) {
  const file = tempDbFile();
  const store = openSqliteStore(file);
  return { file, ...(await appOver(store, options)) };
}

/** A store a test opened, and how to close it and remove its database. */
export interface OpenedTestStore {
  store: Store;
  close(): Promise<void>;
}

/** As testApi, over a store the caller opens (e.g. each store of test/api/store/contract/stores.ts);
 * `close()` closes that store and removes its database. */
export async function testApiOver(open: () => Promise<OpenedTestStore>, options: TestApiOptions = {}) {
  const opened = await open();
  try {
    return { ...(await appOver(opened.store, options)), close: () => opened.close() };
  } catch (error) {
    await opened.close();
    throw error;
  }
}

async function appOver<S extends Store>(store: S, options: TestApiOptions) {
  const clock = new TestClock();
  const config = testConfig(options.config);
  const app = createApp({ store, clock, config });
  const { site, key } = await siteWithKey(store, options.site);

  const json = (method: string, url: string, body?: unknown, headers: Record<string, string> = {}) =>
    app.request(url, {
      method,
      headers: body === undefined ? headers : { 'Content-Type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  const createSurvey = async (ticketRef: string, extra: Record<string, unknown> = {}) => {
    const res = await json('POST', `/v1/sites/${site.slug}/surveys`, { ticketRef, ...extra }, { Authorization: `Bearer ${key}` });
    if (res.status !== 201 && res.status !== 200) throw new Error(`survey creation failed: ${res.status} ${await res.text()}`);
    return (await res.json()) as { id: string; token: string; expiresAt: string; links: Record<string, string> };
  };

  const react = (token: string, reaction: string, comment?: string | null) =>
    json('POST', '/v1/responses', comment === undefined ? { token, reaction } : { token, reaction, comment });

  const score = async () => {
    const res = await app.request(`/v1/sites/${site.slug}/score`);
    return (await res.json()) as { score: number | null; counts: Record<string, number>; [k: string]: unknown };
  };

  return { store, clock, config, app, site, key, json, createSurvey, react, score };
}
