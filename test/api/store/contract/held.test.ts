// Contract: scanner detection's storage (link opens and held answers), on every store. Opens recorded
// at once by several instances must all reach the rule: a scanner opens every link of a mail together.
import { expect } from 'vitest';
import { recordOpen, NO_OPENS, type LinkOpens, type LinkKind } from '../../../../api/domain/scanner.js';
import { newTokenId } from '../../../../api/domain/tokens.js';
import { DAY_MS } from '../../../../api/domain/window.js';
import type { Site, Store, Survey } from '../../../../api/store/types.js';
import { T0 } from '../../helpers.js';
import { acmeOpener, forEachStore } from './stores.js';

async function survey(store: Store, site: Site, ticketRef: string): Promise<Survey> {
  return (await store.createSurvey({ siteId: site.id, ticketRef, tokenId: newTokenId(), expiresAt: T0 + 30 * DAY_MS }, T0)).survey;
}

forEachStore('held answers', 'held', (kind, it) => {
  const setUp = acmeOpener(kind);

  it('records link opens through the rule and keeps them per survey', async () => {
    const { store, site } = await setUp();
    const a = await survey(store, site, 'T-1');
    const b = await survey(store, site, 'T-2');
    expect(await store.getLinkOpens(a.id)).toEqual(NO_OPENS);
    const seen: Array<[LinkOpens, LinkKind, number]> = [];
    const rule = (state: LinkOpens, kind: LinkKind, at: number) => {
      seen.push([state, kind, at]);
      return recordOpen(state, kind, at);
    };
    const first = await store.recordLinkOpen(a.id, 'positive', T0, rule);
    expect(first).toEqual(recordOpen(NO_OPENS, 'positive', T0));
    const second = await store.recordLinkOpen(a.id, 'trap', T0 + 5, rule);
    expect(seen[1]).toEqual([first, 'trap', T0 + 5]);
    expect(await store.getLinkOpens(a.id)).toEqual(second);
    expect(await store.getLinkOpens(b.id)).toEqual(NO_OPENS);
    await expect(store.recordLinkOpen('no-such-survey', 'positive', T0, rule)).rejects.toThrow();
  });

  it('loses no open when two instances record them at once', async () => {
    const { o, store, site } = await setUp();
    const another = await o.another();
    const s = await survey(store, site, 'T-1');
    // A rule that counts: every open must see the state the one before it left.
    const count = (state: LinkOpens) => ({ ...state, trap: (state.trap ?? 0) + 1 });
    await Promise.all(Array.from({ length: 24 }, (_, i) => (i % 2 ? another : store).recordLinkOpen(s.id, 'trap', T0 + i, count)));
    expect((await store.getLinkOpens(s.id)).trap).toBe(24);
  }, 30_000);

  it('holds one answer per survey, replaces it, drops it once, and counts them per site', async () => {
    const { store, site } = await setUp();
    const other = await store.createSite({ slug: 'other', name: 'Other' }, T0);
    const a = await survey(store, site, 'T-1');
    const b = await survey(store, site, 'T-2');
    const c = await survey(store, other, 'T-1');
    expect(await store.getHeldAnswer(a.id)).toBeNull();
    await store.holdAnswer({ surveyId: a.id, reaction: 'positive', value: 1, comment: null, at: T0 });
    await store.holdAnswer({ surveyId: a.id, reaction: 'negative', value: -1, comment: 'slow', at: T0 + 1 });
    await store.holdAnswer({ surveyId: b.id, reaction: 'neutral', value: 0, comment: null, at: T0 + 2 });
    await store.holdAnswer({ surveyId: c.id, reaction: 'positive', value: 1, comment: null, at: T0 + 3 });
    expect(await store.getHeldAnswer(a.id)).toEqual({ surveyId: a.id, reaction: 'negative', value: -1, comment: 'slow', at: T0 + 1 });
    expect(await store.countHeldAnswers(site.id)).toBe(2);
    expect(await store.countHeldAnswers(other.id)).toBe(1);
    expect(await store.dropHeldAnswer(a.id)).toBe(true);
    expect(await store.dropHeldAnswer(a.id)).toBe(false);
    expect(await store.getHeldAnswer(a.id)).toBeNull();
    expect(await store.countHeldAnswers(site.id)).toBe(1);
  });

  it('gives a row held before survey kinds (no value) the value of its reaction', async () => {
    const { o, store, site } = await setUp();
    const s = await survey(store, site, 'T-1');
    await store.holdAnswer({ surveyId: s.id, reaction: 'negative', value: -1, comment: null, at: T0 });
    await o.rows('UPDATE held_answers SET value = NULL WHERE survey_id = ? RETURNING survey_id', s.id);
    expect(await store.getHeldAnswer(s.id)).toMatchObject({ reaction: 'negative', value: -1 });
  });

  it('keeps held answers out of responses, events and the log', async () => {
    const { o, store, site } = await setUp();
    const s = await survey(store, site, 'T-1');
    await store.holdAnswer({ surveyId: s.id, reaction: 'negative', value: -1, comment: 'auto', at: T0 });
    expect(await o.count('SELECT count(*) FROM responses')).toBe(0);
    expect(await o.count('SELECT count(*) FROM response_events')).toBe(0);
    expect(await store.getResponseForSurvey(s.id)).toBeNull();
  });
});
