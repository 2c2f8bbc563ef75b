// Rolling windows over UTC calendar days. A day is stored as its number since 1970-01-01 (UTC), so
// "which day" never depends on the server's time zone.

export const DAY_MS = 86_400_000;
export const DEFAULT_WINDOW_DAYS = 90;
export const MAX_WINDOW_DAYS = 730;

/** The UTC day number of an instant. */
export function dayOf(ms: number): number {
  return Math.floor(ms / DAY_MS);
}

/** `YYYY-MM-DD` of a UTC day number. */
export function isoDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export interface ScoreWindow {
  days: number;
  /** First and last UTC day counted, inclusive. */
  fromDay: number;
  toDay: number;
}

/** The last `days` UTC days ending with (and including) the day of `nowMs`. */
export function rollingWindow(nowMs: number, days: number): ScoreWindow {
  if (!Number.isInteger(days) || days < 1 || days > MAX_WINDOW_DAYS) {
    throw new RangeError(`window must be 1..${MAX_WINDOW_DAYS} days, got ${days}`);
  }
  const toDay = dayOf(nowMs);
  return { days, fromDay: toDay - days + 1, toDay };
}

export function inWindow(window: ScoreWindow, ms: number): boolean {
  const day = dayOf(ms);
  return day >= window.fromDay && day <= window.toDay;
}
