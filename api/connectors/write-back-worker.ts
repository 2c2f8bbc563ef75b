// Sends queued write-backs (an internal note, optionally a reopen) to the help-desk tools. The rows are
// written in the reaction's own transaction (store/sqlite-connectors.ts); this worker polls the queue,
// builds each request with the provider module, sends it, and records the outcome with the next retry
// (the webhook schedule: 10 s, 1 min, 5 min, 30 min, 2 h, 6 h, then failed). A 4xx other than
// 408/425/429 fails at once: the tool refused the request itself, and repeating it changes nothing.
// A round never throws: every failure is recorded or logged.
import type { Clock } from '../clock.js';
import { nextAttemptAfter } from '../domain/webhook.js';
import type { Store, WriteBackJob } from '../store/types.js';
import { adminUrl, noteText } from './note.js';
import { provider } from './providers/index.js';
import { connectorBox, openSettings } from './sealed-settings.js';
import { sendRequest } from './send.js';
import { workerLoop } from '../services/worker-loop.js';
import type { OutboundRequest } from './types.js';

export interface WriteBackWorkerOptions {
  store: Store;
  clock: Clock;
  /** The server secret (the settings are sealed under a key derived from it). */
  serverSecret: Buffer;
  /** Base of the links to /admin in the notes. */
  publicUrl: string;
  fetch?: typeof fetch;
  intervalMs?: number;
  timeoutMs?: number;
  batch?: number;
  logError?: (message: string, error: unknown) => void;
}

export interface WriteBackWorker {
  /** One round: attempts every due write-back (up to `batch`); resolves with how many were attempted. */
  runOnce(): Promise<number>;
  stop(): Promise<void>;
}

export function startWriteBackWorker(options: WriteBackWorkerOptions): WriteBackWorker {
  const { store, clock, intervalMs = 2000, timeoutMs = 10_000, batch = 20 } = options;
  const box = connectorBox(options.serverSecret);
  const logError = options.logError ?? ((message, error) => console.error(message, error));

  /** The request for a job, or a reason it cannot be built (which no retry will change). */
  function requestFor(job: WriteBackJob): OutboundRequest | string {
    let settings;
    try {
      settings = openSettings(box, job.connectorId, job.sealedSettings);
    } catch {
      return 'the connector settings do not open with this server secret';
    }
    const impl = provider(job.provider);
    if (!impl.canWriteBack(settings)) return 'the connector has no write-back credentials';
    if (job.action === 'reopen') return impl.reopen(settings, job.ticketId) ?? 'reopening needs a reopen status in the connector settings';
    const text = noteText({ reaction: job.reaction, comment: job.comment, adminUrl: adminUrl(options.publicUrl, job.siteSlug, job.responseId) });
    return impl.writeBack(settings, job.ticketId, { text });
  }

  async function attempt(job: WriteBackJob): Promise<boolean> {
    const request = requestFor(job);
    const result =
      typeof request === 'string'
        ? { ok: false, httpStatus: null, error: request, retryable: false }
        : await sendRequest(request, { fetch: options.fetch, timeoutMs });
    try {
      const at = clock.now();
      const nextAttemptAt = result.ok || !result.retryable ? null : nextAttemptAfter(job.attempts + 1, at);
      await store.recordWriteBackAttempt(job.id, { ok: result.ok, httpStatus: result.httpStatus, error: result.error, nextAttemptAt }, at);
      if (!result.ok) await store.noteConnectorActivity(job.connectorId, { error: `write-back to ticket ${job.ticketId}: ${result.error}` }, at);
    } catch (caught) {
      logError(`write-back ${job.id}: could not record the attempt`, caught);
    }
    return result.ok;
  }

  async function round(state: { readonly stopped: boolean }): Promise<number> {
    if (state.stopped) return 0;
    let due: WriteBackJob[];
    try {
      due = await store.dueWriteBacks(clock.now(), batch);
    } catch (caught) {
      logError('write-back worker: could not read the queue', caught);
      return 0;
    }
    // One queue per connector, in order (a note before its reopen); connectors run side by side.
    const byConnector = new Map<string, WriteBackJob[]>();
    for (const job of due) byConnector.set(job.connectorId, [...(byConnector.get(job.connectorId) ?? []), job]);
    let attempted = 0;
    await Promise.all(
      [...byConnector.values()].map(async (queue) => {
        for (const job of queue) {
          attempted += 1;
          if (!(await attempt(job))) break;
        }
      }),
    );
    return attempted;
  }

  return workerLoop({ name: 'write-back worker', intervalMs, round, logError });
}
