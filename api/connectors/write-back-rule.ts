// Who gets a write-back: a ticket's first non-positive reaction, and a change to another non-positive
// one (positive -> negative, neutral -> negative). A comment edit or a change to positive adds nothing:
// the technician already has the note, and a happy customer needs no follow-up in the ticket.
import type { Reaction } from '../domain/reaction.js';

export function wantsWriteBack(previous: Reaction | null, next: Reaction): boolean {
  return next !== 'positive' && next !== previous;
}
