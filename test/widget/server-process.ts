// Browser-side helpers for tests against the API as a separate process (test/widget/server-process-plugin.mjs):
// the built server, restarted for real, or a server whose clock the test moves.
import { executeServerCommand } from '@web/test-runner-commands';

async function run<T>(payload: Record<string, unknown>): Promise<T> {
  const result = await executeServerCommand<T, Record<string, unknown>>('csat-process', payload);
  if (result === undefined) throw new Error(`the csat-process command ${JSON.stringify(payload)} returned nothing`);
  return result;
}

export type Reaction = 'positive' | 'neutral' | 'negative';

/** Starts the built server (dist/api/server.js) on a fresh database; resolves with its origin. */
export async function startBuiltServer(): Promise<{ api: string; pid: number }> {
  return run({ action: 'start' });
}

/** Starts a server whose clock stands at `at` (ms since the epoch) until setServerClock moves it. */
export async function startClockServer(at: number): Promise<{ api: string; pid: number }> {
  return run({ action: 'start', clock: at });
}

export async function stopServer(): Promise<void> {
  await run({ action: 'stop' });
}

export interface Restart {
  /** Process ids of the server stopped and of the one started in its place. */
  before: number;
  after: number;
  /** How the stopped one ended: its signal, or its exit code. */
  exit: string | number | null;
  api: string;
}

/** Stops the server with `signal` and starts it again on the same port and database file. */
export async function restartServer(signal: 'SIGKILL' | 'SIGTERM'): Promise<Restart> {
  return run({ action: 'restart', signal });
}

/** Moves the clock server's clock to `at`; resolves with the time it now reads. */
export async function setServerClock(at: number): Promise<number> {
  return (await run<{ now: number }>({ action: 'set-clock', at })).now;
}

/** A new site in the running server's database; `at` is its creation time (defaults to now). */
export async function createSite(options: { windowDays?: number; at?: number } = {}): Promise<string> {
  return (await run<{ site: string }>({ action: 'site', ...options })).site;
}

/** Issues a survey and records a reaction to it over HTTP, as a respondent would; returns the status. */
export async function react(site: string, reaction: Reaction): Promise<number> {
  const { token } = await run<{ token: string }>({ action: 'survey', site });
  return (await run<{ status: number }>({ action: 'answer', token, reaction })).status;
}
