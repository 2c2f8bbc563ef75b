// Browser-side helpers for the widget tests: the server commands of web-test-runner.config.mjs (a real
// API in the test runner's Node process) and direct reads of the API over CORS.
import { executeServerCommand } from '@web/test-runner-commands';

export type Reaction = 'positive' | 'neutral' | 'negative';
/** An answer as a client sends it: a reaction, or a score on a CSAT or NPS survey's scale. */
export type Answer = Reaction | number;

async function csat<T>(payload: Record<string, unknown>): Promise<T> {
  const result = await executeServerCommand<T, Record<string, unknown>>('csat', payload);
  if (result === undefined) throw new Error(`the csat command ${JSON.stringify(payload)} returned nothing`);
  return result;
}

let apiOrigin: string | null = null;

/** Origin of the real API, e.g. http://127.0.0.1:40123. */
export async function apiUrl(): Promise<string> {
  apiOrigin ??= (await csat<{ api: string }>({ action: 'info' })).api;
  return apiOrigin;
}

/** The API origin with requests held until `releaseGate(name)`. */
export async function gatedApi(name: string): Promise<string> {
  return `${await apiUrl()}/__gate/${name}`;
}

export async function releaseGate(name: string): Promise<void> {
  await csat({ action: 'release', gate: name });
}

export interface SiteOptions {
  name?: string;
  windowDays?: number;
  changeWindowDays?: number;
  industry?: string;
  /** The survey kind (reaction when absent) and, for csat, the scale: 3, 5 or 10. */
  kind?: 'reaction' | 'csat' | 'nps';
  scale?: number;
}

/** A new site with a unique slug (its admin key stays on the server side). */
export async function createSite(options: SiteOptions = {}): Promise<string> {
  return (await csat<{ site: string }>({ action: 'site', ...options })).site;
}

export async function createSurvey(site: string): Promise<string> {
  return (await csat<{ token: string }>({ action: 'survey', site })).token;
}

/** Records an answer as another client would (POST /v1/responses over HTTP); returns the status. */
export async function answer(token: string, given: Answer, comment?: string | null, dimensions?: string[]): Promise<number> {
  const { status } = await csat<{ status: number }>({
    action: 'answer',
    token,
    ...(typeof given === 'number' ? { score: given } : { reaction: given }),
    ...(comment !== undefined && { comment }),
    ...(dimensions !== undefined && { dimensions }),
  });
  return status;
}

/** A site with one answered survey per answer given (reactions, or scores for a csat or nps site). */
export async function seededSite(reactions: Answer[], options: SiteOptions = {}): Promise<string> {
  const site = await createSite(options);
  for (const reaction of reactions) {
    const status = await answer(await createSurvey(site), reaction);
    if (status !== 201) throw new Error(`seeding ${site} failed with ${status}`);
  }
  return site;
}

/** Imports past ratings (as `csat import` does), each `daysAgo` days before the API's clock. */
export async function importRatings(site: string, rows: Array<{ daysAgo: number; reaction: Reaction }>): Promise<void> {
  await csat({ action: 'import', site, rows });
}

/** Moves the API's clock (shared by every test) by `days`; undo with resetClock(). */
export async function advanceClock(days: number): Promise<void> {
  await csat({ action: 'advance', days });
}

export async function resetClock(): Promise<void> {
  await csat({ action: 'reset-clock' });
}

export interface StoredAnswer {
  status: number;
  reaction?: Reaction;
  score?: number | null;
  dimensions?: string[];
  comment?: string | null;
  changeableUntil?: string;
  answered?: boolean;
  code?: string;
}

/** What the API says about a token right now (GET /v1/responses/:token). */
export async function storedAnswer(token: string): Promise<StoredAnswer> {
  const res = await fetch(`${await apiUrl()}/v1/responses/${encodeURIComponent(token)}`, { cache: 'no-store' });
  const body = (await res.json()) as Omit<StoredAnswer, 'status' | 'code'> & { error?: { code: string } };
  const { error, ...rest } = body;
  return { status: res.status, ...rest, code: error?.code };
}

/** Collects console.warn calls until restore() (keeps the test output quiet, too). */
export function captureWarnings() {
  const original = console.warn;
  const calls: unknown[][] = [];
  console.warn = (...args: unknown[]) => {
    calls.push(args);
  };
  return { calls, restore: () => (console.warn = original) };
}

/** Collects uncaught errors and unhandled rejections until restore(). */
export function captureUncaught() {
  const errors: unknown[] = [];
  const onError = (event: ErrorEvent) => errors.push(event.error ?? event.message);
  const onRejection = (event: PromiseRejectionEvent) => errors.push(event.reason);
  window.addEventListener('error', onError);
  window.addEventListener('unhandledrejection', onRejection);
  return {
    errors,
    restore: () => {
      window.removeEventListener('error', onError);
      window.removeEventListener('unhandledrejection', onRejection);
    },
  };
}
