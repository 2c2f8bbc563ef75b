// Property: whatever sequence of survey creations, first answers, changes (inside and outside the change
// window), clock jumps and imports a site goes through, the per-day counts the store keeps agree with
// (a) its own recount of the responses table and (b) an independent in-memory model of the latest
// reaction of each ticket, counted on the day of its first answer. On every store; each run is a new
// site of its own (everything checked is per site), on one database per store.
import fc from 'fast-check';
import { expect } from 'vitest';
import { verifyChain } from '../../../../api/domain/chain.js';
import { REACTIONS, type Reaction, type ReactionCounts } from '../../../../api/domain/reaction.js';
import { newTokenId } from '../../../../api/domain/tokens.js';
import { DAY_MS, dayOf } from '../../../../api/domain/window.js';
import { ConflictError, ImportError } from '../../../../api/store/errors.js';
import type { Survey } from '../../../../api/store/types.js';
import { siteWithKey, T0 } from '../../helpers.js';
import { forEachStore, storeOpener } from './stores.js';

const TICKETS = 6;
const ticketRef = (i: number) => `T-${i}`;

type Comment = string | null | undefined;
type Command =
  | { kind: 'survey'; ticket: number }
  | { kind: 'answer'; pick: number; reaction: Reaction; comment: Comment }
  | { kind: 'advance'; ms: number }
  | { kind: 'import'; rows: Array<{ ticket: number; reaction: Reaction; agoMs: number; comment: string | null }> };

const reaction = fc.constantFrom(...REACTIONS);
const comment: fc.Arbitrary<Comment> = fc.oneof(fc.constant(undefined), fc.constant(null), fc.string({ maxLength: 8 }));
// 0 to 10 days: often under a day (so answers change across midnight inside the window), and sometimes
// whole days (so a change lands exactly on the end of the window).
const advance = fc.oneof(
  fc.integer({ min: 0, max: DAY_MS }),
  fc.integer({ min: 0, max: 10 * DAY_MS }),
  fc.integer({ min: 1, max: 10 }).map((days) => days * DAY_MS),
);
const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('survey' as const), ticket: fc.nat(TICKETS - 1) }) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('answer' as const), pick: fc.nat(), reaction, comment }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: advance }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('import' as const),
      rows: fc.array(
        fc.record({
          ticket: fc.nat(TICKETS - 1),
          reaction,
          agoMs: fc.integer({ min: 0, max: 20 * DAY_MS }),
          comment: fc.option(fc.string({ maxLength: 8 }), { nil: null }),
        }),
        { minLength: 1, maxLength: 4 },
      ),
    }),
  },
);

/** What the test believes about one ticket, kept without asking the store. */
interface ModelTicket {
  survey?: Survey;
  response?: { reaction: Reaction; comment: string | null; createdAt: number; day: number; source: 'survey' | 'import' };
}

function expectedCounts(model: Map<number, ModelTicket>, day?: number): ReactionCounts {
  const counts = { positive: 0, neutral: 0, negative: 0, imported: 0 };
  for (const { response } of model.values()) {
    if (!response || (day !== undefined && response.day !== day)) continue;
    counts[response.reaction] += 1;
    if (response.source === 'import') counts.imported += 1;
  }
  return counts;
}

/** Runs per store (the same on both: a PostgreSQL run costs about what a SQLite one does here). */
const RUNS = { sqlite: 200, postgres: 200 } as const;

forEachStore('daily counts', 'core', (kind, it) => {
  const open = storeOpener(kind);

  it(`always equal a recount of the responses and an independent model of the latest reaction per ticket (${RUNS[kind.name]} runs)`, async () => {
    const { store } = await open();
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 3 }), fc.constant(7)),
        fc.array(command, { minLength: 1, maxLength: 30 }),
        async (changeWindowDays, commands) => {
          const { site } = await siteWithKey(store, { slug: `site-${++run}`, changeWindowDays });
          const changeWindowMs = changeWindowDays * DAY_MS;
          const model = new Map<number, ModelTicket>();
          const ticket = (i: number) => model.get(i) ?? model.set(i, {}).get(i)!;
          let now = T0;
          let accepted = 0;

          for (const cmd of commands) {
            switch (cmd.kind) {
              case 'advance':
                now += cmd.ms;
                break;

              case 'survey': {
                const t = ticket(cmd.ticket);
                const attempt = store.createSurvey(
                  { siteId: site.id, ticketRef: ticketRef(cmd.ticket), tokenId: newTokenId(), expiresAt: now + DAY_MS },
                  now,
                );
                if (t.survey) {
                  const { survey, created } = await attempt;
                  expect(created).toBe(false);
                  expect(survey.id).toBe(t.survey.id);
                  expect(survey.tokenId.equals(t.survey.tokenId)).toBe(true);
                } else if (t.response?.source === 'import') {
                  await expect(attempt).rejects.toSatisfy((e) => e instanceof ConflictError && e.code === 'ticket_already_rated');
                } else {
                  const { survey, created } = await attempt;
                  expect(created).toBe(true);
                  t.survey = survey;
                }
                break;
              }

              case 'answer': {
                const surveyed = [...model.values()].filter((t) => t.survey);
                if (surveyed.length === 0) break;
                const t = surveyed[cmd.pick % surveyed.length]!;
                const outcome = await store.submitResponse(
                  { survey: t.survey!, reaction: cmd.reaction, comment: cmd.comment, changeWindowMs },
                  now,
                );
                if (!t.response) {
                  expect(outcome.status).toBe('created');
                  t.response = { reaction: cmd.reaction, comment: cmd.comment ?? null, createdAt: now, day: dayOf(now), source: 'survey' };
                  accepted++;
                } else if (now < t.response.createdAt + changeWindowMs) {
                  expect(outcome.status).toBe('changed');
                  t.response.reaction = cmd.reaction;
                  if (cmd.comment !== undefined) t.response.comment = cmd.comment;
                  accepted++;
                } else {
                  expect(outcome.status).toBe('window_closed');
                }
                expect(outcome.response.reaction).toBe(t.response.reaction);
                expect(outcome.response.comment).toBe(t.response.comment);
                expect(outcome.response.createdAt).toBe(t.response.createdAt);
                break;
              }

              case 'import': {
                const rows = cmd.rows.map((r, i) => ({
                  line: i + 2,
                  ticketRef: ticketRef(r.ticket),
                  reaction: r.reaction,
                  respondedAt: now - r.agoMs,
                  comment: r.comment,
                }));
                const tickets = cmd.rows.map((r) => r.ticket);
                const acceptable =
                  new Set(tickets).size === tickets.length && tickets.every((i) => !model.get(i)?.survey && !model.get(i)?.response);
                const attempt = store.importResponses(site.id, rows, now);
                if (acceptable) {
                  expect(await attempt).toEqual({ imported: rows.length });
                  for (const [i, r] of cmd.rows.entries()) {
                    const at = rows[i]!.respondedAt;
                    ticket(r.ticket).response = { reaction: r.reaction, comment: r.comment, createdAt: at, day: dayOf(at), source: 'import' };
                  }
                  accepted += rows.length;
                } else {
                  await expect(attempt).rejects.toSatisfy((e) => e instanceof ImportError && e.problems.length > 0);
                }
                break;
              }
            }
          }

          expect(await store.countMismatches(site.id)).toEqual([]);

          const days = new Set([...model.values()].flatMap((t) => (t.response ? [t.response.day] : [])));
          const firstDay = Math.min(dayOf(T0) - 30, ...days);
          const lastDay = Math.max(dayOf(now) + 1, ...days);
          expect(await store.countsBetween(site.id, firstDay, lastDay)).toEqual(expectedCounts(model));
          for (const day of days) {
            expect(await store.countsBetween(site.id, day, day)).toEqual(expectedCounts(model, day));
          }

          for (const t of model.values()) {
            if (!t.survey) continue;
            const stored = await store.getResponseForSurvey(t.survey.id);
            if (!t.response) expect(stored).toBeNull();
            else expect(stored).toMatchObject({ reaction: t.response.reaction, comment: t.response.comment, createdAt: t.response.createdAt });
          }

          const events = await store.listEvents(site.id);
          expect(events).toHaveLength(accepted);
          expect(verifyChain(events)).toMatchObject({ valid: true, length: accepted });
        },
      ),
      { numRuns: RUNS[kind.name] },
    );
  }, 300_000);
});
