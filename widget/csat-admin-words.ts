// The admin page's shapes of the API's answers and the words and formats it shows them with.

export type Reaction = 'positive' | 'neutral' | 'negative';
export type FollowUp = 'none' | 'open' | 'contacted' | 'resolved';

/** One row of GET /v1/sites/:site/responses. */
export interface InboxItem {
  id: string;
  ticketRef: string;
  reaction: Reaction;
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

export const REACTION_LABEL: Record<Reaction, string> = { positive: 'Positive', neutral: 'Neutral', negative: 'Negative' };
export const FOLLOW_UP_LABEL: Record<FollowUp, string> = { none: 'Not needed', open: 'Open', contacted: 'Contacted', resolved: 'Resolved' };

/** The follow-up moves the API allows from each state (api/domain/follow-up.ts), as buttons. */
export const MOVES: Record<FollowUp, ReadonlyArray<{ to: FollowUp; label: string }>> = {
  none: [{ to: 'open', label: 'Needs follow-up' }],
  open: [
    { to: 'contacted', label: 'Contacted' },
    { to: 'resolved', label: 'Resolved' },
  ],
  contacted: [{ to: 'resolved', label: 'Resolved' }],
  resolved: [{ to: 'open', label: 'Reopen' }],
};

/** `mailto:` for an address, percent-encoded so that a `?` or `&` in it cannot add a cc or a body. */
export const mailto = (email: string) => `mailto:${encodeURIComponent(email).replace(/%40/g, '@')}`;

export const dayFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export const formatDate = (iso: string) => {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateFormat.format(date);
};
