// Contract: the stored event log as a hash chain, on every store. Built correctly per site by submits,
// changes and imports; kept across a restart; tampering underneath the store (its guards off) is
// detected by verifyChain; and concurrent answers to one survey, through one instance or two, leave one
// response and a contiguous chain.
import { expect } from 'vitest';
import { GENESIS_HASH, hashEvent, verifyChain, type ChainEvent } from '../../../../api/domain/chain.js';
import { REACTIONS, type Reaction } from '../../../../api/domain/reaction.js';
import { DAY_MS } from '../../../../api/domain/window.js';
import type { Site, Store } from '../../../../api/store/types.js';
import { survey } from '../fixtures.js';
import { siteWithKey, T0 } from '../../helpers.js';
import { forEachStore, storeOpener } from './stores.js';

/** Submits, changes (to other reactions and comment-only) and an import on one site: 8 events. */
async function history(store: Store, site: Site): Promise<void> {
  const changeWindowMs = site.changeWindowDays * DAY_MS;
  const a = await survey(store, site, 'T-1');
  const b = await survey(store, site, 'T-2');
  await store.submitResponse({ survey: a, reaction: 'positive', changeWindowMs }, T0 + 1000);
  await store.submitResponse({ survey: b, reaction: 'negative', comment: 'slow', changeWindowMs }, T0 + 2000);
  await store.submitResponse({ survey: a, reaction: 'neutral', changeWindowMs }, T0 + 3000);
  await store.importResponses(
    site.id,
    [
      { line: 2, ticketRef: 'I-1', reaction: 'positive', respondedAt: T0 - 3 * DAY_MS, comment: null },
      { line: 3, ticketRef: 'I-2', reaction: 'neutral', respondedAt: T0 - 2 * DAY_MS, comment: 'ok' },
    ],
    T0 + 4000,
  );
  await store.submitResponse({ survey: b, reaction: 'negative', comment: 'slow, but fixed', changeWindowMs }, T0 + DAY_MS);
  await store.submitResponse({ survey: a, reaction: 'positive', changeWindowMs }, T0 + 2 * DAY_MS);
  // Outside the window: refused, so no event.
  await store.submitResponse({ survey: a, reaction: 'negative', changeWindowMs }, T0 + 1000 + changeWindowMs);
  const c = await survey(store, site, 'T-3', T0 + 3 * DAY_MS);
  await store.submitResponse({ survey: c, reaction: 'positive', changeWindowMs }, T0 + 3 * DAY_MS);
}

function expectWellFormedChain(events: ChainEvent[], slug: string): void {
  expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
  events.forEach((event, i) => {
    expect(event.site).toBe(slug);
    expect(event.prevHash).toBe(i === 0 ? GENESIS_HASH : events[i - 1]!.hash);
    expect(event.hash).toBe(hashEvent(event));
  });
  expect(verifyChain(events)).toEqual({ valid: true, length: events.length, head: events.at(-1)?.hash ?? GENESIS_HASH });
}

forEachStore('the event chain', 'core', (kind, it) => {
  const open = storeOpener(kind);

  it('links every submit, change and import of a site, and gives each site its own chain', async () => {
    const { store } = await open();
    const { site } = await siteWithKey(store, { slug: 'acme' });
    const { site: other } = await siteWithKey(store, { slug: 'other' });
    expect(await store.listEvents(site.id)).toEqual([]);

    await history(store, site);
    const otherSurvey = await survey(store, other, 'T-1');
    await store.submitResponse({ survey: otherSurvey, reaction: 'negative', changeWindowMs: DAY_MS }, T0 + 5000);
    await store.submitResponse({ survey: otherSurvey, reaction: 'positive', changeWindowMs: DAY_MS }, T0 + 6000);

    const events = await store.listEvents(site.id);
    expect(events.map((e) => [e.type, e.reaction])).toEqual([
      ['submit', 'positive'],
      ['submit', 'negative'],
      ['change', 'neutral'],
      ['import', 'positive'],
      ['import', 'neutral'],
      ['change', 'negative'],
      ['change', 'positive'],
      ['submit', 'positive'],
    ]);
    expectWellFormedChain(events, 'acme');
    expect(await store.lastEventAt(site.id)).toBe(T0 + 3 * DAY_MS);

    // A change keeps the response id and the time of the first answer; an import carries the original date.
    expect(events[2]).toMatchObject({ response: events[0]!.response, respondedAt: T0 + 1000, at: T0 + 3000 });
    expect(events[3]).toMatchObject({ respondedAt: T0 - 3 * DAY_MS, at: T0 + 4000 });

    const otherEvents = await store.listEvents(other.id);
    expect(otherEvents.map((e) => [e.seq, e.type, e.reaction])).toEqual([
      [1, 'submit', 'negative'],
      [2, 'change', 'positive'],
    ]);
    expect(otherEvents[0]!.prevHash).toBe(GENESIS_HASH);
    expectWellFormedChain(otherEvents, 'other');
  });

  it('survives closing the store and opening it again', async () => {
    const o = await open();
    const { site } = await siteWithKey(o.store);
    await history(o.store, site);
    const before = await o.store.listEvents(site.id);
    await o.store.close();

    const again = await o.another();
    expect(await again.listEvents(site.id)).toEqual(before);
    const s = await survey(again, site, 'T-9');
    await again.submitResponse({ survey: s, reaction: 'neutral', changeWindowMs: DAY_MS }, T0 + 4 * DAY_MS);
    const after = await again.listEvents(site.id);
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after).toHaveLength(before.length + 1);
    expectWellFormedChain(after, site.slug);
  });
});

forEachStore('tampering underneath the store', 'core', (kind, it) => {
  const open = storeOpener(kind);

  /** A store with some history, closed; tampering is done underneath it, then a new instance reads. */
  async function tamperable() {
    const o = await open();
    const { site } = await siteWithKey(o.store);
    await history(o.store, site);
    const original = await o.store.listEvents(site.id);
    expect(verifyChain(original).valid).toBe(true);
    await o.store.close();
    return { site, original, underneath: o.underneath, reopen: o.another };
  }

  it('detects a changed reaction in a past event, at that event', async () => {
    const { site, original, underneath, reopen } = await tamperable();
    const target = original[2]!;
    expect(target.seq).toBe(3);
    const forged: Reaction = REACTIONS.find((r) => r !== target.reaction)!;
    expect(await underneath('UPDATE response_events SET reaction = ? WHERE site_id = ? AND seq = ?', forged, site.id, target.seq)).toBe(1);

    const store = await reopen();
    const events = await store.listEvents(site.id);
    expect(events[2]!.reaction).toBe(forged);
    expect(verifyChain(events)).toMatchObject({ valid: false, brokenAt: 3 });
  });

  it('detects a past event whose hash was recomputed after the change, at the next event', async () => {
    const { site, original, underneath, reopen } = await tamperable();
    const target = original[1]!;
    const forged: ChainEvent = { ...target, reaction: REACTIONS.find((r) => r !== target.reaction)! };
    forged.hash = hashEvent(forged);
    expect(await underneath('UPDATE response_events SET reaction = ?, hash = ? WHERE site_id = ? AND seq = ?', forged.reaction, forged.hash, site.id, target.seq)).toBe(1);

    const store = await reopen();
    expect(verifyChain(await store.listEvents(site.id))).toMatchObject({ valid: false, brokenAt: target.seq + 1 });
  });

  it('detects a deleted event in the middle', async () => {
    const { site, original, underneath, reopen } = await tamperable();
    expect(original.length).toBeGreaterThan(5);
    expect(await underneath('DELETE FROM response_events WHERE site_id = ? AND seq = 4', site.id)).toBe(1);

    const store = await reopen();
    const events = await store.listEvents(site.id);
    expect(events).toHaveLength(original.length - 1);
    // The gap shows at the first event after it.
    expect(verifyChain(events)).toMatchObject({ valid: false, brokenAt: 5 });
  });

  it('detects a deleted event even when the later ones are renumbered', async () => {
    const { site, original, underneath, reopen } = await tamperable();
    await underneath('DELETE FROM response_events WHERE site_id = ? AND seq = 4', site.id);
    // One row at a time, upwards from the gap, so the primary key never collides.
    for (let seq = 5; seq <= original.length; seq++) {
      expect(await underneath('UPDATE response_events SET seq = seq - 1 WHERE site_id = ? AND seq = ?', site.id, seq)).toBe(1);
    }
    const store = await reopen();
    const events = await store.listEvents(site.id);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(verifyChain(events)).toMatchObject({ valid: false, brokenAt: 4 });
  });
});

forEachStore('concurrent answers to one survey', 'core', (kind, it) => {
  const open = storeOpener(kind);

  it('50 concurrent submissions leave one response: one created, 49 changed, counts consistent', async () => {
    const { store, count } = await open();
    const { site } = await siteWithKey(store);
    const s = await survey(store, site, 'T-1');
    const changeWindowMs = site.changeWindowDays * DAY_MS;

    const outcomes = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        store.submitResponse({ survey: s, reaction: REACTIONS[i % 3]!, comment: `try ${i}`, changeWindowMs }, T0 + i),
      ),
    );
    const statuses = outcomes.map((o) => o.status);
    expect(statuses.filter((x) => x === 'created')).toHaveLength(1);
    expect(statuses.filter((x) => x === 'changed')).toHaveLength(49);
    expect(new Set(outcomes.map((o) => o.response.id)).size).toBe(1);

    expect(await count('SELECT count(*) FROM responses WHERE survey_id = ?', s.id)).toBe(1);
    expect(await count('SELECT count(*) FROM responses')).toBe(1);
    expect(await store.countMismatches(site.id)).toEqual([]);
    // The stored answer is the one of the last event, whichever submission that was.
    const events = await store.listEvents(site.id);
    expect(events).toHaveLength(50);
    const last = events.at(-1)!.reaction;
    expect((await store.getResponseForSurvey(s.id))?.reaction).toBe(last);
    expect(await store.countsBetween(site.id, 0, 1e6)).toEqual({ positive: 0, neutral: 0, negative: 0, imported: 0, [last]: 1 });
    expectWellFormedChain(events, site.slug);
  });

  it('serialises submissions through two instances on the same database (two servers, or server and CLI)', async () => {
    const { store: server, another, count } = await open();
    const cli = await another();
    const { site } = await siteWithKey(server);
    const s = await survey(server, site, 'T-1');
    const others = await Promise.all(Array.from({ length: 5 }, (_, i) => survey(cli, site, `T-${i + 2}`)));
    const changeWindowMs = site.changeWindowDays * DAY_MS;

    const outcomes = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        (i % 2 === 0 ? server : cli).submitResponse(
          { survey: i % 5 === 4 ? others[Math.floor(i / 5) % others.length]! : s, reaction: REACTIONS[i % 3]!, changeWindowMs },
          T0 + i,
        ),
      ),
    );
    expect(outcomes.every((o) => o.status === 'created' || o.status === 'changed')).toBe(true);
    expect(outcomes.filter((o) => o.status === 'created')).toHaveLength(1 + others.length);

    expect(await count('SELECT count(*) FROM responses WHERE survey_id = ?', s.id)).toBe(1);
    expect(await count('SELECT count(*) FROM responses')).toBe(1 + others.length);
    expect(await server.countMismatches(site.id)).toEqual([]);
    const events = await cli.listEvents(site.id);
    expect(events).toHaveLength(50);
    expectWellFormedChain(events, site.slug);
  });
});
