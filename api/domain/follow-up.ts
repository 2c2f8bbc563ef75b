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
