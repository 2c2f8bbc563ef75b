// Follow-up on a reaction is the operators' own state, separate from the rating (which only the
// respondent changes). Every reaction that is not positive starts `open`; positive ones need none.
import type { Reaction } from './reaction.js';

export const FOLLOW_UP_STATES = ['none', 'open', 'contacted', 'resolved'] as const;
export type FollowUp = (typeof FOLLOW_UP_STATES)[number];

/** Forward moves only, plus reopening a resolved case; `none` is never set by hand. Exported for the
 * admin page, which offers exactly these moves as buttons. */
export const FOLLOW_UP_MOVES: Readonly<Record<FollowUp, readonly FollowUp[]>> = {
  none: ['open'],
  open: ['contacted', 'resolved'],
  contacted: ['resolved'],
  resolved: ['open'],
};

export function canMove(from: FollowUp, to: FollowUp): boolean {
  return FOLLOW_UP_MOVES[from].includes(to);
}

export function initialFollowUp(reaction: Reaction): FollowUp {
  return reaction === 'positive' ? 'none' : 'open';
}

/** After a respondent changes their mind: a newly non-positive reaction needs following up. */
export function followUpAfterChange(current: FollowUp, reaction: Reaction): FollowUp {
  return current === 'none' && reaction !== 'positive' ? 'open' : current;
}

export type FollowUpChangePlan =
  | { status: 'illegal'; from: FollowUp; to: FollowUp }
  /** `move`: the state to set (null: stays as it is); `noteFollowUp`: what a note records as asked for. */
  | { status: 'ok'; move: FollowUp | null; noteFollowUp: FollowUp | null };

/** An operator's follow-up change on a response whose state is `from`. Asking for the current state is no
 * move (and not illegal); a note records the state that was asked for, even then. */
export function planFollowUpChange(from: FollowUp, change: { to?: FollowUp }): FollowUpChangePlan {
  const to = change.to;
  if (to === undefined || to === from) return { status: 'ok', move: null, noteFollowUp: to ?? null };
  if (!canMove(from, to)) return { status: 'illegal', from, to };
  return { status: 'ok', move: to, noteFollowUp: to };
}
