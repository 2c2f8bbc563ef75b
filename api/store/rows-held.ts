// Rows of survey_link_opens and held_answers as both stores read them, and a survey's link opens made from one.
import { NO_OPENS, type LinkOpens } from '../domain/scanner.js';
import type { Reaction } from '../domain/reaction.js';

export interface OpensRow {
  positive_at: number | null;
  neutral_at: number | null;
  negative_at: number | null;
  trap_at: number | null;
  scanned_until: number | null;
}

export interface HeldRow {
  survey_id: string;
  reaction: Reaction;
  value: number | null;
  comment: string | null;
  at: number;
}

export const toOpens = (r: OpensRow | undefined): LinkOpens =>
  r
    ? { positive: r.positive_at, neutral: r.neutral_at, negative: r.negative_at, trap: r.trap_at, scannedUntil: r.scanned_until }
    : { ...NO_OPENS };
