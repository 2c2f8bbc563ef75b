// Delivers queued webhooks. The rows are written in the response's own transaction (store/sqlite.ts), so
// a request never waits for a receiver. Each webhook is a lane of its own: its deliveries go out one at a
// time, oldest first, and a failure stops the lane until that delivery's retry is due, so a later event
// never overtakes an earlier one. Lanes run side by side and the timer starts new ones without waiting for
// those in flight, so a receiver that hangs or fails holds up only its own lane, never another site's.
// A lane never throws: every failure is recorded or logged.
import type { Clock } from '../clock.js';
import { deliveryHeaders, nextAttemptAfter, signingSecrets } from '../domain/webhook.js';
import { describeOutboundError } from '../services/outbound-error.js';
import type { Delivery, Store } from '../store/types.js';
import { postWebhook, type PostOptions } from './send.js';

export interface WebhookWorkerOptions {
  store: Store;
  clock: Clock;
  /** Pause between looks at the queue. */
  intervalMs?: number;
  /** Per request, headers and body included. */
  timeoutMs?: number;
  /** Most lanes (receivers) in flight at once. */
  maxLanes?: number;
  /** Let deliveries reach loopback, private, link-local and other internal addresses. */
  allowPrivate?: boolean;
  /** The HTTP POST (tests may replace it); resolves with the status code. */
  post?: (url: string, options: PostOptions) => Promise<number>;
  logError?: (message: string, error: unknown) => void;
}

export interface WebhookWorker {
  /** Starts a lane for every webhook with a due delivery (none in flight already) and waits for those
   * lanes; resolves with how many deliveries they attempted. */
  runOnce(): Promise<number>;
  /** Stops the timer and waits for the lanes in flight (each stops after its current attempt). */
  stop(): Promise<void>;
}

export function startWebhookWorker(options: WebhookWorkerOptions): WebhookWorker {
  const { store, clock, intervalMs = 1000, timeoutMs = 5000, maxLanes = 32, allowPrivate = false } = options;
  const post = options.post ?? postWebhook;
  const logError = options.logError ?? ((message, error) => console.error(message, error));

  /** Attempts one delivery and records it; true when the receiver took it. Never throws. */
  async function attempt(delivery: Delivery): Promise<boolean> {
    const now = clock.now();
    let httpStatus: number | null = null;
    let error: string | null = null;
    try {
      httpStatus = await post(delivery.url, {
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'csat-badge-webhooks',
          'CSAT-Event': delivery.event,
          ...deliveryHeaders(signingSecrets(delivery, now), delivery.messageId, delivery.body, now),
        },
        body: delivery.body,
        timeoutMs,
        allowPrivate,
      });
      if (httpStatus < 200 || httpStatus > 299) error = httpStatus >= 300 && httpStatus < 400 ? `redirect (HTTP ${httpStatus}) not followed` : `HTTP ${httpStatus}`;
    } catch (caught) {
      error = describeOutboundError(caught, timeoutMs);
    }
    const ok = error === null;
    try {
      const at = clock.now();
      await store.recordAttempt(delivery.id, { ok, httpStatus, error, nextAttemptAt: ok ? null : nextAttemptAfter(delivery.attempts + 1, at) }, at);
    } catch (caught) {
      logError(`webhook delivery ${delivery.id}: could not record the attempt`, caught);
      return false;
    }
    return ok;
  }

  /** One webhook's queue, in order, until it is empty, a delivery fails, or the worker stops. */
  async function lane(first: Delivery): Promise<number> {
    let attempted = 0;
    let next: Delivery | undefined = first;
    while (next && !stopped) {
      attempted += 1;
      if (!(await attempt(next))) break;
      try {
        next = (await store.dueDeliveries(clock.now(), 1, first.webhookId))[0];
      } catch (caught) {
        logError('webhook worker: could not read the delivery queue', caught);
        break;
      }
    }
    return attempted;
  }

  const lanes = new Map<string, Promise<number>>();

  /** Starts lanes for due webhooks without one; returns the lanes it started. */
  async function startLanes(): Promise<Array<Promise<number>>> {
    if (stopped || lanes.size >= maxLanes) return [];
    let due: Delivery[];
    try {
      due = await store.dueDeliveries(clock.now(), maxLanes + lanes.size);
    } catch (caught) {
      logError('webhook worker: could not read the delivery queue', caught);
      return [];
    }
    const started: Array<Promise<number>> = [];
    for (const head of due) {
      if (lanes.has(head.webhookId) || lanes.size >= maxLanes) continue;
      const running = lane(head).finally(() => lanes.delete(head.webhookId));
      lanes.set(head.webhookId, running);
      started.push(running);
    }
    return started;
  }

  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      timer = undefined;
      void startLanes()
        .catch((caught: unknown) => logError('webhook worker: could not start deliveries', caught))
        .finally(schedule);
    }, intervalMs);
    timer.unref();
  };
  schedule();

  return {
    async runOnce() {
      const counts = await Promise.all(await startLanes());
      return counts.reduce((a, b) => a + b, 0);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await Promise.allSettled([...lanes.values()]);
    },
  };
}
