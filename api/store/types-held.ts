// The store side of scanner detection: link opens per survey, and answers held for a person's
// confirmation. Held answers live apart from responses, so the score, the event chain and the public log
// never see them.
import type { LinkKind, LinkOpens } from '../domain/scanner.js';
import type { Reaction } from '../domain/reaction.js';

export interface HeldAnswer {
  surveyId: string;
  /** The answer's class. */
  reaction: Reaction;
  /** The answer on its survey's scale (reactions: 1, 0, -1). */
  value: number;
  comment: string | null;
  at: number;
}

export interface HeldStore {
  /** The link opens of a survey (all null when none was recorded). */
  getLinkOpens(surveyId: string): Promise<LinkOpens>;
  /** Applies `next` (the rule, from domain/scanner.ts) to the stored state in one transaction, so
   * parallel opens by a scanner are not lost; returns the new state. */
  recordLinkOpen(surveyId: string, kind: LinkKind, at: number, next: (state: LinkOpens, kind: LinkKind, at: number) => LinkOpens): Promise<LinkOpens>;
  /** Stores (or replaces) the one held answer of a survey. */
  holdAnswer(held: HeldAnswer): Promise<void>;
  getHeldAnswer(surveyId: string): Promise<HeldAnswer | null>;
  /** Drops a survey's held answer (after a counted answer); true when there was one. */
  dropHeldAnswer(surveyId: string): Promise<boolean>;
  /** How many held answers a site has. */
  countHeldAnswers(siteId: number): Promise<number>;
}
