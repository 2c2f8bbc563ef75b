// Replaying a site's event chain gives the only trusted state: each response's reaction and day, and the
// per-day counts. The tables the server reads (responses, daily_counts) are checked against it.
import type { ChainEvent } from './chain.js';
import type { Reaction } from './reaction.js';
import { REACTION_VALUE, type SurveyKind } from './kinds.js';
import { dayOf, isoDay } from './window.js';

export interface ReplayedResponse {
  reaction: Reaction;
  /** The answer on its scale (reactions: 1, 0, -1). */
  value: number;
  day: number;
  imported: boolean;
}

export interface DayTotals {
  day: number;
  positive: number;
  neutral: number;
  negative: number;
  imported: number;
}

export interface ResponseFact {
  id: string;
  reaction: Reaction;
  day: number;
  source: 'survey' | 'import';
  /** What its survey asked (fixed when the survey was issued; the score of a kind counts only its own). */
  kind: SurveyKind;
  scale: number | null;
  moment: string;
}

/** The latest reaction of every response; its day is the one of its first answer (events carry it). */
export function replayEvents(events: Iterable<ChainEvent>): Map<string, ReplayedResponse> {
  const state = new Map<string, ReplayedResponse>();
  for (const e of events) {
    const previous = state.get(e.response);
    state.set(e.response, { reaction: e.reaction, value: e.value ?? REACTION_VALUE[e.reaction], day: previous?.day ?? dayOf(e.respondedAt), imported: previous?.imported ?? e.type === 'import' });
  }
  return state;
}

export function replayedDays(state: Map<string, ReplayedResponse>): DayTotals[] {
  const days = new Map<number, DayTotals>();
  for (const r of state.values()) {
    const d = days.get(r.day) ?? { day: r.day, positive: 0, neutral: 0, negative: 0, imported: 0 };
    d[r.reaction]++;
    if (r.imported) d.imported++;
    days.set(r.day, d);
  }
  return [...days.values()].sort((a, b) => a.day - b.day);
}

/** Readable differences between the responses table and the replay (empty when equal). */
export function responseDifferences(state: Map<string, ReplayedResponse>, stored: readonly ResponseFact[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const row of stored) {
    seen.add(row.id);
    const r = state.get(row.id);
    if (!r) {
      out.push(`response ${row.id} has no event (stored ${row.reaction} on ${isoDay(row.day)})`);
      continue;
    }
    if (r.reaction !== row.reaction) out.push(`response ${row.id}: reaction is ${row.reaction}, its events say ${r.reaction}`);
    if (r.day !== row.day) out.push(`response ${row.id}: day is ${isoDay(row.day)}, its events say ${isoDay(r.day)}`);
    if (r.imported !== (row.source === 'import')) out.push(`response ${row.id}: source is ${row.source}, its events say ${r.imported ? 'import' : 'survey'}`);
  }
  for (const id of state.keys()) if (!seen.has(id)) out.push(`response ${id} has events but no row`);
  return out;
}

const FIELDS = ['positive', 'neutral', 'negative', 'imported'] as const;

/** Readable differences between the stored per-day counts and the replay (days with all zeros count as absent). */
export function dayDifferences(replayed: readonly DayTotals[], stored: readonly DayTotals[], what = 'daily counts'): string[] {
  const key = (d: DayTotals | undefined) => (d ? FIELDS.map((f) => d[f]) : [0, 0, 0, 0]);
  const a = new Map(replayed.map((d) => [d.day, d]));
  const b = new Map(stored.map((d) => [d.day, d]));
  const out: string[] = [];
  for (const day of [...new Set([...a.keys(), ...b.keys()])].sort((x, y) => x - y)) {
    const want = key(a.get(day));
    const have = key(b.get(day));
    const diffs = FIELDS.filter((_, i) => want[i] !== have[i]).map((f, _, __) => `${f} ${have[FIELDS.indexOf(f)]} (replay ${want[FIELDS.indexOf(f)]})`);
    if (diffs.length > 0) out.push(`${what} of ${isoDay(day)}: ${diffs.join(', ')}`);
  }
  return out;
}
