// Delivers queued webhooks. The rows are written in the response's own transaction (store/sqlite.ts), so
// a request never waits for a receiver: this worker polls the queue on a timer, POSTs each due delivery
// signed with its webhook's secret (domain/webhook.ts), and records the outcome with the next retry.
// Receivers are tried concurrently; each request has a timeout, so a slow receiver delays a round by at
// most that long. A round never throws: every failure is recorded or logged.
import type { Clock } from './clock.js';
import { nextAttemptAfter, SIGNATURE_HEADER, signatureHeader } from './domain/webhook.js';
import type { Delivery, Store } from './store/types.js';

export interface WebhookWorkerOptions {
  store: Store;
  clock: Clock;
  fetch?: typeof fetch;
  /** Pause between rounds (from the end of one to the start of the next). */
  intervalMs?: number;
  /** Per request, headers and body included. */
  timeoutMs?: number;
  /** Most deliveries taken per round. */
  batch?: number;
  logError?: (message: string, error: unknown) => void;
}

export interface WebhookWorker {
  /** One round: attempts every due delivery (up to `batch`); resolves with how many were attempted. */
  runOnce(): Promise<number>;
  /** Stops the timer and waits for a round in flight. */
  stop(): Promise<void>;
}

const MAX_ERROR_CHARS = 500;

function describeError(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return `timed out after ${timeoutMs} ms`;
  if (error instanceof Error) {
    const cause = error.cause as { code?: string; message?: string } | undefined;
    const detail = cause?.code ?? cause?.message;
    return (detail ? `${error.message}: ${detail}` : error.message).slice(0, MAX_ERROR_CHARS);
  }
  return String(error).slice(0, MAX_ERROR_CHARS);
}

export function startWebhookWorker(options: WebhookWorkerOptions): WebhookWorker {
  const { store, clock, intervalMs = 1000, timeoutMs = 5000, batch = 20 } = options;
  const doFetch = options.fetch ?? fetch;
  const logError = options.logError ?? ((message, error) => console.error(message, error));

  /** Attempts one delivery and records it; true when the receiver took it. Never throws. */
  async function attempt(delivery: Delivery): Promise<boolean> {
    const now = clock.now();
    let httpStatus: number | null = null;
    let error: string | null = null;
    try {
      const res = await doFetch(delivery.url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          [SIGNATURE_HEADER]: signatureHeader(delivery.secret, delivery.body, now),
          'CSAT-Event': delivery.event,
          'CSAT-Delivery': String(delivery.id),
          'User-Agent': 'csat-badge-webhooks',
        },
        body: delivery.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      httpStatus = res.status;
      // The receiver's answer is not read: drop it so the connection is released.
      await res.body?.cancel().catch(() => {});
      if (res.status < 200 || res.status > 299) error = res.status >= 300 && res.status < 400 ? `redirect (HTTP ${res.status}) not followed` : `HTTP ${res.status}`;
    } catch (caught) {
      error = describeError(caught, timeoutMs);
    }
    const ok = error === null;
    try {
      const at = clock.now();
      await store.recordAttempt(delivery.id, { ok, httpStatus, error, nextAttemptAt: ok ? null : nextAttemptAfter(delivery.attempts + 1, at) }, at);
    } catch (caught) {
      logError(`webhook delivery ${delivery.id}: could not record the attempt`, caught);
    }
    return ok;
  }

  async function round(): Promise<number> {
    if (stopped) return 0;
    let due: Delivery[];
    try {
      due = await store.dueDeliveries(clock.now(), batch);
    } catch (caught) {
      logError('webhook worker: could not read the delivery queue', caught);
      return 0;
    }
    // One queue per receiver, in order; receivers run side by side. After a failure the rest of that
    // receiver's deliveries wait for the next round, so a dead or slow receiver costs one timeout a round.
    const byUrl = new Map<string, Delivery[]>();
    for (const d of due) byUrl.set(d.url, [...(byUrl.get(d.url) ?? []), d]);
    let attempted = 0;
    await Promise.all(
      [...byUrl.values()].map(async (queue) => {
        for (const delivery of queue) {
          attempted += 1;
          if (!(await attempt(delivery))) break;
        }
      }),
    );
    return attempted;
  }

  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Rounds never overlap (a delivery read twice would be sent twice): each waits for the one before.
  let inFlight: Promise<unknown> = Promise.resolve();

  const runOnce = (): Promise<number> => {
    const next = inFlight.then(round);
    inFlight = next.catch(() => {});
    return next;
  };

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      timer = undefined;
      void runOnce()
        .catch((caught: unknown) => logError('webhook worker: round failed', caught))
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
