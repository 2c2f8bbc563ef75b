// What the stores share of the public log: a response event's public entry, the compact range kept
// beside the entries, and the stored day values folded for `csat verify`. Pure, so the SQLite and the
// PostgreSQL log write the same bytes.
import { answerTag, entryData, opaqueSurveyId, type EntryOrigin } from '../domain/log-entry.js';
import { DEFAULT_MOMENT } from '../domain/moments.js';
import { appendLeaf, emptyRange, type CompactRange, type Hash } from '../domain/merkle.js';
import type { DayTotals } from '../domain/replay.js';
import type { Reaction } from '../domain/reaction.js';
import { classOf, type SurveyKind } from '../domain/kinds.js';
import { isoDay, dayOf } from '../domain/window.js';

/** A response event not yet in the log, with its response's and survey's flags as they are when the
 * event is written. */
export interface PendingEvent {
  seq: number;
  value: number | null;
  survey_kind: SurveyKind;
  scale: number;
  moment: string;
  type: 'submit' | 'change' | 'import';
  response_id: string;
  reaction: Reaction;
  responded_at: number;
  source: 'survey' | 'import';
  seeded: number;
  sealed: number;
}

/** A CSAT or NPS answer in its entry ("nps:9"); nothing for reactions. */
const answerField = (e: PendingEvent) => {
  const tag = answerTag({ kind: e.survey_kind, scale: e.scale || null });
  return tag === null ? {} : { answer: `${tag}:${e.value}` };
};

/** The exact text of the public entry of event `e` (its leaf is the hash of these UTF-8 bytes). */
export function entryOfEvent(idSecret: Buffer, e: PendingEvent): string {
  const origin: EntryOrigin = e.source === 'import' ? 'imported' : e.seeded ? 'seeded' : 'live';
  return entryData({
    v: 1,
    survey: opaqueSurveyId(idSecret, e.response_id),
    reaction: e.reaction,
    day: isoDay(dayOf(e.responded_at)),
    origin,
    sealed: e.sealed === 1,
    kind: e.type === 'change' ? 'change' : 'first',
    ...answerField(e),
    ...(e.moment === DEFAULT_MOMENT ? {} : { moment: e.moment }),
  });
}

/** The compact range of a log whose leaf hashes come in index order. */
export function rangeOfLeaves(rows: Iterable<{ leaf_hash: Buffer }>): CompactRange {
  let range = emptyRange();
  for (const r of rows) range = appendLeaf(range, r.leaf_hash);
  return range;
}

/** A stored range's roots (32 bytes each, concatenated) as hashes. */
export const splitHashes = (roots: Buffer): Hash[] =>
  Array.from({ length: roots.length / 32 }, (_, i) => roots.subarray(i * 32, i * 32 + 32));

/** Stored per-day answer values folded into classes per day, every kind together: the same shape as
 * the replay's days. Rows come ordered by day. */
export function foldDayValues(rows: Iterable<{ day: number; kind: SurveyKind; scale: number; value: number; n: number; imported: number }>): DayTotals[] {
  const days = new Map<number, DayTotals>();
  for (const r of rows) {
    const d = days.get(r.day) ?? { day: r.day, positive: 0, neutral: 0, negative: 0, imported: 0 };
    d[classOf({ kind: r.kind, scale: r.scale || null }, r.value)] += r.n;
    d.imported += r.imported;
    days.set(r.day, d);
  }
  return [...days.values()];
}
