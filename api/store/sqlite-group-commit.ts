// Group commit: the writes that arrive together share one IMMEDIATE transaction, so one fsync
// (synchronous=FULL) makes a whole batch durable instead of one fsync per write. Each write still runs
// on its own: better-sqlite3 turns a transaction function called inside another into a SAVEPOINT, so a
// write that throws rolls back only its own changes and fails only its own caller. Every caller's
// promise settles after the COMMIT has returned, never before: an acknowledged write is on disk.
//
// "Together" means queued during the same turn of the event loop: requests read from the sockets in one
// poll phase are written at the following check phase (setImmediate). While a batch waits for a busy
// database (another process holds the lock), new writes queue up and go in the next batch.
import type Database from 'better-sqlite3';
import { isBusy, retryBusy } from './sqlite-busy.js';

interface Job {
  /** A better-sqlite3 transaction function (or plain function) doing one write. */
  write: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** The most writes in one transaction, so one batch never holds the write lock for long. */
const MAX_BATCH = 256;

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

export interface GroupCommit {
  /** Runs `write` in the next batch's transaction; resolves with its result once that batch committed. */
  run<T>(write: () => T): Promise<T>;
  /** Resolves once every write queued so far has been committed (or failed). */
  idle(): Promise<void>;
}

export function groupCommit(db: Database.Database, options: { onCommit?: (size: number) => void } = {}): GroupCommit {
  const queue: Job[] = [];
  let scheduled = false;
  let running: Promise<void> | null = null;

  const batch = db.transaction((jobs: Job[]): Outcome[] =>
    jobs.map((job) => {
      try {
        // Called inside the batch, `write` (a db.transaction function) runs as a SAVEPOINT.
        return { ok: true, value: job.write() };
      } catch (error) {
        // A busy database or an error that ended the whole transaction (SQLite rolls it back by itself
        // on some I/O errors) leaves nothing to go on with: the whole batch fails or is tried again.
        if (isBusy(error) || !db.inTransaction) throw error;
        return { ok: false, error };
      }
    }),
  );

  const flush = async (): Promise<void> => {
    while (queue.length > 0) {
      const jobs = queue.splice(0, MAX_BATCH);
      let outcomes: Outcome[];
      try {
        // Busy: nothing of the batch took effect (SQLite rolled it back), so it is tried again as a whole,
        // waiting with timers rather than inside SQLite, so the event loop keeps serving.
        outcomes = await retryBusy(() => batch.immediate(jobs));
      } catch (error) {
        for (const job of jobs) job.reject(error);
        continue;
      }
      options.onCommit?.(jobs.length);
      outcomes.forEach((outcome, i) => (outcome.ok ? jobs[i]!.resolve(outcome.value) : jobs[i]!.reject(outcome.error)));
    }
  };

  const start = () => {
    scheduled = false;
    if (running) return; // the running flush takes the queue when its batch is done
    running = flush().finally(() => {
      running = null;
      // A write queued after the flush found the queue empty, before this ran, is not left behind.
      if (queue.length > 0 && !scheduled) {
        scheduled = true;
        setImmediate(start);
      }
    });
  };

  return {
    run<T>(write: () => T): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ write, resolve: resolve as (value: unknown) => void, reject });
        if (!scheduled && !running) {
          scheduled = true;
          setImmediate(start);
        }
      });
    },
    async idle() {
      while (scheduled || running || queue.length > 0) {
        if (running) await running;
        else await new Promise<void>((resolve) => setImmediate(resolve));
      }
    },
  };
}
