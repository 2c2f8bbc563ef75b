// Answers in PostgreSQL: a respondent's first answer or change, and an import from another tool, each in
// one transaction with its chained events, the per-day counts and what the answer causes elsewhere
// (webhook deliveries, help-desk write-backs, public log entries, the change notice for other instances).
// What an answer does is decided by api/domain/answer.ts; this file only reads and writes it.
import { chainEvent, type ChainEvent } from '../../domain/chain.js';
import { planAnswer, type DayValueMove } from '../../domain/answer.js';
import { responseEventFields, type ResponseEventFields } from '../../domain/response-event.js';
import { initialFollowUp } from '../../domain/follow-up.js';
import { webhookBody, webhookResponse } from '../../domain/webhook.js';
import { importedAnswer, importOrder, importProblems } from '../../domain/import-plan.js';
import type { KindScale, SurveyKind } from '../../domain/kinds.js';
import { publicId } from '../../domain/tokens.js';
import { dayOf } from '../../domain/window.js';
import { ImportError } from '../errors.js';
import { eventFromRow, type EventRow } from '../sqlite-events.js';
import type { Store, StoredResponse } from '../types.js';
import { transaction, type Sql, type Tx } from './connection.js';
import type { AfterResponse, CatchUpLog, EnqueueWebhooks } from './parts.js';
import { bumpVersion, lockSite } from './core-sites.js';
import { scaleOf, toResponse, type ResponseRow } from '../rows.js';

/** What other parts do inside an answer's transaction. */
export interface AnswerHooks {
  enqueueWebhooks: EnqueueWebhooks;
  afterResponse: AfterResponse;
  catchUpLog: CatchUpLog;
  /** Tells other instances, on commit, that the site changed. */
  notifyChange: (tx: Tx, siteId: number) => Promise<void>;
}

/** Rows per INSERT statement of an import: well below PostgreSQL's 65,535 parameters per statement. */
const INSERT_ROWS = 1000;

const chunks = <T>(list: readonly T[], size = INSERT_ROWS): T[][] =>
  Array.from({ length: Math.ceil(list.length / size) }, (_, i) => list.slice(i * size, (i + 1) * size));

/** The site's latest event, the head its next event chains to. */
const chainHeadQuery = (tx: Tx, siteId: number) =>
  tx<EventRow[]>`SELECT * FROM response_events WHERE site_id = ${siteId} ORDER BY seq DESC LIMIT 1`;

/** The statements that append events after `head`, in order; the caller holds the site's row lock. */
function appendEvents(tx: Tx, siteId: number, slug: string, head: EventRow | undefined, fields: readonly ResponseEventFields[], at: number) {
  let previous: ChainEvent | null = head ? eventFromRow(head, slug) : null;
  const events = fields.map((f) => {
    previous = chainEvent({ site: slug, seq: (previous?.seq ?? 0) + 1, ...f, at }, previous);
    return previous;
  });
  return chunks(events).map((part) => {
    const rows = part.map((e) => ({
      site_id: siteId, seq: e.seq, type: e.type, response_id: e.response, reaction: e.reaction, value: e.value ?? null,
      responded_at: e.respondedAt, at: e.at, prev_hash: e.prevHash, hash: e.hash,
    }));
    return tx`INSERT INTO response_events ${tx(rows)}`;
  });
}

/** The statement of one per-value count move; a drop must hit exactly one row (checked by the caller). */
function moveValue(tx: Tx, siteId: number, move: DayValueMove) {
  const key = { kind: move.kind, scale: scaleOf(move), day: move.day, moment: move.moment, value: move.value };
  if (move.by === 1) {
    return tx`INSERT INTO daily_values (site_id, kind, scale, day, moment, value, n, imported)
      VALUES (${siteId}, ${key.kind}, ${key.scale}, ${key.day}, ${key.moment}, ${key.value}, 1, 0)
      ON CONFLICT (site_id, kind, scale, day, moment, value) DO UPDATE SET n = daily_values.n + 1`;
  }
  return tx`UPDATE daily_values SET n = n - 1 WHERE site_id = ${siteId} AND kind = ${key.kind}
    AND scale = ${key.scale} AND day = ${key.day} AND moment = ${key.moment} AND value = ${key.value} AND n > 0`;
}

type AnswerMethods = Pick<Store, 'submitResponse' | 'importResponses' | 'getResponseForSurvey'>;

export function pgAnswers(sql: Sql, hooks: AnswerHooks): AnswerMethods {
  return {
    async getResponseForSurvey(surveyId) {
      const [row] = await sql<ResponseRow[]>`SELECT * FROM responses WHERE survey_id = ${surveyId}`;
      return row ? toResponse(row) : null;
    },

    async submitResponse(submission, now) {
      const { survey } = submission;
      const siteId = survey.siteId;
      return transaction(sql, async (tx) => {
        // Statements issued together are pipelined on the transaction's connection and run in order, so
        // the answer costs a few round trips instead of one per statement; the first failure aborts all.
        // The site's lock orders its chain and log across instances, and makes concurrent first answers
        // to one survey queue: the second one reads the first (after the lock) and becomes a change.
        const [[site], [row], [head]] = await Promise.all([
          tx<{ slug: string }[]>`SELECT slug FROM sites WHERE id = ${siteId} FOR NO KEY UPDATE`,
          tx<ResponseRow[]>`SELECT * FROM responses WHERE survey_id = ${survey.id}`,
          chainHeadQuery(tx, siteId),
        ]);
        if (!site) throw new Error(`no site with id ${siteId}`);
        const { slug } = site;
        const existing = row ? { response: toResponse(row), followUp: row.follow_up, day: row.day } : null;
        const plan = planAnswer(existing, submission, now, publicId('rs'));
        if (plan.outcome === 'window_closed') return { status: 'window_closed' as const, response: plan.response };
        const r = plan.response;
        if (plan.outcome === 'created') {
          const c = plan.counts!;
          await Promise.all([
            tx`INSERT INTO responses (id, site_id, survey_id, ticket_ref, reaction, comment, source, day, created_at,
                updated_at, follow_up, changeable_until, seeded, kind, scale, value, moment, dimensions)
              VALUES (${r.id}, ${siteId}, ${r.surveyId}, ${r.ticketRef}, ${r.reaction}, ${r.comment}, ${r.source}, ${plan.day},
                ${r.createdAt}, ${r.updatedAt}, ${plan.followUp}, ${r.changeableUntil ?? null}, ${submission.seeded ? 1 : 0},
                ${r.kind}, ${scaleOf(r)}, ${r.value}, ${r.moment}, ${r.dimensions.join(',')})`,
            tx`INSERT INTO daily_counts (site_id, day, positive, neutral, negative, imported, seeded, sealed)
              VALUES (${siteId}, ${c.day}, ${c.positive}, ${c.neutral}, ${c.negative}, 0, ${c.seeded}, ${c.sealed})
              ON CONFLICT (site_id, day) DO UPDATE SET
                positive = daily_counts.positive + excluded.positive, neutral = daily_counts.neutral + excluded.neutral,
                negative = daily_counts.negative + excluded.negative, seeded = daily_counts.seeded + excluded.seeded,
                sealed = daily_counts.sealed + excluded.sealed`,
            ...plan.values.map((move) => moveValue(tx, siteId, move)),
            ...appendEvents(tx, siteId, slug, head, [plan.event], now),
          ]);
        } else {
          const c = plan.counts;
          // The event first: a trigger refuses a class or value change that the latest event does not carry.
          const events = appendEvents(tx, siteId, slug, head, [plan.event], now);
          const results = await Promise.all([
            ...events,
            tx`UPDATE responses SET reaction = ${r.reaction}, value = ${r.value}, dimensions = ${r.dimensions.join(',')},
                comment = ${r.comment}, updated_at = ${r.updatedAt}, follow_up = ${plan.followUp}
              WHERE id = ${r.id}`,
            // An update of the existing day (an upsert would check the -1 against the inserted row).
            c
              ? tx`UPDATE daily_counts SET positive = positive + ${c.positive}, neutral = neutral + ${c.neutral},
                  negative = negative + ${c.negative} WHERE site_id = ${siteId} AND day = ${c.day}`
              : null,
            ...plan.values.map((move) => moveValue(tx, siteId, move)),
          ]);
          const shifted = results[events.length + 1];
          const moved = results.slice(events.length + 2).filter((_, i) => plan.values[i]!.by === -1);
          if (c && shifted?.count !== 1) throw new Error(`daily counts of site ${siteId} lack day ${c.day}`);
          if (moved.some((result) => result!.count !== 1)) throw new Error(`daily values of site ${siteId} lack day ${plan.day}`);
        }
        // The public log gets the event's entry in this same transaction (never missed, never doubled).
        await hooks.catchUpLog(tx, siteId);
        await hooks.enqueueWebhooks(tx, siteId, plan.webhook, () => webhookBody(plan.webhook, slug, webhookResponse(r, survey, plan.followUp), now), now);
        await hooks.afterResponse(tx, survey, plan.previousReaction, r, now);
        await Promise.all([bumpVersion(tx, siteId), hooks.notifyChange(tx, siteId)]);
        return { status: plan.outcome, response: r };
      });
    },

    // One transaction, all rows or none. Unlike SQLite there is no single write lock to free between
    // batches: other sites' writes go on beside it, and this site's answers wait for its commit.
    async importResponses(siteId, rows, now) {
      return transaction(sql, async (tx) => {
        const site = await lockSite(tx, siteId);
        const refs = [...new Set(rows.map((r) => r.ticketRef))];
        const taken = new Set<string>();
        for (const part of chunks(refs, 10_000)) {
          const found = await tx<{ ticket_ref: string }[]>`
            SELECT ticket_ref FROM responses WHERE site_id = ${siteId} AND ticket_ref = ANY(${part}::text[])
            UNION SELECT ticket_ref FROM surveys WHERE site_id = ${siteId} AND ticket_ref = ANY(${part}::text[])`;
          for (const f of found) taken.add(f.ticket_ref);
        }
        const problems = importProblems(rows, (ticketRef) => (taken.has(ticketRef) ? 'taken' : 'free'));
        if (problems.length > 0) throw new ImportError(problems);

        const ks: KindScale = { kind: site.survey_kind, scale: site.scale || null };
        const responses = importOrder(rows).map((row): StoredResponse => ({
          id: publicId('rs'),
          siteId,
          surveyId: null,
          ticketRef: row.ticketRef,
          ...ks,
          ...importedAnswer(row, ks),
          dimensions: [],
          comment: row.comment,
          source: 'import',
          createdAt: row.respondedAt,
          updatedAt: row.respondedAt,
        }));
        for (const part of chunks(responses)) {
          const values = part.map((r) => ({
            id: r.id, site_id: siteId, survey_id: null, ticket_ref: r.ticketRef, reaction: r.reaction, comment: r.comment,
            source: 'import', day: dayOf(r.createdAt), created_at: r.createdAt, updated_at: r.createdAt,
            follow_up: initialFollowUp(r.reaction), changeable_until: null, seeded: 0, kind: r.kind, scale: scaleOf(r),
            value: r.value, moment: r.moment, dimensions: '',
          }));
          await tx`INSERT INTO responses ${tx(values)}`;
        }
        const [head] = await chainHeadQuery(tx, siteId);
        for (const insert of appendEvents(tx, siteId, site.slug, head, responses.map((r) => responseEventFields('import', r)), now)) await insert;
        await hooks.catchUpLog(tx, siteId);

        // The counts of all rows, summed per day and per (day, moment, value): a few hundred upserts at most.
        const days = new Map<number, { positive: number; neutral: number; negative: number; imported: number }>();
        const values = new Map<string, { kind: SurveyKind; scale: number; day: number; moment: string; value: number; n: number }>();
        for (const r of responses) {
          const day = dayOf(r.createdAt);
          const d = days.get(day) ?? days.set(day, { positive: 0, neutral: 0, negative: 0, imported: 0 }).get(day)!;
          d[r.reaction] += 1;
          d.imported += 1;
          const key = `${day}\u0000${r.moment}\u0000${r.value}`;
          const v = values.get(key) ?? values.set(key, { kind: r.kind, scale: scaleOf(r), day, moment: r.moment, value: r.value, n: 0 }).get(key)!;
          v.n += 1;
        }
        for (const [day, d] of days) {
          await tx`INSERT INTO daily_counts (site_id, day, positive, neutral, negative, imported, seeded, sealed)
            VALUES (${siteId}, ${day}, ${d.positive}, ${d.neutral}, ${d.negative}, ${d.imported}, 0, 0)
            ON CONFLICT (site_id, day) DO UPDATE SET
              positive = daily_counts.positive + excluded.positive, neutral = daily_counts.neutral + excluded.neutral,
              negative = daily_counts.negative + excluded.negative, imported = daily_counts.imported + excluded.imported`;
        }
        for (const v of values.values()) {
          await tx`INSERT INTO daily_values (site_id, kind, scale, day, moment, value, n, imported)
            VALUES (${siteId}, ${v.kind}, ${v.scale}, ${v.day}, ${v.moment}, ${v.value}, ${v.n}, ${v.n})
            ON CONFLICT (site_id, kind, scale, day, moment, value) DO UPDATE SET
              n = daily_values.n + excluded.n, imported = daily_values.imported + excluded.imported`;
        }
        if (rows.length > 0) {
          await bumpVersion(tx, siteId);
          await hooks.notifyChange(tx, siteId);
        }
        return { imported: rows.length };
      });
    },
  };
}
