// The demo's routes: only on a demo database (the demo sites alone), only for the demo sites (a survey
// of each kind on its own demo site), and minting a survey is limited per client address. The last test starts the built server (npm run build).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.js';
import { demoRoutes, isDemoDatabase } from '../../api/demo/routes.js';
import { DEMO_CSAT_SLUG, DEMO_NPS_SLUG, DEMO_SLUG } from '../../api/demo/seed.js';
import { openSqliteStore } from '../../api/store/sqlite.js';
import { listen } from './http-server.js';
import { tempDbFile, testConfig } from './helpers.js';
import { freePort, killServers, root, startServer } from '../e2e/server-process.js';

afterEach(() => killServers());

const SECRET = Buffer.alloc(32, 7);
const T0 = Date.UTC(2026, 2, 1);
const clock = { now: () => T0 };

async function demoServer(options: { seed: boolean; realSite?: boolean; limit?: number; reactionOnly?: boolean }) {
  const store = openSqliteStore(tempDbFile());
  // What the seed leaves: the demo sites alone (a database seeded before the CSAT and NPS sites: the first alone).
  if (options.seed) await store.createSite({ slug: DEMO_SLUG, name: 'Demo IT' }, T0);
  if (options.seed && !options.reactionOnly) {
    await store.createSite({ slug: DEMO_CSAT_SLUG, name: 'Demo IT visits', kind: 'csat', scale: 5 }, T0);
    await store.createSite({ slug: DEMO_NPS_SLUG, name: 'Demo IT clients', kind: 'nps' }, T0);
  }
  if (options.realSite) await store.createSite({ slug: 'acme', name: 'Acme IT' }, T0);
  const app = createApp({ store, clock, config: testConfig({ tokenSecret: SECRET }) });
  app.route('/', demoRoutes({ store, clock, tokenSecret: SECRET, root: tempDbFile(), rateLimit: { windowMs: 60_000, limit: options.limit ?? 10 } }));
  const server = await listen(app);
  const tryIt = (body = '') => fetch(`${server.url}/demo/try`, { method: 'POST', redirect: 'manual', headers: { Origin: server.url, 'Content-Type': 'application/x-www-form-urlencoded' }, body });
  const surveys = () => (store.db.prepare('SELECT s.slug, count(*) AS n FROM surveys v JOIN sites s ON s.id = v.site_id GROUP BY s.slug').all() as Array<{ slug: string; n: number }>);
  return { store, server, tryIt, surveys, close: async () => (await server.close(), await store.close()) };
}

describe('the demo routes', () => {
  it('on the demo database: /demo/try mints a survey on the demo site only', async () => {
    const t = await demoServer({ seed: true });
    try {
      expect(await isDemoDatabase(t.store)).toBe(true);
      const before = t.surveys();
      const res = await t.tryIt();
      expect(res.status).toBe(303);
      expect(res.headers.get('Location')).toMatch(/^\/demo\/portal\.html\?csat_token=/);
      const after = t.surveys();
      expect(after.map((r) => r.slug)).toEqual([DEMO_SLUG]);
      expect(after[0]!.n).toBe((before[0]?.n ?? 0) + 1);
    } finally {
      await t.close();
    }
  });

  it('mint a survey of each kind on that kind\'s demo site, whose answer API speaks that kind', async () => {
    const t = await demoServer({ seed: true });
    try {
      const expected = [
        { kind: 'reaction', site: DEMO_SLUG, scale: null, moment: 'ticket-closed' },
        { kind: 'csat', site: DEMO_CSAT_SLUG, scale: 5, moment: 'ticket-closed' },
        { kind: 'nps', site: DEMO_NPS_SLUG, scale: null, moment: 'relationship' },
      ];
      for (const want of expected) {
        const res = await t.tryIt(`kind=${want.kind}`);
        expect(res.status, want.kind).toBe(303);
        const token = /^\/demo\/portal\.html\?csat_token=([\w-]+)$/.exec(res.headers.get('Location') ?? '')?.[1];
        expect(token, want.kind).toBeTruthy();
        const answer = await (await fetch(`${t.server.url}/v1/responses/${token!}`)).json();
        expect(answer, want.kind).toMatchObject({ answered: false, ...want });
      }
      expect(t.surveys().sort((x, y) => x.slug.localeCompare(y.slug))).toEqual([
        { slug: DEMO_SLUG, n: 1 },
        { slug: DEMO_CSAT_SLUG, n: 1 },
        { slug: DEMO_NPS_SLUG, n: 1 },
      ]);
      // No kind: a reaction survey, as before there were kinds.
      const plain = await t.tryIt();
      expect(plain.status).toBe(303);
      expect(t.surveys().find((r) => r.slug === DEMO_SLUG)!.n).toBe(2);
    } finally {
      await t.close();
    }
  });

  it('refuse an unknown kind with a 400 and mint nothing; a kind whose demo site is missing is a 404', async () => {
    const t = await demoServer({ seed: true });
    try {
      const res = await t.tryIt('kind=stars');
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalid_kind');
      expect(t.surveys()).toEqual([]);
    } finally {
      await t.close();
    }
    const old = await demoServer({ seed: true, reactionOnly: true });
    try {
      expect(await isDemoDatabase(old.store)).toBe(true);
      const res = await old.tryIt('kind=nps');
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_found');
      expect(old.surveys()).toEqual([]);
      expect((await old.tryIt('kind=reaction')).status).toBe(303);
    } finally {
      await old.close();
    }
  });

  it('do not exist on a database that holds a real site too, or no demo site: 404 for the pages and /demo/try, nothing minted', async () => {
    for (const options of [{ seed: true, realSite: true }, { seed: false, realSite: true }, { seed: false }]) {
      const t = await demoServer(options);
      try {
        expect(await isDemoDatabase(t.store)).toBe(false);
        const before = t.surveys();
        const tried = await t.tryIt();
        expect(tried.status, JSON.stringify(options)).toBe(404);
        expect(((await tried.json()) as { error: { code: string } }).error.code).toBe('not_found');
        expect((await fetch(`${t.server.url}/demo/`)).status).toBe(404);
        expect((await fetch(`${t.server.url}/demo`, { redirect: 'manual' })).status).toBe(404);
        expect(t.surveys()).toEqual(before);
      } finally {
        await t.close();
      }
    }
  });

  it('turn off as soon as a real site is added, without a restart', async () => {
    const t = await demoServer({ seed: true });
    try {
      expect((await t.tryIt()).status).toBe(303);
      await t.store.createSite({ slug: 'acme', name: 'Acme IT' }, T0);
      expect((await t.tryIt()).status).toBe(404);
    } finally {
      await t.close();
    }
  });

  it('limit /demo/try per client address with a 429 and Retry-After; nothing minted past the limit', async () => {
    const t = await demoServer({ seed: true, limit: 3 });
    try {
      const before = t.surveys()[0]?.n ?? 0;
      const statuses = [];
      for (let i = 0; i < 5; i += 1) statuses.push((await t.tryIt()).status);
      expect(statuses).toEqual([303, 303, 303, 429, 429]);
      const limited = await t.tryIt();
      expect(Number(limited.headers.get('Retry-After'))).toBeGreaterThanOrEqual(1);
      expect(((await limited.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
      expect(t.surveys()[0]!.n).toBe(before + 3);
    } finally {
      await t.close();
    }
  });

  it('the built server over a database with a real site: no demo links printed, /demo/ and /demo/try are 404', { timeout: 30_000 }, async () => {
    const db = tempDbFile();
    await promisify(execFile)(process.execPath, ['bin/csat.js', 'site', 'create', 'acme', '--name', 'Acme IT', '--quiet', '--db', db], { cwd: root });
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const server = await startServer({ PORT: String(port), HOST: '127.0.0.1', CSAT_DB: db, CSAT_DEMO: '1' });
    expect(server.output()).toContain('listening on');
    expect(server.output()).not.toContain('/demo/');
    expect((await fetch(`${base}/demo/`)).status).toBe(404);
    expect((await fetch(`${base}/demo/try`, { method: 'POST', headers: { Origin: base, 'Content-Type': 'application/x-www-form-urlencoded' }, body: '' })).status).toBe(404);
  });
});
