// The PostgreSQL store's core against a real PostgreSQL database: sites, keys, surveys, answers and
// their chain, and what two instances (two pools on one database) do when they race.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshPgDatabase, type PgDatabase } from '../../../pg-database.js';
import { openPgStore } from '../../../../api/store/pg/index.js';
import { connect } from '../../../../api/store/pg/connection.js';
import { migratePg, PG_MIGRATIONS } from '../../../../api/store/pg/migrations.js';
import { ConflictError } from '../../../../api/store/errors.js';
import type { Store } from '../../../../api/store/types.js';
import type { Sql } from '../../../../api/store/pg/connection.js';

const T0 = Date.UTC(2026, 10, 2, 9, 0, 0);

let db: PgDatabase;
let store: Store & { sql: Sql };

beforeAll(async () => {
  db = await freshPgDatabase();
  store = await openPgStore(db.url);
});

afterAll(async () => {
  await store?.close();
  await db?.drop();
});

describe('migrations', () => {
  it('several instances migrating one fresh database at once apply each step once', async () => {
    const other = await freshPgDatabase();
    const pools = [connect(other.url, { max: 1 }), connect(other.url, { max: 1 }), connect(other.url, { max: 1 })];
    try {
      const versions = await Promise.all(pools.map((sql) => migratePg(sql)));
      expect(versions).toEqual(pools.map(() => PG_MIGRATIONS.at(-1)!.version));
      const rows = await pools[0]!<{ version: number }[]>`SELECT version FROM schema_version ORDER BY version`;
      expect(rows.map((r) => r.version)).toEqual(PG_MIGRATIONS.map((m) => m.version));
      // And again on the migrated database: nothing to do.
      expect(await migratePg(pools[1]!)).toBe(PG_MIGRATIONS.at(-1)!.version);
    } finally {
      await Promise.all(pools.map((sql) => sql.end({ timeout: 1 })));
      await other.drop();
    }
  });
});

describe('sites and keys', () => {
  it('creates, reads, updates and lists sites; a second site of one slug is a conflict', async () => {
    const site = await store.createSite({ slug: 'acme', name: 'Acme IT', industry: 'it' }, T0);
    expect(site).toMatchObject({ slug: 'acme', name: 'Acme IT', kind: 'reaction', scale: null, windowDays: 90, changeWindowDays: 7, tokenTtlDays: 30, locale: 'en', throttleDays: 0, createdAt: T0 });
    expect(typeof site.id).toBe('number');
    await expect(store.createSite({ slug: 'acme', name: 'Again' }, T0)).rejects.toMatchObject({ name: 'ConflictError', code: 'site_exists' });
    const csat = await store.createSite({ slug: 'Beta', name: 'Beta', kind: 'csat', scale: 5, scoreMoments: ['onboarding'] }, T0);
    expect(csat).toMatchObject({ kind: 'csat', scale: 5, scoreMoments: ['onboarding'] });
    expect(await store.getSite('acme')).toEqual(site);
    expect(await store.getSiteById(site.id)).toEqual(site);
    expect(await store.getSite('nope')).toBeNull();
    const updated = await store.updateSite('acme', { windowDays: 30, industry: null });
    expect(updated).toEqual({ ...site, windowDays: 30, industry: null });
    expect(await store.updateSite('nope', { windowDays: 30 })).toBeNull();
    // Byte order as in SQLite: 'Beta' before 'acme'.
    expect((await store.listSites()).map((s) => s.slug)).toEqual(['Beta', 'acme']);
  });

  it('keeps admin keys with their hash and revokes them once', async () => {
    const site = (await store.getSite('acme'))!;
    const hash = randomBytes(32);
    await store.addAdminKey({ id: 'k1', siteId: site.id, hash, label: 'desk' }, T0);
    await store.addAdminKey({ id: 'k2', siteId: site.id, hash: randomBytes(32), scope: 'wall' }, T0 + 1);
    expect(await store.getAdminKey('k1')).toEqual({ id: 'k1', siteId: site.id, scope: 'admin', hash, label: 'desk', createdAt: T0, revokedAt: null });
    expect((await store.listAdminKeys(site.id)).map((k) => [k.id, k.scope])).toEqual([['k1', 'admin'], ['k2', 'wall']]);
    expect(await store.revokeAdminKey(site.id, 'k1', T0 + 5)).toBe(true);
    expect(await store.revokeAdminKey(site.id, 'k1', T0 + 6)).toBe(false);
    expect((await store.getAdminKey('k1'))!.revokedAt).toBe(T0 + 5);
  });
});

describe('surveys', () => {
  it('issues one survey per ticket, lower-cases the contact and finds it by token', async () => {
    const site = (await store.getSite('acme'))!;
    const tokenId = randomBytes(16);
    const first = await store.createSurvey({ siteId: site.id, ticketRef: 'T-1', tokenId, contactEmail: 'Ann@Example.COM', team: 'Desk', expiresAt: T0 + 1000 }, T0);
    expect(first).toMatchObject({ created: true, throttled: false });
    expect(first.survey).toMatchObject({ siteId: site.id, ticketRef: 'T-1', contactEmail: 'ann@example.com', team: 'Desk', sealed: false, kind: 'reaction', scale: null, moment: 'ticket-closed', campaignId: null, createdAt: T0 });
    expect(first.survey.id).toMatch(/^sv_/);
    const again = await store.createSurvey({ siteId: site.id, ticketRef: 'T-1', tokenId: randomBytes(16), expiresAt: T0 + 1000 }, T0 + 1);
    expect(again).toEqual({ survey: first.survey, created: false, throttled: false });
    expect(await store.getSurveyByTokenId(tokenId)).toEqual(first.survey);
    expect(await store.getSurvey(site.id, first.survey.id)).toEqual(first.survey);
    expect(await store.getSurvey(site.id + 1000, first.survey.id)).toBeNull();
  });

  it('returns the contact\'s recent survey instead of a new one when throttled', async () => {
    const site = (await store.getSite('acme'))!;
    const recent = await store.createSurvey({ siteId: site.id, ticketRef: 'T-2', tokenId: randomBytes(16), contactEmail: 'bo@example.com', expiresAt: T0 + 1000 }, T0 + 10);
    const throttled = await store.createSurvey({ siteId: site.id, ticketRef: 'T-3', tokenId: randomBytes(16), contactEmail: 'BO@example.com', expiresAt: T0 + 1000, throttleSince: T0 }, T0 + 20);
    expect(throttled).toEqual({ survey: recent.survey, created: false, throttled: true });
    const later = await store.createSurvey({ siteId: site.id, ticketRef: 'T-3', tokenId: randomBytes(16), contactEmail: 'bo@example.com', expiresAt: T0 + 1000, throttleSince: T0 + 15 }, T0 + 20);
    expect(later.created).toBe(true);
  });

  it('gives a CSAT site\'s surveys its scale, and a campaign its own kind', async () => {
    const beta = (await store.getSite('Beta'))!;
    const { survey } = await store.createSurvey({ siteId: beta.id, ticketRef: 'B-1', tokenId: randomBytes(16), expiresAt: T0 + 1000, sealed: true }, T0);
    expect(survey).toMatchObject({ kind: 'csat', scale: 5, sealed: true });
    const nps = await store.createSurvey({ siteId: beta.id, ticketRef: 'B-2', tokenId: randomBytes(16), expiresAt: T0 + 1000, kind: 'nps', moment: 'onboarding', campaignId: 'cp_1' }, T0);
    expect(nps.survey).toMatchObject({ kind: 'nps', scale: null, moment: 'onboarding', campaignId: 'cp_1' });
  });

  it('refuses a survey for a ticket whose rating was imported', async () => {
    const site = (await store.getSite('acme'))!;
    await store.sql`INSERT INTO responses (id, site_id, ticket_ref, reaction, source, day, created_at, updated_at)
      VALUES ('rs_imported', ${site.id}, 'T-imp', 'positive', 'import', 20000, ${T0}, ${T0})`;
    const attempt = store.createSurvey({ siteId: site.id, ticketRef: 'T-imp', tokenId: randomBytes(16), expiresAt: T0 + 1000 }, T0);
    await expect(attempt).rejects.toBeInstanceOf(ConflictError);
    await expect(attempt).rejects.toMatchObject({ code: 'ticket_already_rated' });
  });
});
