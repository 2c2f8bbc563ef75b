// The PostgreSQL store's core against a real PostgreSQL database: sites, keys, surveys, answers and
// their chain, and what two instances (two pools on one database) do when they race.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshPgDatabase, type PgDatabase } from '../../../pg-database.js';
import { openPgStore } from '../../../../api/store/pg/index.js';
import { connect } from '../../../../api/store/pg/connection.js';
import { migratePg, PG_MIGRATIONS } from '../../../../api/store/pg/migrations.js';
import { ConflictError, ImportError } from '../../../../api/store/errors.js';
import { verifyChain } from '../../../../api/domain/chain.js';
import { describeTarget, isPostgresUrl, openStore } from '../../../../api/store/open.js';
import { readEnv } from '../../../../api/env.js';
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

const DAY = 86_400_000;
const WEEK = 7 * DAY;

async function survey(s: Store, siteId: number, ticketRef: string, at = T0, extra: Partial<Parameters<Store['createSurvey']>[0]> = {}) {
  return (await s.createSurvey({ siteId, ticketRef, tokenId: randomBytes(16), expiresAt: at + 30 * DAY, ...extra }, at)).survey;
}

describe('answers', () => {
  it('records a first answer, a change within the window and refuses one after it, with events and counts', async () => {
    const site = await store.createSite({ slug: 'answers', name: 'Answers' }, T0);
    const sv = await survey(store, site.id, 'A-1', T0, { team: 'Desk', technician: 'Ann' });
    const first = await store.submitResponse({ survey: sv, reaction: 'negative', comment: 'slow', dimensions: ['responsiveness'], changeWindowMs: WEEK }, T0 + 1000);
    expect(first.status).toBe('created');
    expect(first.response).toMatchObject({ siteId: site.id, surveyId: sv.id, ticketRef: 'A-1', reaction: 'negative', value: -1, kind: 'reaction', scale: null, comment: 'slow', dimensions: ['responsiveness'], source: 'survey', createdAt: T0 + 1000, updatedAt: T0 + 1000, changeableUntil: T0 + 1000 + WEEK });
    expect(first.response.id).toMatch(/^rs_/);
    expect(await store.getResponseForSurvey(sv.id)).toEqual(first.response);

    const changed = await store.submitResponse({ survey: sv, reaction: 'positive', changeWindowMs: DAY }, T0 + 2000);
    expect(changed).toEqual({ status: 'changed', response: { ...first.response, reaction: 'positive', value: 1, updatedAt: T0 + 2000 } });
    const late = await store.submitResponse({ survey: sv, reaction: 'neutral', changeWindowMs: WEEK }, T0 + 1000 + WEEK);
    expect(late).toEqual({ status: 'window_closed', response: changed.response });

    const day = Math.floor((T0 + 1000) / DAY);
    expect(await store.countsBetween(site.id, day, day)).toEqual({ positive: 1, neutral: 0, negative: 0, imported: 0 });
    expect(await store.answersBetween(site.id, { kind: 'reaction', scale: null }, day, day, null)).toEqual({ values: new Map([[1, 1], [-1, 0]]), imported: 0 });
    expect(await store.countMismatches(site.id)).toEqual([]);
    const events = await store.listEvents(site.id);
    expect(events.map((e) => [e.seq, e.type, e.reaction])).toEqual([[1, 'submit', 'negative'], [2, 'change', 'positive']]);
    expect(verifyChain(events)).toMatchObject({ valid: true, length: 2 });
    expect(await store.lastEventAt(site.id)).toBe(T0 + 2000);
    expect(await store.activityBetween(site.id, day - 1, day)).toEqual([{ day, issued: 1, answered: 1 }]);
    // A follow-up opened by the negative answer stays open after the change to positive.
    const item = await store.getResponse(site.id, first.response.id);
    expect(item).toMatchObject({ followUp: 'open', team: 'Desk', technician: 'Ann', notes: 0, noteList: [] });
  });

  it('keeps a CSAT answer\'s value in its event and its per-value counts', async () => {
    const site = await store.createSite({ slug: 'scale', name: 'Scale', kind: 'csat', scale: 5 }, T0);
    const sv = await survey(store, site.id, 'C-1');
    await store.submitResponse({ survey: sv, value: 4, changeWindowMs: WEEK }, T0);
    const changed = await store.submitResponse({ survey: sv, value: 5, changeWindowMs: WEEK }, T0 + 5);
    expect(changed.response).toMatchObject({ reaction: 'positive', value: 5, kind: 'csat', scale: 5 });
    const day = Math.floor(T0 / DAY);
    expect(await store.answersBetween(site.id, { kind: 'csat', scale: 5 }, day, day, ['ticket-closed'])).toEqual({ values: new Map([[4, 0], [5, 1]]), imported: 0 });
    expect(await store.answersBetween(site.id, { kind: 'csat', scale: 5 }, day, day, ['onboarding'])).toEqual({ values: new Map(), imported: 0 });
    const events = await store.listEvents(site.id);
    expect(events.map((e) => e.value)).toEqual([4, 5]);
    expect(verifyChain(events).valid).toBe(true);
  });

  it('refuses to rewrite an event or to change a response\'s class without one', async () => {
    const site = (await store.getSite('answers'))!;
    await expect(store.sql`UPDATE response_events SET reaction = 'neutral' WHERE site_id = ${site.id}`).rejects.toThrow(/append-only/);
    await expect(store.sql`DELETE FROM response_events WHERE site_id = ${site.id}`).rejects.toThrow(/append-only/);
    await expect(store.sql`UPDATE responses SET reaction = 'neutral' WHERE site_id = ${site.id}`).rejects.toThrow(/only with its event/);
  });

  it('makes one response of 50 concurrent first answers to one ticket over two instances, and a chain that verifies', async () => {
    const other = await openPgStore(db.url);
    try {
      const site = await store.createSite({ slug: 'race', name: 'Race' }, T0);
      const sv = await survey(store, site.id, 'R-1');
      const reactions = ['positive', 'neutral', 'negative'] as const;
      const outcomes = await Promise.all(Array.from({ length: 50 }, (_, i) =>
        (i % 2 ? other : store).submitResponse({ survey: sv, reaction: reactions[i % 3]!, changeWindowMs: WEEK }, T0 + 10)));
      expect(outcomes.filter((o) => o.status === 'created')).toHaveLength(1);
      expect(outcomes.filter((o) => o.status === 'changed')).toHaveLength(49);
      expect(new Set(outcomes.map((o) => o.response.id)).size).toBe(1);
      const [row] = await store.sql<{ n: number }[]>`SELECT count(*) AS n FROM responses WHERE survey_id = ${sv.id}`;
      expect(row!.n).toBe(1);
      const events = await other.listEvents(site.id);
      expect(events).toHaveLength(50);
      expect(verifyChain(events)).toMatchObject({ valid: true, length: 50 });
      const day = Math.floor((T0 + 10) / DAY);
      const counts = await store.countsBetween(site.id, day, day);
      expect(counts.positive + counts.neutral + counts.negative).toBe(1);
      expect(await store.countMismatches(site.id)).toEqual([]);
    } finally {
      await other.close();
    }
  });

  it('sees another instance\'s commit in dataVersion', async () => {
    const other = await openPgStore(db.url);
    try {
      const site = (await store.getSite('race'))!;
      const before = await store.dataVersion();
      await other.submitResponse({ survey: await survey(other, site.id, 'R-2'), reaction: 'positive', changeWindowMs: WEEK }, T0);
      expect(await store.dataVersion()).toBeGreaterThan(before);
      // A settings change reaches the other instance's change feed once it commits.
      const heard: Array<number | null> = [];
      const stop = other.changes.onChange((siteId) => heard.push(siteId));
      const between = await other.dataVersion();
      await store.updateSite('race', { windowDays: 30 });
      for (let i = 0; i < 100 && !heard.includes(site.id); i++) await new Promise((resolve) => setTimeout(resolve, 20));
      stop();
      expect(heard).toContain(site.id);
      expect(await other.dataVersion()).toBeGreaterThan(between);
    } finally {
      await other.close();
    }
  });
});

describe('imports', () => {
  it('imports all rows in one go, chained and counted as imported, or none with every offending line', async () => {
    const site = await store.createSite({ slug: 'imports', name: 'Imports' }, T0);
    await survey(store, site.id, 'I-taken');
    const bad = store.importResponses(site.id, [
      { line: 2, respondedAt: T0 - DAY, ticketRef: 'I-1', reaction: 'positive', comment: null },
      { line: 3, respondedAt: T0 - DAY, ticketRef: 'I-taken', reaction: 'positive', comment: null },
      { line: 4, respondedAt: T0 - DAY, ticketRef: 'I-1', reaction: 'negative', comment: null },
    ], T0);
    await expect(bad).rejects.toBeInstanceOf(ImportError);
    await expect(bad).rejects.toMatchObject({ problems: [
      { line: 3, message: 'ticket I-taken already has a survey or rating on this site' },
      { line: 4, message: 'ticket I-1 already appears on line 2' },
    ] });
    expect(await store.listEvents(site.id)).toEqual([]);

    const rows = Array.from({ length: 2500 }, (_, i) => ({
      line: i + 2, respondedAt: T0 - (i % 3) * DAY, ticketRef: `I-${i}`, reaction: (['positive', 'neutral', 'negative'] as const)[i % 3]!, comment: i === 0 ? 'fine' : null,
    }));
    expect(await store.importResponses(site.id, rows, T0)).toEqual({ imported: 2500 });
    const day = Math.floor(T0 / DAY);
    expect(await store.countsBetween(site.id, day - 2, day)).toEqual({ positive: 834, neutral: 833, negative: 833, imported: 2500 });
    expect(await store.originBetween(site.id, day - 2, day)).toEqual({ imported: 2500, firstImportedDay: day - 2, lastImportedDay: day, seeded: 0, sealed: 0 });
    const events = await store.listEvents(site.id);
    expect(events).toHaveLength(2500);
    expect(events.every((e) => e.type === 'import')).toBe(true);
    // Oldest first.
    expect(events[0]!.respondedAt).toBe(T0 - 2 * DAY);
    expect(verifyChain(events).valid).toBe(true);
    expect(await store.countMismatches(site.id)).toEqual([]);
    await expect(store.createSurvey({ siteId: site.id, ticketRef: 'I-7', tokenId: randomBytes(16), expiresAt: T0 + DAY }, T0)).rejects.toMatchObject({ code: 'ticket_already_rated' });
  });
});

describe('inbox', () => {
  it('pages newest first by cursor, filters, moves follow-ups by the allowed moves only and keeps notes', async () => {
    const site = await store.createSite({ slug: 'inbox', name: 'Inbox' }, T0);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const sv = await survey(store, site.id, `N-${i}`, T0, { team: i % 2 ? 'Alpha' : 'beta' });
      ids.push((await store.submitResponse({ survey: sv, reaction: i % 2 ? 'negative' : 'positive', comment: i === 4 ? 'hi' : null, changeWindowMs: WEEK }, T0 + (i < 3 ? 100 : 200 + i))).response.id);
    }
    const all = await store.listResponses(site.id, {}, null, 10);
    expect(all.map((r) => r.id)).toEqual([...all.map((r) => r.id)].sort((a, b) => {
      const at = (id: string) => all.find((r) => r.id === id)!.createdAt;
      return at(b) - at(a) || (b < a ? -1 : b > a ? 1 : 0);
    }));
    const page1 = await store.listResponses(site.id, {}, null, 2);
    const page2 = await store.listResponses(site.id, {}, { createdAt: page1[1]!.createdAt, id: page1[1]!.id }, 2);
    const page3 = await store.listResponses(site.id, {}, { createdAt: page2[1]!.createdAt, id: page2[1]!.id }, 2);
    expect([...page1, ...page2, ...page3].map((r) => r.id)).toEqual(all.map((r) => r.id));
    expect((await store.listResponses(site.id, { reaction: 'negative' }, null, 10)).map((r) => r.id).sort()).toEqual([ids[1], ids[3]].sort());
    expect((await store.listResponses(site.id, { team: 'Alpha', followUp: 'open' }, null, 10))).toHaveLength(2);
    expect((await store.listResponses(site.id, { hasComment: true }, null, 10)).map((r) => r.id)).toEqual([ids[4]]);
    expect((await store.listResponses(site.id, { since: T0 + 200 }, null, 10))).toHaveLength(2);

    const id = ids[1]!;
    expect(await store.updateFollowUp(site.id, id, { to: 'none' }, T0)).toEqual({ status: 'illegal', from: 'open', to: 'none' });
    expect(await store.updateFollowUp(site.id, 'rs_nope', { to: 'contacted' }, T0)).toEqual({ status: 'not_found' });
    const moved = await store.updateFollowUp(site.id, id, { to: 'contacted', note: { author: 'ann', text: 'called' } }, T0 + 1);
    expect(moved).toMatchObject({ status: 'updated', item: { id, followUp: 'contacted', notes: 1, reaction: 'negative' } });
    await store.updateFollowUp(site.id, id, { note: { author: 'bo', text: 'again' } }, T0 + 2);
    const full = await store.getResponse(site.id, id);
    expect(full!.noteList).toEqual([
      { author: 'ann', text: 'called', followUp: 'contacted', at: T0 + 1 },
      { author: 'bo', text: 'again', followUp: null, at: T0 + 2 },
    ]);
    const notes = await store.listNotes(site.id, [id, ids[0]!]);
    expect([...notes.keys()]).toEqual([id]);
    const exported = await store.exportPage(site.id, {}, null, 10);
    expect(exported.map((e) => e.id)).toEqual(all.map((r) => r.id));
    expect(exported.find((e) => e.id === id)!.noteList).toHaveLength(2);
    expect(await store.getResponse(site.id + 999, id)).toBeNull();

    const day = Math.floor(T0 / DAY);
    expect(await store.report(site.id, 'team', day, day)).toEqual([
      { group: 'Alpha', positive: 0, neutral: 0, negative: 2, imported: 0 },
      { group: 'beta', positive: 3, neutral: 0, negative: 0, imported: 0 },
    ]);
    const week = await store.report(site.id, 'week', day, day, { kind: 'reaction', scale: null });
    expect(week).toEqual([{ group: day - ((day + 3) % 7), positive: 3, neutral: 0, negative: 2, imported: 0 }]);
    expect(await store.report(site.id, 'moment', day, day, { kind: 'nps', scale: null })).toEqual([]);
  });
});

describe('choosing the store with CSAT_DB', () => {
  it('opens PostgreSQL for a postgres:// or postgresql:// URL and SQLite for a file', async () => {
    expect(isPostgresUrl(db.url)).toBe(true);
    expect(isPostgresUrl(db.url.replace(/^postgres:/, 'postgresql:'))).toBe(true);
    expect(isPostgresUrl('./data/postgres.db')).toBe(false);
    const pg = await openStore(db.url.replace(/^postgres:/, 'postgresql:'));
    try {
      expect('sql' in pg).toBe(true);
      expect((await pg.getSite('acme'))!.name).toBe('Acme IT');
    } finally {
      await pg.close();
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csat-open-'));
    const lite = await openStore(path.join(dir, 'csat.db'));
    try {
      expect('db' in lite).toBe(true);
      expect(await lite.listSites()).toEqual([]);
    } finally {
      await lite.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('never shows the password, and needs CSAT_SECRET with PostgreSQL so every instance signs links alike', () => {
    expect(describeTarget('postgres://csat:hunter2@db.example:5432/csat')).toBe('postgres://csat:***@db.example:5432/csat');
    expect(describeTarget('./data/csat.db')).toBe('./data/csat.db');
    expect(() => readEnv({ CSAT_DB: 'postgres://csat:pw@db.example/csat' })).toThrow(/CSAT_SECRET/);
    const secret = randomBytes(32).toString('base64');
    expect(readEnv({ CSAT_DB: 'postgres://csat:pw@db.example/csat', CSAT_SECRET: secret }).CSAT_DB).toBe('postgres://csat:pw@db.example/csat');
    expect(readEnv({ CSAT_DB: './x.db' }).CSAT_SECRET).toBeUndefined();
  });
});
