// Fan-out of score changes to live (SSE) listeners in this process. A change computes the score once
// per site, however many listeners there are.
import type { Clock } from './clock.js';
import { publicScore, type PublicScore } from './public-score.js';
import type { Site, Store } from './store/types.js';

type Listener = (score: PublicScore) => void;

export class ScoreHub {
  private readonly listeners = new Map<string, Set<Listener>>();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  subscribe(site: string, listener: Listener): () => void {
    let set = this.listeners.get(site);
    if (!set) this.listeners.set(site, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(site) === set) this.listeners.delete(site);
    };
  }

  listenerCount(site: string): number {
    return this.listeners.get(site)?.size ?? 0;
  }

  /** Tells every listener of the site its new score. Never throws: a failed push must not fail the
   * reaction that caused it. */
  async publish(site: Site): Promise<void> {
    const set = this.listeners.get(site.slug);
    if (!set || set.size === 0) return;
    const score = await publicScore(this.store, site, this.clock.now());
    for (const listener of [...set]) {
      try {
        listener(score);
      } catch {
        set.delete(listener);
      }
    }
  }
}
