import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  GENESIS_HASH,
  canonicalEvent,
  chainEvent,
  hashEvent,
  verifyChain,
  type ChainEvent,
  type ChainEventBody,
} from '../../../api/domain/chain.js';
import type { Reaction } from '../../../api/domain/reaction.js';

const T = Date.parse('2026-11-23T12:00:00.000Z');
const REACTIONS: Reaction[] = ['positive', 'neutral', 'negative', 'positive', 'negative', 'neutral'];

/** Six events: a submit, two changes, an import, ... each linked to the previous one. */
function buildChain(n = 6): ChainEvent[] {
  const events: ChainEvent[] = [];
  for (let i = 0; i < n; i++) {
    const seq = i + 1;
    const type = seq === 4 ? 'import' : seq % 2 === 0 ? 'change' : 'submit';
    events.push(
      chainEvent(
        {
          site: 'site_abc',
          seq,
          type,
          response: `rsp_${Math.ceil(seq / 2)}`,
          reaction: REACTIONS[i % REACTIONS.length]!,
          respondedAt: T + i * 60_000 - (type === 'import' ? 30 * 86_400_000 : 0),
          at: T + i * 60_000,
        },
        events.at(-1) ?? null,
      ),
    );
  }
  return events;
}

/** Recomputes an event's own hash after it was edited, so the event is self-consistent. */
function rehash(event: ChainEvent): ChainEvent {
  const { hash: _ignored, ...body } = event;
  return { ...body, hash: hashEvent(body) };
}

const HEX64 = /^[0-9a-f]{64}$/;

describe('GENESIS_HASH', () => {
  it('is 64 zeros', () => {
    expect(GENESIS_HASH).toBe('0000000000000000000000000000000000000000000000000000000000000000');
  });
});

describe('chainEvent', () => {
  it('links the first event to GENESIS_HASH and every later one to its predecessor', () => {
    const events = buildChain();
    expect(events[0]!.prevHash).toBe(GENESIS_HASH);
    for (let i = 1; i < events.length; i++) expect(events[i]!.prevHash).toBe(events[i - 1]!.hash);
    for (const e of events) expect(e.hash).toMatch(HEX64);
    expect(new Set(events.map((e) => e.hash)).size).toBe(events.length);
  });

  it('stores the SHA-256 of the canonical form (including prevHash) as the hash', () => {
    for (const e of buildChain()) {
      const { hash, ...body } = e;
      expect(hash).toBe(createHash('sha256').update(canonicalEvent(body), 'utf8').digest('hex'));
    }
  });

  it('does not mutate the body or the previous event', () => {
    const first = chainEvent({ site: 's', seq: 1, type: 'submit', response: 'r', reaction: 'positive', respondedAt: 1, at: 2 }, null);
    const snapshot = structuredClone(first);
    const body = { site: 's', seq: 2, type: 'change' as const, response: 'r', reaction: 'negative' as const, respondedAt: 3, at: 4 };
    const bodySnapshot = structuredClone(body);
    chainEvent(body, first);
    expect(first).toEqual(snapshot);
    expect(body).toEqual(bodySnapshot);
  });
});

describe('canonicalEvent / hashEvent', () => {
  const body: ChainEventBody = {
    site: 'site_1',
    seq: 1,
    type: 'submit',
    response: 'rsp_1',
    reaction: 'positive',
    respondedAt: 1_763_800_000_000,
    at: 1_763_800_001_000,
    prevHash: GENESIS_HASH,
  };
  const expectedCanonical = `["csat-event-v1","site_1",1,"submit","rsp_1","positive",1763800000000,1763800001000,"${'0'.repeat(64)}"]`;

  it('has a fixed, documented shape', () => {
    expect(canonicalEvent(body)).toBe(expectedCanonical);
  });

  it('is stable: same body -> same string, regardless of key order or extra fields', () => {
    const reordered = {
      prevHash: GENESIS_HASH,
      at: 1_763_800_001_000,
      respondedAt: 1_763_800_000_000,
      reaction: 'positive',
      response: 'rsp_1',
      type: 'submit',
      seq: 1,
      site: 'site_1',
    } as ChainEventBody;
    expect(canonicalEvent(reordered)).toBe(expectedCanonical);
    expect(canonicalEvent({ ...body })).toBe(expectedCanonical);
    // Personal data and the stored hash are not part of the canonical form.
    const withExtras = { ...body, comment: 'great support, call me at 555-0100', hash: 'f'.repeat(64) };
    expect(canonicalEvent(withExtras)).toBe(expectedCanonical);
  });

  it('hashEvent is the 64-hex SHA-256 of the canonical form', () => {
    const h = hashEvent(body);
    expect(h).toMatch(HEX64);
    expect(h).toBe(createHash('sha256').update(expectedCanonical, 'utf8').digest('hex'));
    expect(hashEvent({ ...body })).toBe(h);
  });

  it('keeps field boundaries unambiguous (no concatenation collisions)', () => {
    const a = canonicalEvent({ ...body, site: 'a', response: 'b","c' });
    const b = canonicalEvent({ ...body, site: 'a","b', response: 'c' });
    expect(a).not.toBe(b);
    expect(hashEvent({ ...body, site: 'a', response: 'b","c' })).not.toBe(hashEvent({ ...body, site: 'a","b', response: 'c' }));
  });

  it('changes when any single field changes', () => {
    const variants: ChainEventBody[] = [
      { ...body, site: 'site_2' },
      { ...body, seq: 2 },
      { ...body, type: 'change' },
      { ...body, response: 'rsp_2' },
      { ...body, reaction: 'negative' },
      { ...body, respondedAt: body.respondedAt + 1 },
      { ...body, at: body.at + 1 },
      { ...body, prevHash: 'a'.repeat(64) },
    ];
    const hashes = new Set([hashEvent(body), ...variants.map(hashEvent)]);
    expect(hashes.size).toBe(variants.length + 1);
  });
});

describe('verifyChain', () => {
  it('accepts an intact chain, reporting its length and the last hash as head', () => {
    const events = buildChain();
    expect(verifyChain(events)).toEqual({ valid: true, length: 6, head: events[5]!.hash });
  });

  it('accepts a one-event chain', () => {
    const events = buildChain(1);
    expect(verifyChain(events)).toEqual({ valid: true, length: 1, head: events[0]!.hash });
  });

  it('accepts the empty chain with length 0 and head GENESIS_HASH', () => {
    expect(verifyChain([])).toEqual({ valid: true, length: 0, head: GENESIS_HASH });
  });

  it('accepts any iterable, e.g. a generator streaming rows', () => {
    const events = buildChain();
    function* rows() {
      yield* events;
    }
    expect(verifyChain(rows())).toEqual({ valid: true, length: 6, head: events[5]!.hash });
  });

  const edits: Record<string, (e: ChainEvent) => ChainEvent> = {
    reaction: (e) => ({ ...e, reaction: e.reaction === 'negative' ? 'positive' : 'negative' }),
    at: (e) => ({ ...e, at: e.at + 1 }),
    respondedAt: (e) => ({ ...e, respondedAt: e.respondedAt - 86_400_000 }),
    type: (e) => ({ ...e, type: e.type === 'import' ? 'submit' : 'import' }),
    response: (e) => ({ ...e, response: `${e.response}x` }),
    site: (e) => ({ ...e, site: 'site_other' }),
    prevHash: (e) => ({ ...e, prevHash: 'f'.repeat(64) }),
    hash: (e) => ({ ...e, hash: 'e'.repeat(64) }),
  };

  for (const [field, edit] of Object.entries(edits)) {
    it(`detects a modified ${field} in any event, at that event`, () => {
      for (let k = 1; k <= 6; k++) {
        const events = buildChain();
        events[k - 1] = edit(events[k - 1]!);
        const check = verifyChain(events);
        expect(check.valid, `${field} of event ${k}`).toBe(false);
        if (check.valid) continue;
        expect(check.brokenAt, `${field} of event ${k}`).toBe(k);
        expect(check.length).toBe(k);
        expect(check.reason).toEqual(expect.any(String));
        expect(check.reason.length).toBeGreaterThan(0);
      }
    });
  }

  it('detects a modified seq in any event, at that event (reported under the seq it now carries)', () => {
    for (let k = 1; k <= 6; k++) {
      const events = buildChain();
      const forgedSeq = k + 100;
      events[k - 1] = { ...events[k - 1]!, seq: forgedSeq };
      const check = verifyChain(events);
      expect(check.valid).toBe(false);
      if (check.valid) continue;
      expect(check.brokenAt).toBe(forgedSeq);
      expect(check.length).toBe(k); // the k-th event read is the broken one
    }
  });

  it('detects a modified seq even when the event hash was recomputed', () => {
    const events = buildChain();
    events[2] = rehash({ ...events[2]!, seq: 2 });
    const check = verifyChain(events);
    expect(check.valid).toBe(false);
    if (check.valid) return;
    expect(check.brokenAt).toBe(2);
    expect(check.length).toBe(3);
  });

  it('detects a modified event whose own hash was recomputed, at the following event', () => {
    for (let k = 1; k <= 5; k++) {
      const events = buildChain();
      events[k - 1] = rehash(edits.reaction!(events[k - 1]!));
      // The edited event is self-consistent...
      const { hash, ...body } = events[k - 1]!;
      expect(hashEvent(body)).toBe(hash);
      // ...but the next one no longer follows it.
      const check = verifyChain(events);
      expect(check.valid).toBe(false);
      if (check.valid) continue;
      expect(check.brokenAt).toBe(k + 1);
      expect(check.length).toBe(k + 1);
    }
  });

  it('a rehashed edit of the last event leaves a valid chain, but with a different head', () => {
    const original = buildChain();
    const events = [...original];
    events[5] = rehash(edits.reaction!(events[5]!));
    const check = verifyChain(events);
    expect(check).toEqual({ valid: true, length: 6, head: events[5]!.hash });
    expect(events[5]!.hash).not.toBe(original[5]!.hash);
  });

  it('a full rewrite from the edited event on is valid but changes the head (why heads are published)', () => {
    const original = buildChain();
    const rewritten: ChainEvent[] = [original[0]!];
    for (let i = 1; i < original.length; i++) {
      const { hash: _h, prevHash: _p, ...body } = original[i]!;
      const edited = i === 2 ? { ...body, reaction: 'positive' as const, response: 'rsp_forged' } : body;
      rewritten.push(chainEvent(edited, rewritten[i - 1]!));
    }
    const check = verifyChain(rewritten);
    expect(check.valid).toBe(true);
    if (!check.valid) return;
    expect(check.head).not.toBe(original[5]!.hash);
  });

  it('detects an event removed from the middle, at the following event', () => {
    const events = buildChain();
    const removed = [...events.slice(0, 2), ...events.slice(3)]; // drop seq 3
    const check = verifyChain(removed);
    expect(check.valid).toBe(false);
    if (check.valid) return;
    expect(check.brokenAt).toBe(4);
    expect(check.length).toBe(3);
  });

  it('detects a removed event even when the later events were renumbered and rehashed in place', () => {
    const events = buildChain();
    const removed = [...events.slice(0, 2), ...events.slice(3)].map((e, i) => (i >= 2 ? rehash({ ...e, seq: i + 1 }) : e));
    const check = verifyChain(removed);
    expect(check.valid).toBe(false);
    if (check.valid) return;
    expect(check.brokenAt).toBe(3); // the former event 4, now numbered 3, does not follow event 2
    expect(check.length).toBe(3);
  });

  it('detects a removed first event', () => {
    const events = buildChain().slice(1);
    const check = verifyChain(events);
    expect(check.valid).toBe(false);
    if (check.valid) return;
    expect(check.brokenAt).toBe(2);
    expect(check.length).toBe(1);
  });

  it('detects two events swapped, at the one that came forward', () => {
    const events = buildChain();
    const swapped = [events[0]!, events[1]!, events[3]!, events[2]!, events[4]!, events[5]!];
    const check = verifyChain(swapped);
    expect(check.valid).toBe(false);
    if (check.valid) return;
    expect(check.brokenAt).toBe(4);
    expect(check.length).toBe(3);
  });

  it('detects two events swapped with their seq numbers swapped back, at the following event', () => {
    const events = buildChain();
    // Reorder 3 and 4 but keep the seq numbering 1..6 intact and each hash self-consistent.
    const swapped = [
      events[0]!,
      events[1]!,
      rehash({ ...events[3]!, seq: 3 }),
      rehash({ ...events[2]!, seq: 4 }),
      events[4]!,
      events[5]!,
    ];
    const check = verifyChain(swapped);
    expect(check.valid).toBe(false);
    if (check.valid) return;
    expect(check.brokenAt).toBe(3);
    expect(check.length).toBe(3);
  });

  it('detects a duplicated (replayed) event', () => {
    const events = buildChain();
    const check = verifyChain([...events.slice(0, 3), events[2]!, ...events.slice(3)]);
    expect(check.valid).toBe(false);
    if (check.valid) return;
    expect(check.brokenAt).toBe(3);
    expect(check.length).toBe(4);
  });

  it('detects events spliced in from another site’s chain', () => {
    const ours = buildChain();
    // Same shape of log, but another site's.
    const other: ChainEvent[] = [];
    for (const e of buildChain()) {
      const { hash: _h, prevHash: _p, ...body } = e;
      other.push(chainEvent({ ...body, site: 'site_xyz' }, other.at(-1) ?? null));
    }
    const spliced = [...ours.slice(0, 3), ...other.slice(3)];
    const check = verifyChain(spliced);
    expect(check.valid).toBe(false);
    if (check.valid) return;
    expect(check.brokenAt).toBe(4);
  });
});
