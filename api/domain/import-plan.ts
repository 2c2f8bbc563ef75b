// Importing another tool's ratings, decided once for every store: which lines are refused, the order the
// events are chained in, and what each line is stored as.
import { classOf, REACTION_VALUE, type KindScale } from './kinds.js';
import { DEFAULT_MOMENT } from './moments.js';
import type { Reaction } from './reaction.js';
import type { ImportProblem } from '../store/errors.js';
import type { ImportRow } from '../store/types.js';

/** Where a ticket of the file stands on the site: free, already surveyed or rated, or staged by an
 * import still under way (stores without staging never say 'staged'). */
export type ImportTicketState = 'free' | 'taken' | 'staged';

/** Every line whose ticket is repeated in the file, already has a survey or rating, or is staged by
 * another import. `seen` (ticket -> first line) carries over between batches of one file. */
export function importProblems(
  rows: readonly ImportRow[],
  stateOf: (ticketRef: string) => ImportTicketState,
  seen: Map<string, number> = new Map(),
): ImportProblem[] {
  const problems: ImportProblem[] = [];
  for (const row of rows) {
    const first = seen.get(row.ticketRef);
    if (first !== undefined && first !== row.line) {
      problems.push({ line: row.line, message: `ticket ${row.ticketRef} already appears on line ${first}` });
    } else {
      const state = stateOf(row.ticketRef);
      if (state === 'taken') problems.push({ line: row.line, message: `ticket ${row.ticketRef} already has a survey or rating on this site` });
      else if (state === 'staged') problems.push({ line: row.line, message: `ticket ${row.ticketRef} is in another import that is under way` });
    }
    seen.set(row.ticketRef, first ?? row.line);
  }
  return problems;
}

/** Chronological order keeps the log readable; the chain itself only needs a stable order. */
export function importOrder<R extends Pick<ImportRow, 'respondedAt' | 'line'>>(rows: readonly R[]): R[] {
  return [...rows].sort((a, b) => a.respondedAt - b.respondedAt || a.line - b.line);
}

/** A line's answer on the site's kind and scale (a reaction line's value follows from its reaction). */
export function importedAnswer(row: ImportRow, site: KindScale): { reaction: Reaction; value: number; moment: string } {
  const value = row.value ?? REACTION_VALUE[row.reaction ?? 'neutral'];
  return { reaction: classOf(site, value), value, moment: row.moment ?? DEFAULT_MOMENT };
}
