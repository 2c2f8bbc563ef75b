// The polling loop shared by the queue workers (survey email, help-desk write-back): one round at a time,
// never overlapping the previous one; the next round `intervalMs` after the last one ended; a timer that
// does not keep the process alive; and stop() that waits for the round in flight.
export interface WorkerLoop {
  /** Runs a round now (after the one in flight); resolves with what the round returned. */
  runOnce(): Promise<number>;
  stop(): Promise<void>;
}

export function workerLoop(options: {
  name: string;
  intervalMs: number;
  /** One round; `state.stopped` turns true when stop() is called, so a long round can end early. */
  round: (state: { readonly stopped: boolean }) => Promise<number>;
  logError: (message: string, error: unknown) => void;
  /** Work that must finish before the first round (e.g. releasing rows a crash left claimed). */
  before?: Promise<unknown>;
}): WorkerLoop {
  const { name, intervalMs, round, logError } = options;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inFlight: Promise<unknown> = options.before ?? Promise.resolve();

  const state = {
    get stopped() {
      return stopped;
    },
  };
  const runOnce = (): Promise<number> => {
    const next = inFlight.then(() => round(state));
    inFlight = next.catch(() => {});
    return next;
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      timer = undefined;
      void runOnce()
        .catch((caught: unknown) => logError(`${name}: round failed`, caught))
        .finally(schedule);
    }, intervalMs);
    timer.unref();
  };
  schedule();

  return {
    runOnce,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await inFlight;
    },
  };
}
