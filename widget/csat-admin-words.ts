// The admin page's shapes of the API's answers and the words and formats it shows them with: the
// domain's types, its follow-up moves and the one vocabulary's words, imported, never restated.
import { FOLLOW_UP_MOVES, type FollowUp } from '../api/domain/follow-up.js';
import type { Reaction } from '../api/domain/reaction.js';
import type { Dimension, SurveyKind } from './csat-admin-kinds.js';

export type { FollowUp } from '../api/domain/follow-up.js';
export type { Reaction } from '../api/domain/reaction.js';

export { WORDS } from './csat-admin-kinds.js';

// The JSON of the inbox routes (api/routes/inbox.ts describeItem), over the domain's own types. Not the
// store's types: those carry the server's (instants as numbers, Buffers), which a browser never sees.

/** One row of GET /v1/sites/:site/responses. */
export interface InboxItem {
  id: string;
  ticketRef: string;
  /** The answer's class (the reaction itself on reaction surveys). */
  reaction: Reaction;
  kind: SurveyKind;
  scale: number | null;
  /** The CSAT or NPS answer; null for reactions. */
  score: number | null;
  moment: string;
  /** "What mattered most?", as the respondent named them. */
  dimensions: Dimension[];
  comment: string | null;
  source: string;
  followUp: FollowUp;
  team: string | null;
  technician: string | null;
  contact: { email: string | null; name: string | null } | null;
  notes: number;
  createdAt: string;
  updatedAt: string;
}

export interface Note {
  author: string;
  text: string;
  followUp: FollowUp | null;
  at: string;
}

/** GET /v1/sites/:site/responses/:id */
export interface Detail extends InboxItem {
  noteList: Note[];
}

/** The operators' words for the follow-up states (theirs alone: respondents never see them). */
export const FOLLOW_UP_LABEL: Record<FollowUp, string> = { none: 'Not needed', open: 'Open', contacted: 'Contacted', resolved: 'Resolved' };

/** A move's button: "open" is "Needs follow-up" from none and "Reopen" from resolved. */
function moveLabel(from: FollowUp, to: FollowUp): string {
  if (to !== 'open') return FOLLOW_UP_LABEL[to];
  return from === 'resolved' ? 'Reopen' : 'Needs follow-up';
}

/** The follow-up moves the API allows from a state (api/domain/follow-up.ts), as buttons. */
export const movesFrom = (from: FollowUp) => FOLLOW_UP_MOVES[from].map((to) => ({ to, label: moveLabel(from, to) }));

/** `mailto:` for an address, percent-encoded so that a `?` or `&` in it cannot add a cc or a body. */
export const mailto = (email: string) => `mailto:${encodeURIComponent(email).replace(/%40/g, '@')}`;

export const dayFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export const formatDate = (iso: string) => {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateFormat.format(date);
};
