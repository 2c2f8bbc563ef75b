// Waiting for SQLite's write lock without blocking the event loop. better-sqlite3 is synchronous: with a
// long busy_timeout, a write that finds another process (a `csat import`) holding the lock stops the whole
// server until the lock is free. So the connection waits only a few milliseconds itself, and a write
// that still finds the database busy is tried again after a timer, while other requests are served.
import { setTimeout as sleep } from 'node:timers/promises';

/** How long one attempt waits for the lock inside SQLite, blocking the event loop (milliseconds). */
export const BUSY_TIMEOUT_MS = 5;
/** How long a write keeps trying before its error is given up to the caller: an import batch holds the
 * lock for well under a second, so this is only reached if something holds it far longer. */
const BUSY_GIVE_UP_MS = 30_000;

export const isBusy = (error: unknown): boolean => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_'));
};

/** The longest pause between two tries of a busy write is 1.5 times this (jitter). */
const MAX_BACKOFF_MS = 16;
/** How long a batched writer (the import) leaves the lock free between batches, at the least: longer
 * than the longest pause of a waiting write, so every waiting write gets its turn. */
export const IMPORT_GAP_MS = 25;

/** Calls `attempt` until it does not fail with SQLITE_BUSY, backing off from 1 ms to 16 ms with jitter. */
export async function retryBusy<T>(attempt: () => T | Promise<T>, giveUpMs = BUSY_GIVE_UP_MS): Promise<T> {
  const started = Date.now();
  for (let pause = 1; ; pause = Math.min(pause * 2, MAX_BACKOFF_MS)) {
    try {
      return await attempt();
    } catch (error) {
      if (!isBusy(error) || Date.now() - started > giveUpMs) throw error;
    }
    await sleep(pause / 2 + Math.random() * pause);
  }
}

/**
 * The same methods, each retried on SQLITE_BUSY. A store method is one transaction (or one statement),
 * and a busy error means it took no effect (SQLite rolled it back), so calling it again is safe.
 * Methods that answer synchronously are left as they are, and so are those that retry their own steps.
 */
export function busyRetrying<T extends object>(methods: T, retriedInside: ReadonlyArray<keyof T> = []): T {
  const wrapped: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(methods)) {
    if (typeof value !== 'function' || value.constructor.name !== 'AsyncFunction' || retriedInside.includes(name as keyof T)) {
      wrapped[name] = value;
      continue;
    }
    const method = value as (...args: unknown[]) => Promise<unknown>;
    wrapped[name] = (...args: unknown[]) => retryBusy(() => method.apply(methods, args));
  }
  return wrapped as T;
}
