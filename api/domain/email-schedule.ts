// When a survey email goes out and how a failed one is retried. Pure: the outbox worker and the survey
// service ask, the store only keeps the times.

const MINUTE_MS = 60_000;

/** Longest per-site delay: a month. */
export const MAX_EMAIL_DELAY_MINUTES = 43_200;

/** The first attempt: the site's delay after the ticket closed, and never before the survey exists. */
export function firstSendAt(closedAt: number | undefined, delayMinutes: number, now: number): number {
  return Math.max(now, (closedAt ?? now) + delayMinutes * MINUTE_MS);
}

/** Waits after the 1st, 2nd, ... failed attempt: about a day in all, then the email is marked failed.
 * An SMTP server that is down for a restart or an upgrade is retried within a minute. */
export const RETRY_DELAYS_S = [30, 120, 600, 1800, 3600, 3 * 3600, 6 * 3600, 12 * 3600] as const;

/** The next attempt after `attempts` failed ones, with up to 20% jitter so emails queued together do
 * not hit a recovering server in one burst; null when the email should be given up. `permanent` is an
 * SMTP 5xx answer (unknown mailbox, refused sender): retrying cannot help. */
export function nextEmailAttempt(attempts: number, now: number, options: { permanent?: boolean; random?: () => number } = {}): number | null {
  if (options.permanent) return null;
  const wait = RETRY_DELAYS_S[attempts - 1];
  if (wait === undefined) return null;
  const jitter = 1 + 0.2 * (options.random ?? Math.random)();
  return now + Math.round(wait * 1000 * jitter);
}
