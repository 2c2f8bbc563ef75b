// Starts due campaign runs on a timer (and resumes runs a stopped process left unfinished), in the
// polling loop the queue workers share.
import type { Clock } from '../clock.js';
import type { AppConfig } from '../config.js';
import type { Store } from '../store/types.js';
import { workerLoop, type WorkerLoop } from '../services/worker-loop.js';
import { campaignRunner } from './runs.js';

export function startCampaignWorker(options: { store: Store; clock: Clock; config: AppConfig; intervalMs?: number; logError?: (message: string, error: unknown) => void }): WorkerLoop {
  const logError = options.logError ?? ((message, error) => console.error(message, error));
  const runner = campaignRunner({ ...options, logError });
  return workerLoop({ name: 'campaigns', intervalMs: options.intervalMs ?? 60_000, round: (state) => runner.runDue({ stopping: () => state.stopped }), logError });
}
