// Telling mail scanners from people: link-detonation scanners render the survey page in a headless
// browser, where it looks visible, so the page's one-click auto-send cannot prove a person was there.
// A scanner gives itself away by opening the hidden trap link of the email, or several reaction links
// of one survey within moments; an auto-sent answer in the time after that is held until a person
// confirms it with a click. Pure rules, no I/O.
import type { Reaction } from './reaction.js';

/** Two different reaction links opened this close together are a scanner: a person picks one. */
export const LINK_BURST_MS = 60_000;
/** How long a survey stays marked as scanned after the last sign of a scanner. Scanners open links
 * seconds after delivery; a person may arrive later, when the mark has lapsed and one click counts again. */
export const SCANNED_FOR_MS = 10 * 60_000;

/** What was opened: one of the reaction links (`?r=`) or the trap link people do not see. */
export type LinkKind = Reaction | 'trap';

/** Per survey: when each link was last opened, and until when the survey counts as scanned. */
export interface LinkOpens {
  positive: number | null;
  neutral: number | null;
  negative: number | null;
  trap: number | null;
  scannedUntil: number | null;
}

export const NO_OPENS: LinkOpens = { positive: null, neutral: null, negative: null, trap: null, scannedUntil: null };

/**
 * The state after a link was opened at `at`. The mark only ever extends: a later open of one link does
 * not erase an earlier burst (the latest time per link is all that is kept).
 */
export function recordOpen(state: LinkOpens, kind: LinkKind, at: number): LinkOpens {
  const next: LinkOpens = { ...state, [kind]: at };
  let scannedSince: number | null = null;
  if (kind === 'trap') {
    scannedSince = at;
  } else {
    const others = (['positive', 'neutral', 'negative'] as const).filter((r) => r !== kind).map((r) => state[r]);
    if (others.some((t) => t !== null && Math.abs(at - t) <= LINK_BURST_MS)) scannedSince = at;
  }
  const until = scannedSince === null ? null : scannedSince + SCANNED_FOR_MS;
  next.scannedUntil = Math.max(state.scannedUntil ?? 0, until ?? 0) || null;
  return next;
}

export function isScanned(state: LinkOpens, now: number): boolean {
  return state.scannedUntil !== null && now < state.scannedUntil;
}

/**
 * Whether an answer counts now or is held for a person's confirmation. Only an answer sent without any
 * interaction on the page (`auto`) is ever held, and only while the survey is marked as scanned: a
 * pressed button, the form without JavaScript and an API call without the flag always count.
 */
export function answerDisposition(input: { auto: boolean; opens: LinkOpens; now: number }): 'count' | 'hold' {
  return input.auto && isScanned(input.opens, input.now) ? 'hold' : 'count';
}
