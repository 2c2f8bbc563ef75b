// What an answer queues for each help-desk ticket linked to its survey: a note, and a reopen as well when
// the connector is set to reopen tickets. Whether anything is queued at all is the write-back rule.
import { wantsWriteBack } from '../connectors/write-back-rule.js';
import type { Reaction } from './reaction.js';
import type { WriteBackAction } from '../store/types-connectors.js';

export function writeBackActions(previous: Reaction | null, next: Reaction, link: { reopen: boolean }): WriteBackAction[] {
  if (!wantsWriteBack(previous, next)) return [];
  return link.reopen ? ['note', 'reopen'] : ['note'];
}
