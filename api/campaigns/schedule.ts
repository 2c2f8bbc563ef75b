// When a relationship campaign runs and whom a run skips for survey fatigue: pure time arithmetic, no I/O.
import { DAY_MS } from '../domain/window.js';

/** The moment campaign surveys measure unless the campaign names another: the relationship as a whole,
 * not a ticket (so `ticket-closed`, the ticket surveys' default, would misfile every answer). */
export const CAMPAIGN_MOMENT = 'relationship';

/** A contact who got any survey of the site (ticket or campaign) within this many days is skipped. */
export const DEFAULT_THROTTLE_DAYS = 90;

export const MAX_CONTACTS = 10_000;
export const MAX_EVERY_DAYS = 3650;
export const MAX_THROTTLE_DAYS = 3650;

/** The throttle is counted in whole days with one day of tolerance: a run that went out some minutes or
 * hours late (the worker polls, the server restarts) must not push its contacts out of the next run of
 * an every-N-days campaign whose throttle is also N days. */
export const THROTTLE_TOLERANCE_MS = DAY_MS;

export interface Schedule {
  startsAt: number;
  /** null: once. */
  everyDays: number | null;
}

/** The first scheduled time after `now`: start, start + every, start + 2 every, ... A campaign whose
 * server was down over several due times runs once when it comes back, not once per missed time. */
export function nextRunAfter(schedule: Schedule, now: number): number | null {
  if (schedule.everyDays === null) return null;
  if (now < schedule.startsAt) return schedule.startsAt;
  const every = schedule.everyDays * DAY_MS;
  return schedule.startsAt + (Math.floor((now - schedule.startsAt) / every) + 1) * every;
}

/** Surveys created after this time make a contact skip this run; undefined when the throttle is off. */
export function throttleSince(throttleDays: number, now: number): number | undefined {
  if (throttleDays <= 0) return undefined;
  return now - throttleDays * DAY_MS + Math.min(THROTTLE_TOLERANCE_MS, (throttleDays * DAY_MS) / 2);
}

/** The ticket reference of a contact's survey in one run: unique per campaign, run and contact (and
 * never the address, which would end up in ticket fields, exports and webhooks). */
export function campaignTicketRef(campaignId: string, run: number, contactN: number): string {
  return `${campaignId}/${run}/${contactN}`;
}
