// Contract: surveys, answers and their changes, imports, the per-day counts and the append-only event
// log, on every store; looking underneath with a query of its own where the contract alone cannot show
// what was stored.
import { expect } from 'vitest';
import type { Reaction } from '../../../../api/domain/reaction.js';
import { newTokenId } from '../../../../api/domain/tokens.js';
import { DAY_MS, dayOf } from '../../../../api/domain/window.js';
import { ConflictError, ImportError } from '../../../../api/store/errors.js';
import type { ImportRow } from '../../../../api/store/types.js';
import { survey } from '../fixtures.js';
import { siteWithKey, T0 } from '../../helpers.js';
import { forEachStore, storeOpener } from './stores.js';

const ZERO = { positive: 0, neutral: 0, negative: 0, imported: 0 };

function importRow(line: number, ticketRef: string, reaction: Reaction, respondedAt: number, comment: string | null = null): ImportRow {
  return { line, ticketRef, reaction, respondedAt, comment };
}

forEachStore('createSurvey', 'core', (kind, it) => {
  const open = storeOpener(kind);

  it('is idempotent per (site, ticketRef): the first survey and its tokenId come back', async () => {
    const { store, count } = await open();
    const { site } = await siteWithKey(store);
    const tokenId = newTokenId();
    const first = await store.createSurvey(
      { siteId: site.id, ticketRef: 'T-1', tokenId, team: 'desk', technician: 'ann', contactEmail: 'c@example.com', contactName: 'C', expiresAt: T0 + 30 * DAY_MS },
      T0,
    );
    expect(first.created).toBe(true);
    expect(first.throttled).toBe(false);
    expect(first.survey).toMatchObject({
      siteId: site.id,
      ticketRef: 'T-1',
      team: 'desk',
      technician: 'ann',
      contactEmail: 'c@example.com',
      contactName: 'C',
      createdAt: T0,
      expiresAt: T0 + 30 * DAY_MS,
      sealed: false,
      kind: 'reaction',
      scale: null,
      moment: 'ticket-closed',
      campaignId: null,
    });
    expect(first.survey.tokenId.equals(tokenId)).toBe(true);
    expect(await store.getSurvey(site.id, first.survey.id)).toEqual(first.survey);

    const otherToken = newTokenId();
    const second = await store.createSurvey({ siteId: site.id, ticketRef: 'T-1', tokenId: otherToken, expiresAt: T0 + 99 * DAY_MS }, T0 + 5);
    expect(second.created).toBe(false);
    expect(second.survey.id).toBe(first.survey.id);
    expect(second.survey.tokenId.equals(tokenId)).toBe(true);
    expect(second.survey).toEqual(first.survey);
    expect(await store.getSurveyByTokenId(otherToken)).toBeNull();
    expect(await store.getSurveyByTokenId(tokenId)).toEqual(first.survey);
    expect(await count('SELECT count(*) FROM surveys')).toBe(1);
  });

  it('creates a separate survey for the same ticketRef on another site, and finds each only on its own site', async () => {
    const { store } = await open();
    const { site: a } = await siteWithKey(store, { slug: 'a' });
    const { site: b } = await siteWithKey(store, { slug: 'b' });
    const sa = await store.createSurvey({ siteId: a.id, ticketRef: 'T-1', tokenId: newTokenId(), expiresAt: T0 + DAY_MS }, T0);
    const sb = await store.createSurvey({ siteId: b.id, ticketRef: 'T-1', tokenId: newTokenId(), expiresAt: T0 + DAY_MS }, T0);
    expect(sa.created).toBe(true);
    expect(sb.created).toBe(true);
    expect(sb.survey.id).not.toBe(sa.survey.id);
    expect(sb.survey.siteId).toBe(b.id);
    expect(await store.getSurvey(a.id, sb.survey.id)).toBeNull();
  });

  it('refuses a ticket whose rating was imported, with ConflictError ticket_already_rated', async () => {
    const { store, count } = await open();
    const { site } = await siteWithKey(store);
    await store.importResponses(site.id, [importRow(2, 'T-9', 'positive', T0 - DAY_MS)], T0);
    const attempt = store.createSurvey({ siteId: site.id, ticketRef: 'T-9', tokenId: newTokenId(), expiresAt: T0 + DAY_MS }, T0);
    await expect(attempt).rejects.toBeInstanceOf(ConflictError);
    await expect(
      store.createSurvey({ siteId: site.id, ticketRef: 'T-9', tokenId: newTokenId(), expiresAt: T0 + DAY_MS }, T0),
    ).rejects.toMatchObject({ code: 'ticket_already_rated' });
    expect(await count('SELECT count(*) FROM surveys')).toBe(0);
  });

  it('throttles a contact: a recent survey of the same contact comes back instead of a new one', async () => {
    const { store, count } = await open();
    const { site } = await siteWithKey(store);
    const contact = { contactEmail: 'c@example.com' };
    const first = await store.createSurvey({ siteId: site.id, ticketRef: 'T-1', tokenId: newTokenId(), expiresAt: T0 + DAY_MS, ...contact }, T0);
    const second = await store.createSurvey(
      { siteId: site.id, ticketRef: 'T-2', tokenId: newTokenId(), expiresAt: T0 + DAY_MS, throttleSince: T0 - DAY_MS, ...contact },
      T0 + 1000,
    );
    expect(second).toMatchObject({ created: false, throttled: true });
    expect(second.survey.id).toBe(first.survey.id);
    // A survey older than the throttle period does not hold back a new one.
    const third = await store.createSurvey(
      { siteId: site.id, ticketRef: 'T-3', tokenId: newTokenId(), expiresAt: T0 + DAY_MS, throttleSince: T0 + 500, ...contact },
      T0 + 2000,
    );
    expect(third).toMatchObject({ created: true, throttled: false });
    expect(await count('SELECT count(*) FROM surveys')).toBe(2);
  });
});

forEachStore('submitResponse', 'core', (kind, it) => {
  const open = storeOpener(kind);

  it('creates, changes inside the change window, and refuses from exactly createdAt + changeWindowMs', async () => {
    const { store } = await open();
    const { site } = await siteWithKey(store);
    const s = await survey(store, site, 'T-1');
    const changeWindowMs = site.changeWindowDays * DAY_MS;
    const t1 = T0 + 1000;

    const created = await store.submitResponse({ survey: s, reaction: 'positive', comment: 'great', changeWindowMs }, t1);
    expect(created.status).toBe('created');
    expect(created.response).toMatchObject({
      siteId: site.id,
      surveyId: s.id,
      ticketRef: 'T-1',
      reaction: 'positive',
      kind: 'reaction',
      value: 1,
      comment: 'great',
      source: 'survey',
      createdAt: t1,
      updatedAt: t1,
    });
    expect(await store.getResponseForSurvey(s.id)).toEqual(created.response);

    // The same reaction with a new comment: only the window decides, not the counts.
    const changed = await store.submitResponse({ survey: s, reaction: 'positive', comment: 'still great', changeWindowMs }, t1 + changeWindowMs - 1);
    expect(changed.status).toBe('changed');
    expect(changed.response).toMatchObject({
      id: created.response.id,
      reaction: 'positive',
      comment: 'still great',
      createdAt: t1,
      updatedAt: t1 + changeWindowMs - 1,
    });

    const closed = await store.submitResponse({ survey: s, reaction: 'negative', comment: 'too late', changeWindowMs }, t1 + changeWindowMs);
    expect(closed.status).toBe('window_closed');
    expect(closed.response).toEqual(changed.response);
    expect(await store.getResponseForSurvey(s.id)).toEqual(changed.response);

    expect(await store.countsBetween(site.id, dayOf(t1), dayOf(t1))).toEqual({ ...ZERO, positive: 1 });
    expect((await store.listEvents(site.id)).map((e) => [e.type, e.reaction, e.at])).toEqual([
      ['submit', 'positive', t1],
      ['change', 'positive', t1 + changeWindowMs - 1],
    ]);
    expect(await store.lastEventAt(site.id)).toBe(t1 + changeWindowMs - 1);
  });

  it('refuses every change when the change window is zero', async () => {
    const { store } = await open();
    const { site } = await siteWithKey(store, { changeWindowDays: 0 });
    const s = await survey(store, site, 'T-1');
    expect((await store.submitResponse({ survey: s, reaction: 'neutral', changeWindowMs: 0 }, T0)).status).toBe('created');
    expect((await store.submitResponse({ survey: s, reaction: 'neutral', changeWindowMs: 0 }, T0)).status).toBe('window_closed');
    expect(await store.listEvents(site.id)).toHaveLength(1);
  });

  it('moves the count from the old reaction to the new one when an answer is changed', async () => {
    const { store } = await open();
    const { site } = await siteWithKey(store);
    const s = await survey(store, site, 'T-1');
    const changeWindowMs = site.changeWindowDays * DAY_MS;
    const day = dayOf(T0);

    await store.submitResponse({ survey: s, reaction: 'positive', changeWindowMs }, T0);
    expect(await store.countsBetween(site.id, day, day)).toEqual({ ...ZERO, positive: 1 });

    const changed = await store.submitResponse({ survey: s, reaction: 'neutral', changeWindowMs }, T0 + 1000);
    expect(changed.status).toBe('changed');
    expect(changed.response.reaction).toBe('neutral');
    expect(await store.countsBetween(site.id, day, day)).toEqual({ ...ZERO, neutral: 1 });
    expect((await store.getResponseForSurvey(s.id))?.reaction).toBe('neutral');
    expect((await store.listEvents(site.id)).map((e) => [e.type, e.reaction])).toEqual([
      ['submit', 'positive'],
      ['change', 'neutral'],
    ]);
    expect(await store.countMismatches(site.id)).toEqual([]);
  });

  it('keeps the comment when none is given and clears it on null', async () => {
    const { store } = await open();
    const { site } = await siteWithKey(store);
    const s = await survey(store, site, 'T-1');
    const changeWindowMs = DAY_MS;
    const first = await store.submitResponse({ survey: s, reaction: 'negative', comment: 'slow', changeWindowMs }, T0);
    expect(first.response.comment).toBe('slow');

    // The reaction stays the same throughout: this test is about the comment only.
    const kept = await store.submitResponse({ survey: s, reaction: 'negative', comment: undefined, changeWindowMs }, T0 + 1);
    expect(kept.status).toBe('changed');
    expect(kept.response.comment).toBe('slow');

    const replaced = await store.submitResponse({ survey: s, reaction: 'negative', comment: 'better now', changeWindowMs }, T0 + 2);
    expect(replaced.response.comment).toBe('better now');

    const cleared = await store.submitResponse({ survey: s, reaction: 'negative', comment: null, changeWindowMs }, T0 + 3);
    expect(cleared.status).toBe('changed');
    expect(cleared.response.comment).toBeNull();
    expect((await store.getResponseForSurvey(s.id))?.comment).toBeNull();

    const noComment = await store.submitResponse({ survey: await survey(store, site, 'T-2'), reaction: 'positive', changeWindowMs }, T0);
    expect(noComment.response.comment).toBeNull();
  });

  it('keeps counting a changed answer on the day of the first answer', async () => {
    const { store, count } = await open();
    const { site } = await siteWithKey(store);
    const s = await survey(store, site, 'T-1');
    const changeWindowMs = site.changeWindowDays * DAY_MS;
    const day = dayOf(T0);

    await store.submitResponse({ survey: s, reaction: 'positive', changeWindowMs }, T0);
    expect(await store.countsBetween(site.id, day, day)).toEqual({ ...ZERO, positive: 1 });

    const later = T0 + 2 * DAY_MS;
    const changed = await store.submitResponse({ survey: s, reaction: 'negative', changeWindowMs }, later);
    expect(changed.status).toBe('changed');
    expect(await store.countsBetween(site.id, day, day)).toEqual({ ...ZERO, negative: 1 });
    expect(await store.countsBetween(site.id, dayOf(later), dayOf(later))).toEqual(ZERO);
    expect(await store.countsBetween(site.id, day - 10, day + 10)).toEqual({ ...ZERO, negative: 1 });
    expect(await count('SELECT day FROM responses WHERE survey_id = ?', s.id)).toBe(day);
    expect(await store.countMismatches(site.id)).toEqual([]);
  });
});

forEachStore('importResponses', 'core', (kind, it) => {
  const open = storeOpener(kind);

  it('imports nothing when one row is bad: the problem names both lines, and no response, event or count is left', async () => {
    const { store, count } = await open();
    const { site } = await siteWithKey(store);
    const rows = [
      importRow(2, 'A-1', 'positive', T0 - 3 * DAY_MS),
      importRow(3, 'A-2', 'negative', T0 - 2 * DAY_MS),
      importRow(4, 'A-3', 'neutral', T0 - DAY_MS),
      importRow(5, 'A-1', 'neutral', T0 - DAY_MS),
    ];
    let error: unknown;
    try {
      await store.importResponses(site.id, rows, T0);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ImportError);
    const problems = (error as ImportError).problems;
    expect(problems).toHaveLength(1);
    expect(problems[0]!.line).toBe(5);
    expect(problems[0]!.message).toMatch(/\bline 2\b/);
    expect((error as ImportError).message).toMatch(/line 5/);
    expect((error as ImportError).message).toMatch(/line 2/);

    expect(await count('SELECT count(*) FROM responses')).toBe(0);
    expect(await count('SELECT count(*) FROM response_events')).toBe(0);
    expect(await store.listEvents(site.id)).toEqual([]);
    expect(await store.countsBetween(site.id, dayOf(T0) - 400, dayOf(T0) + 400)).toEqual(ZERO);
    expect(await store.lastEventAt(site.id)).toBeNull();
    expect(await store.countMismatches(site.id)).toEqual([]);
  });

  it('rolls back rows already written when the database refuses a later one', async () => {
    const { store, count } = await open();
    const { site } = await siteWithKey(store);
    const rows = [
      importRow(2, 'A-1', 'positive', T0 - 3 * DAY_MS),
      importRow(3, 'A-2', 'negative', T0 - 2 * DAY_MS),
      // Written last (rows go in by date) and refused by the reaction CHECK constraint.
      importRow(4, 'A-3', 'meh' as Reaction, T0 - DAY_MS),
    ];
    await expect(store.importResponses(site.id, rows, T0)).rejects.toThrow();
    expect(await count('SELECT count(*) FROM responses')).toBe(0);
    expect(await count('SELECT count(*) FROM response_events')).toBe(0);
    expect(await count('SELECT count(*) FROM daily_counts')).toBe(0);
    // The store is still usable: the failed transaction is not left open.
    expect(await store.importResponses(site.id, rows.slice(0, 2), T0)).toEqual({ imported: 2 });
  });

  it('names every line whose ticket already has a survey or a rating', async () => {
    const { store, count } = await open();
    const { site } = await siteWithKey(store);
    await survey(store, site, 'S-1');
    await store.importResponses(site.id, [importRow(2, 'I-1', 'positive', T0 - DAY_MS)], T0);
    const attempt = store.importResponses(
      site.id,
      [importRow(2, 'S-1', 'positive', T0 - DAY_MS), importRow(3, 'OK', 'positive', T0 - DAY_MS), importRow(4, 'I-1', 'negative', T0 - DAY_MS)],
      T0 + 1,
    );
    await expect(attempt).rejects.toBeInstanceOf(ImportError);
    await attempt.catch((e: ImportError) => expect(e.problems.map((p) => p.line)).toEqual([2, 4]));
    expect(await count('SELECT count(*) FROM responses')).toBe(1);
  });

  it('imports a good batch, counted on each answer’s own day and marked as imported', async () => {
    const { store, rows: query } = await open();
    const { site } = await siteWithKey(store);
    const d1 = T0 - 5 * DAY_MS;
    const d2 = T0 - 2 * DAY_MS;
    const rows = [
      importRow(2, 'A-1', 'positive', d2, 'ok'),
      importRow(3, 'A-2', 'negative', d1),
      importRow(4, 'A-3', 'positive', d1 + 1000),
    ];
    expect(await store.importResponses(site.id, rows, T0)).toEqual({ imported: 3 });
    expect(await store.countsBetween(site.id, dayOf(d1), dayOf(d1))).toEqual({ positive: 1, neutral: 0, negative: 1, imported: 2 });
    expect(await store.countsBetween(site.id, dayOf(d2), dayOf(d2))).toEqual({ positive: 1, neutral: 0, negative: 0, imported: 1 });
    expect(await store.countsBetween(site.id, dayOf(T0), dayOf(T0))).toEqual(ZERO);
    expect(await store.countMismatches(site.id)).toEqual([]);

    const events = await store.listEvents(site.id);
    expect(events.map((e) => [e.type, e.respondedAt, e.at])).toEqual([
      ['import', d1, T0],
      ['import', d1 + 1000, T0],
      ['import', d2, T0],
    ]);
    const stored = await query("SELECT ticket_ref, source, survey_id, comment FROM responses WHERE ticket_ref = 'A-1'");
    expect(stored).toEqual([{ ticket_ref: 'A-1', source: 'import', survey_id: null, comment: 'ok' }]);
    expect(await store.importResponses(site.id, [], T0)).toEqual({ imported: 0 });
  });
});

forEachStore('responses.day and the append-only event log', 'core', (kind, it) => {
  const open = storeOpener(kind);

  it('stores the UTC day of the first answer (survey) or of the original answer (import)', async () => {
    const { store, rows } = await open();
    const { site } = await siteWithKey(store);
    const s = await survey(store, site, 'T-1');
    const lateEvening = Date.parse('2026-11-23T23:59:59.999Z');
    await store.submitResponse({ survey: s, reaction: 'positive', changeWindowMs: DAY_MS }, lateEvening);
    const earlyMorning = Date.parse('2026-11-20T00:00:00.000Z');
    await store.importResponses(site.id, [importRow(2, 'I-1', 'neutral', earlyMorning)], T0);
    const days = await rows<{ ticket_ref: string; day: unknown; created_at: unknown }>('SELECT ticket_ref, day, created_at FROM responses ORDER BY ticket_ref');
    expect(days.map((d) => ({ ticket_ref: d.ticket_ref, day: Number(d.day), created_at: Number(d.created_at) }))).toEqual([
      { ticket_ref: 'I-1', day: dayOf(earlyMorning), created_at: earlyMorning },
      { ticket_ref: 'T-1', day: dayOf(lateEvening), created_at: lateEvening },
    ]);
    expect(dayOf(lateEvening)).toBe(dayOf(T0));
  });

  it('refuses UPDATE and DELETE on response_events from a connection of its own', async () => {
    const { store, rows } = await open();
    const { site } = await siteWithKey(store);
    const s = await survey(store, site, 'T-1');
    await store.submitResponse({ survey: s, reaction: 'positive', changeWindowMs: DAY_MS }, T0);
    await store.submitResponse({ survey: s, reaction: 'positive', comment: 'again', changeWindowMs: DAY_MS }, T0 + 1);
    const before = await store.listEvents(site.id);

    await expect(rows("UPDATE response_events SET reaction = 'neutral' WHERE seq = 1")).rejects.toThrow(/append-only/);
    await expect(rows('UPDATE response_events SET hash = prev_hash')).rejects.toThrow(/append-only/);
    await expect(rows('DELETE FROM response_events WHERE seq = 2')).rejects.toThrow(/append-only/);
    await expect(rows('DELETE FROM response_events')).rejects.toThrow(/append-only/);
    expect(await store.listEvents(site.id)).toEqual(before);
  });
});
