// Contract: what the store reads back for the score, the inbox, the exports and the reports, on every
// store: per-value answers of CSAT sites, the origin of the ratings, activity per day, what mattered
// most, the inbox's order, filters and cursor, follow-up moves and notes, the report's groups, and a
// commit of another instance seen in dataVersion.
import { expect } from 'vitest';
import { newTokenId } from '../../../../api/domain/tokens.js';
import { DAY_MS, dayOf } from '../../../../api/domain/window.js';
import type { NewSurvey, Site, Store } from '../../../../api/store/types.js';
import { T0 } from '../../helpers.js';
import { forEachStore, storeOpener } from './stores.js';

const WEEK = 7 * DAY_MS;
const DAY = dayOf(T0);

async function survey(store: Store, site: Site, ticketRef: string, at = T0, extra: Partial<NewSurvey> = {}) {
  const { survey: s } = await store.createSurvey({ siteId: site.id, ticketRef, tokenId: newTokenId(), expiresAt: at + 30 * DAY_MS, ...extra }, at);
  return s;
}

forEachStore('score reads', 'core', (kind, it) => {
  const open = storeOpener(kind);

  it('counts a CSAT site’s answers per value, of the moments asked for, with the value kept in its events', async () => {
    const { store } = await open();
    const site = await store.createSite({ slug: 'scale', name: 'Scale', kind: 'csat', scale: 5 }, T0);
    const a = await survey(store, site, 'C-1');
    await store.submitResponse({ survey: a, value: 4, changeWindowMs: WEEK }, T0);
    const changed = await store.submitResponse({ survey: a, value: 5, changeWindowMs: WEEK }, T0 + 5);
    expect(changed.response).toMatchObject({ reaction: 'positive', value: 5, kind: 'csat', scale: 5 });
    const b = await survey(store, site, 'C-2', T0, { moment: 'onboarding' });
    await store.submitResponse({ survey: b, value: 2, changeWindowMs: WEEK }, T0 + 10);

    const ks = { kind: 'csat' as const, scale: 5 };
    const closed = await store.answersBetween(site.id, ks, DAY, DAY, ['ticket-closed']);
    expect(closed.imported).toBe(0);
    expect([...closed.values].filter(([, n]) => n > 0)).toEqual([[5, 1]]);
    const everything = await store.answersBetween(site.id, ks, DAY, DAY, null);
    expect([...everything.values].filter(([, n]) => n > 0).sort(([x], [y]) => x - y)).toEqual([[2, 1], [5, 1]]);
    const none = await store.answersBetween(site.id, ks, DAY + 1, DAY + 5, null);
    expect([...none.values].filter(([, n]) => n > 0)).toEqual([]);
    expect((await store.listEvents(site.id)).map((e) => e.value)).toEqual([4, 5, 2]);
  });

  it('tells where the window’s ratings came from: imported (with first and last day), seeded and sealed', async () => {
    const { store } = await open();
    const site = await store.createSite({ slug: 'origin', name: 'Origin' }, T0);
    expect(await store.originBetween(site.id, DAY - 10, DAY)).toEqual({ imported: 0, firstImportedDay: null, lastImportedDay: null, seeded: 0, sealed: 0 });
    await store.importResponses(
      site.id,
      [
        { line: 2, ticketRef: 'I-1', reaction: 'positive', respondedAt: T0 - 3 * DAY_MS, comment: null },
        { line: 3, ticketRef: 'I-2', reaction: 'negative', respondedAt: T0 - DAY_MS, comment: null },
      ],
      T0,
    );
    await store.submitResponse({ survey: await survey(store, site, 'S-1'), reaction: 'positive', changeWindowMs: WEEK, seeded: true }, T0);
    await store.submitResponse({ survey: await survey(store, site, 'S-2', T0, { sealed: true }), reaction: 'neutral', changeWindowMs: WEEK }, T0);
    await store.submitResponse({ survey: await survey(store, site, 'S-3'), reaction: 'neutral', changeWindowMs: WEEK }, T0);
    expect(await store.originBetween(site.id, DAY - 10, DAY)).toEqual({ imported: 2, firstImportedDay: DAY - 3, lastImportedDay: DAY - 1, seeded: 1, sealed: 1 });
    expect(await store.originBetween(site.id, DAY - 2, DAY)).toEqual({ imported: 1, firstImportedDay: DAY - 1, lastImportedDay: DAY - 1, seeded: 1, sealed: 1 });
  });

  it('counts surveys issued and first answers given per day, oldest first, only days with any', async () => {
    const { store } = await open();
    const site = await store.createSite({ slug: 'activity', name: 'Activity' }, T0);
    const a = await survey(store, site, 'A-1', T0 - 2 * DAY_MS);
    await survey(store, site, 'A-2', T0 - 2 * DAY_MS);
    const c = await survey(store, site, 'A-3', T0);
    await store.submitResponse({ survey: a, reaction: 'positive', changeWindowMs: WEEK }, T0);
    await store.submitResponse({ survey: c, reaction: 'positive', changeWindowMs: WEEK }, T0);
    // A change is not a new answer.
    await store.submitResponse({ survey: c, reaction: 'negative', changeWindowMs: WEEK }, T0 + DAY_MS);
    expect(await store.activityBetween(site.id, DAY - 5, DAY + 5)).toEqual([
      { day: DAY - 2, issued: 2, answered: 0 },
      { day: DAY, issued: 1, answered: 2 },
    ]);
    expect(await store.activityBetween(site.id, DAY - 1, DAY - 1)).toEqual([]);
  });

  it('tallies what mattered most per class of answer', async () => {
    const { store } = await open();
    const site = await store.createSite({ slug: 'dims', name: 'Dims' }, T0);
    const a = await survey(store, site, 'D-1');
    const b = await survey(store, site, 'D-2');
    await store.submitResponse({ survey: a, reaction: 'negative', dimensions: ['responsiveness'], changeWindowMs: WEEK }, T0);
    await store.submitResponse({ survey: b, reaction: 'negative', changeWindowMs: WEEK }, T0);
    const tallies = await store.dimensionTallies(site.id, { kind: 'reaction', scale: null }, DAY, DAY);
    expect(tallies.negative).toMatchObject({ answers: 2, named: { responsiveness: 1 } });
    expect(tallies.positive).toMatchObject({ answers: 0, named: { responsiveness: 0 } });
    // A change that leaves the dimensions out keeps them.
    await store.submitResponse({ survey: a, reaction: 'positive', changeWindowMs: WEEK }, T0 + 1);
    const after = await store.dimensionTallies(site.id, { kind: 'reaction', scale: null }, DAY, DAY);
    expect(after.negative).toMatchObject({ answers: 1, named: { responsiveness: 0 } });
    expect(after.positive).toMatchObject({ answers: 1, named: { responsiveness: 1 } });
  });

  it('sees a commit of another instance on the same database in dataVersion', async () => {
    const { store, another } = await open();
    const other = await another();
    const site = await store.createSite({ slug: 'dv', name: 'DV' }, T0);
    const before = await store.dataVersion();
    await other.submitResponse({ survey: await survey(other, site, 'V-1'), reaction: 'positive', changeWindowMs: WEEK }, T0);
    expect(await store.dataVersion()).not.toBe(before);
  });
});

forEachStore('inbox, follow-up and reports', 'core', (kind, it) => {
  const open = storeOpener(kind);

  /** Five answers: two at T0 + 100 (same time, so the id breaks the tie), three later; teams Alpha/beta. */
  async function inbox(store: Store) {
    const site = await store.createSite({ slug: 'inbox', name: 'Inbox' }, T0);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const s = await survey(store, site, `N-${i}`, T0, { team: i % 2 ? 'Alpha' : 'beta', technician: 'ann' });
      const at = i < 2 ? T0 + 100 : T0 + 200 + i;
      const outcome = await store.submitResponse({ survey: s, reaction: i % 2 ? 'negative' : 'positive', comment: i === 4 ? 'hi' : null, changeWindowMs: WEEK }, at);
      ids.push(outcome.response.id);
    }
    return { site, ids };
  }

  it('lists newest first (ties by id, descending), pages by cursor without gaps, and filters', async () => {
    const { store } = await open();
    const { site, ids } = await inbox(store);
    const all = await store.listResponses(site.id, {}, null, 10);
    expect(all).toHaveLength(5);
    const tied = [ids[0]!, ids[1]!].sort().reverse();
    expect(all.map((r) => r.id)).toEqual([ids[4], ids[3], ids[2], ...tied]);
    expect(all[0]).toMatchObject({ team: 'beta', technician: 'ann', followUp: 'none', notes: 0, comment: 'hi' });
    expect(all[1]).toMatchObject({ team: 'Alpha', followUp: 'open', reaction: 'negative' });

    const pages: string[] = [];
    let cursor = null;
    for (let page = await store.listResponses(site.id, {}, null, 2); page.length > 0; page = await store.listResponses(site.id, {}, cursor, 2)) {
      pages.push(...page.map((r) => r.id));
      const last = page.at(-1)!;
      cursor = { createdAt: last.createdAt, id: last.id };
    }
    expect(pages).toEqual(all.map((r) => r.id));

    expect((await store.listResponses(site.id, { reaction: 'negative' }, null, 10)).map((r) => r.id).sort()).toEqual([ids[1], ids[3]].sort());
    expect(await store.listResponses(site.id, { team: 'Alpha', followUp: 'open' }, null, 10)).toHaveLength(2);
    expect(await store.listResponses(site.id, { team: 'alpha' }, null, 10)).toHaveLength(0);
    expect((await store.listResponses(site.id, { hasComment: true }, null, 10)).map((r) => r.id)).toEqual([ids[4]]);
    expect(await store.listResponses(site.id, { since: T0 + 200 }, null, 10)).toHaveLength(3);
    expect(await store.listResponses(site.id, { until: T0 + 200 }, null, 10)).toHaveLength(2);
    expect(await store.listResponses(site.id, { kind: 'nps' }, null, 10)).toHaveLength(0);
  });

  it('moves a follow-up only by the allowed moves, keeps notes in order, and never touches the rating', async () => {
    const { store } = await open();
    const { site, ids } = await inbox(store);
    const id = ids[1]!;
    expect(await store.updateFollowUp(site.id, id, { to: 'none' }, T0)).toEqual({ status: 'illegal', from: 'open', to: 'none' });
    expect(await store.updateFollowUp(site.id, 'rs_nope', { to: 'contacted' }, T0)).toEqual({ status: 'not_found' });
    const moved = await store.updateFollowUp(site.id, id, { to: 'contacted', note: { author: 'ann', text: 'called' } }, T0 + 1);
    expect(moved).toMatchObject({ status: 'updated', item: { id, followUp: 'contacted', notes: 1, reaction: 'negative' } });
    await store.updateFollowUp(site.id, id, { note: { author: 'bo', text: 'again' } }, T0 + 2);
    const full = await store.getResponse(site.id, id);
    expect(full).toMatchObject({ id, followUp: 'contacted', reaction: 'negative', notes: 2 });
    expect(full!.noteList).toEqual([
      { author: 'ann', text: 'called', followUp: 'contacted', at: T0 + 1 },
      { author: 'bo', text: 'again', followUp: null, at: T0 + 2 },
    ]);
    const notes = await store.listNotes(site.id, [id, ids[0]!]);
    expect([...notes.keys()]).toEqual([id]);
    expect(notes.get(id)).toEqual(full!.noteList);
    expect(await store.getResponse(site.id + 999, id)).toBeNull();
    expect((await store.listEvents(site.id)).filter((e) => e.response === id)).toHaveLength(1);

    const exported = await store.exportPage(site.id, {}, null, 10);
    expect(exported.map((e) => e.id)).toEqual((await store.listResponses(site.id, {}, null, 10)).map((r) => r.id));
    expect(exported.find((e) => e.id === id)!.noteList).toEqual(full!.noteList);
  });

  it('reports class counts per team, technician, week and moment', async () => {
    const { store } = await open();
    const { site } = await inbox(store);
    expect(await store.report(site.id, 'team', DAY, DAY)).toEqual([
      { group: 'Alpha', positive: 0, neutral: 0, negative: 2, imported: 0 },
      { group: 'beta', positive: 3, neutral: 0, negative: 0, imported: 0 },
    ]);
    expect(await store.report(site.id, 'technician', DAY, DAY)).toEqual([{ group: 'ann', positive: 3, neutral: 0, negative: 2, imported: 0 }]);
    expect(await store.report(site.id, 'moment', DAY, DAY)).toEqual([{ group: 'ticket-closed', positive: 3, neutral: 0, negative: 2, imported: 0 }]);
    const week = await store.report(site.id, 'week', DAY, DAY, { kind: 'reaction', scale: null });
    expect(week).toHaveLength(1);
    expect(week[0]).toMatchObject({ positive: 3, negative: 2 });
    expect(week[0]!.group).toBeLessThanOrEqual(DAY);
    expect(DAY - (week[0]!.group as number)).toBeLessThan(7);
    expect(await store.report(site.id, 'moment', DAY, DAY, { kind: 'nps', scale: null })).toEqual([]);
    expect(await store.report(site.id, 'team', DAY + 1, DAY + 9)).toEqual([]);
  });
});
