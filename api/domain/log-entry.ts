// One public log entry per response event, and the score anyone can recompute from the entries. An
// entry carries no personal data: an opaque survey id, the reaction, the UTC day, where the rating came
// from, whether its survey was sealed, and whether it is a first answer or a change.
import { createHmac } from 'node:crypto';
import { isReaction, type Reaction, type ReactionCounts } from './reaction.js';
import type { KindScale } from './kinds.js';
import { DEFAULT_MOMENT, isMoment } from './moments.js';

export const ENTRY_ORIGINS = ['live', 'imported', 'seeded'] as const;
export type EntryOrigin = (typeof ENTRY_ORIGINS)[number];
export type EntryKind = 'first' | 'change';

export interface LogEntry {
  v: 1;
  /** HMAC of the response id under the site's log secret: stable across a survey's entries, and
   * linkable to nothing else (neither the token nor any id the API shows). */
  survey: string;
  reaction: Reaction;
  /** The UTC day of the first answer (a change keeps its day, as the score does). */
  day: string;
  origin: EntryOrigin;
  sealed: boolean;
  kind: EntryKind;
  /** The survey's kind and the answer for CSAT and NPS ("nps:9", "csat5:4"); absent for reactions, so
   * their entries are byte for byte what they were before survey kinds. */
  answer?: string;
  /** The survey's moment when it is not a closed ticket. */
  moment?: string;
}

/** The kind part of `answer`: "nps", "csat5"; null for reactions. */
export function answerTag({ kind, scale }: KindScale): string | null {
  return kind === 'reaction' ? null : kind === 'csat' ? `csat${scale}` : kind;
}

export function opaqueSurveyId(secret: Buffer, responseId: string): string {
  return createHmac('sha256', secret).update(responseId).digest('base64url').slice(0, 22);
}

/** The exact bytes that are hashed into the tree: fixed key order, no spaces. */
export function entryData(entry: LogEntry): string {
  return JSON.stringify({
    v: entry.v,
    survey: entry.survey,
    reaction: entry.reaction,
    day: entry.day,
    origin: entry.origin,
    sealed: entry.sealed,
    kind: entry.kind,
    ...(entry.answer === undefined ? {} : { answer: entry.answer }),
    ...(entry.moment === undefined ? {} : { moment: entry.moment }),
  });
}

/** Parses and checks an entry as served; null when it is not one this log could have written. */
export function parseEntry(data: string): LogEntry | null {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return null;
  }
  const e = value as Partial<LogEntry>;
  if (typeof value !== 'object' || value === null || e.v !== 1) return null;
  if (typeof e.survey !== 'string' || !isReaction(e.reaction) || typeof e.day !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(e.day)) return null;
  if (!ENTRY_ORIGINS.includes(e.origin as EntryOrigin) || typeof e.sealed !== 'boolean' || (e.kind !== 'first' && e.kind !== 'change')) return null;
  if (e.answer !== undefined && !(typeof e.answer === 'string' && /^(nps|csat(3|5|10)):\d{1,2}$/.test(e.answer))) return null;
  if (e.moment !== undefined && (!isMoment(e.moment) || e.moment === DEFAULT_MOMENT)) return null;
  const entry = e as LogEntry;
  // Re-serialising must give the same bytes, or two readers could disagree on what was hashed.
  return entryData(entry) === data ? entry : null;
}

export interface EntryReplay {
  counts: ReactionCounts;
  problems: string[];
}

/** Which entries a score counts: its kind's (`answer` tag, null for reactions) and its moments (null: all). */
export interface EntryFilter {
  answer: string | null;
  moments: readonly string[] | null;
}

/** Replays entries (oldest first): the latest reaction of each survey counts, on its first day. Counts
 * the surveys whose day lies in [from, to] (ISO days, inclusive) that the filter lets through. */
export function replayEntries(entries: readonly LogEntry[], from: string, to: string, filter: EntryFilter = { answer: null, moments: null }): EntryReplay {
  const latest = new Map<string, LogEntry>();
  const problems: string[] = [];
  entries.forEach((entry, index) => {
    const first = latest.get(entry.survey);
    if (entry.kind === 'first' && first) problems.push(`entry ${index} is a second first answer of survey ${entry.survey}`);
    if (entry.kind === 'change' && !first) problems.push(`entry ${index} changes survey ${entry.survey}, which has no first answer`);
    if (first && first.day !== entry.day) problems.push(`entry ${index} moves survey ${entry.survey} from ${first.day} to ${entry.day}`);
    latest.set(entry.survey, first ? { ...entry, day: first.day, origin: first.origin } : entry);
  });
  const counts: ReactionCounts = { positive: 0, neutral: 0, negative: 0, imported: 0 };
  for (const entry of latest.values()) {
    if (entry.day < from || entry.day > to) continue;
    if ((entry.answer?.split(':')[0] ?? null) !== filter.answer) continue;
    if (filter.moments && !filter.moments.includes(entry.moment ?? DEFAULT_MOMENT)) continue;
    counts[entry.reaction]++;
    if (entry.origin === 'imported') counts.imported++;
  }
  return { counts, problems };
}
