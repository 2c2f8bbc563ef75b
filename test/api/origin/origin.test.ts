// The score says where its ratings came from (imported, demo-seeded, sealed) and the public activity
// route says how many surveys were issued and answered per day.
import { describe, expect, it } from 'vitest';
import { seedDemo } from '../../../api/demo/seed.js';
import { publicScore } from '../../../api/services/public-score.js';
import { surveyToken } from '../../../api/domain/tokens.js';
import { isoDay, dayOf } from '../../../api/domain/window.js';
import { openSqliteStore } from '../../../api/store/sqlite.js';
import { tempDbFile, testApi, T0 } from '../helpers.js';

const DAY = 86_400_000;

describe('origin of the ratings', () => {
  it('counts imported ratings with their first and last day, sealed answers, and leaves live ones plain', async () => {
    const t = await testApi();
    await t.store.importResponses(t.site.id, [
      { line: 2, respondedAt: T0 - 20 * DAY, ticketRef: 'OLD-1', reaction: 'positive', comment: null },
      { line: 3, respondedAt: T0 - 5 * DAY, ticketRef: 'OLD-2', reaction: 'negative', comment: null },
      // Outside the 90-day window: not in the score, not in its origin.
      { line: 4, respondedAt: T0 - 200 * DAY, ticketRef: 'OLD-3', reaction: 'negative', comment: null },
    ], T0);
    const live = await t.createSurvey('T-1');
    expect((await t.react(live.token, 'positive')).status).toBe(201);
    await t.store.setEmailSettings(t.site.id, { senderEmail: 'desk@acme.example' });
    const sealed = await t.createSurvey('T-2', { contact: { email: 'c@example.com' } });
    const token = surveyToken(t.config.tokenSecret, (await t.store.getSurvey(t.site.id, sealed.id))!.tokenId);
    expect((await t.react(token, 'neutral')).status).toBe(201);

    const score = await t.score();
    expect(score.counts).toMatchObject({ total: 4, imported: 2 });
    expect(score.origin).toEqual({
      imported: 2,
      importedDays: { from: isoDay(dayOf(T0 - 20 * DAY)), to: isoDay(dayOf(T0 - 5 * DAY)) },
      seeded: 0,
      sealed: 1,
    });
  });

  it('has no imported days and zero counts for a site with only live answers', async () => {
    const t = await testApi();
    expect((await t.score()).origin).toEqual({ imported: 0, importedDays: null, seeded: 0, sealed: 0 });
  });

  it('marks every rating of the demo history as seeded', async () => {
    const store = openSqliteStore(tempDbFile());
    const { site } = await seedDemo(store, T0);
    const score = await publicScore(store, site, T0);
    expect(score.counts.total).toBe(1061);
    expect(score.origin).toMatchObject({ seeded: 1061, imported: 0, sealed: 0 });
    await store.close();
  }, 60_000);
});

describe('GET /v1/sites/:site/activity', () => {
  it('is public and gives surveys issued and answered per day of the window', async () => {
    const t = await testApi();
    const a = await t.createSurvey('T-1');
    await t.createSurvey('T-2');
    t.clock.advance(DAY);
    await t.createSurvey('T-3');
    expect((await t.react(a.token, 'positive')).status).toBe(201);
    await t.store.importResponses(t.site.id, [{ line: 2, respondedAt: T0 - 3 * DAY, ticketRef: 'OLD-1', reaction: 'positive', comment: null }], T0);

    const res = await t.app.request('/v1/sites/acme/activity');
    expect(res.status).toBe(200);
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('*');
    const body = await res.json();
    expect(body).toMatchObject({ site: 'acme', issued: 3, answered: 1 });
    // The imported rating is neither issued nor answered here.
    expect(body.perDay).toEqual([
      { day: isoDay(dayOf(T0)), issued: 2, answered: 0 },
      { day: isoDay(dayOf(T0 + DAY)), issued: 1, answered: 1 },
    ]);
    expect((await t.app.request('/v1/sites/nope/activity')).status).toBe(404);
  });
});
