// Fan-out of score changes to live (SSE) listeners in this process. A change computes the score once
// per site and window, however many listeners there are.
import type { Clock } from './clock.js';
import { publicScore, type PublicScore } from './public-score.js';
import type { Site, Store } from './store/types.js';

type Listener = (score: PublicScore) => void;

/** Listeners of one site, grouped by the window they asked for. */
type SiteListeners = Map<number, Set<Listener>>;

export class ScoreHub {
  private readonly listeners = new Map<string, SiteListeners>();
  /** Listeners that only need to know "this site changed" (the wall feed builds its own view). */
  private readonly watchers = new Map<string, Set<() => void>>();
  /** Bumped on every change of a site in this process: cached scores of older versions are stale. */
  private readonly versions = new Map<string, number>();

  version(site: string): number {
    return this.versions.get(site) ?? 0;
  }

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  subscribe(site: string, windowDays: number, listener: Listener): () => void {
    let windows = this.listeners.get(site);
    if (!windows) this.listeners.set(site, (windows = new Map()));
    let set = windows.get(windowDays);
    if (!set) windows.set(windowDays, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) windows.delete(windowDays);
      if (windows.size === 0 && this.listeners.get(site) === windows) this.listeners.delete(site);
    };
  }

  watch(site: string, watcher: () => void): () => void {
    let set = this.watchers.get(site);
    if (!set) this.watchers.set(site, (set = new Set()));
    set.add(watcher);
    return () => {
      set.delete(watcher);
      if (set.size === 0 && this.watchers.get(site) === set) this.watchers.delete(site);
    };
  }

  listenerCount(site: string): number {
    let count = 0;
    for (const set of this.listeners.get(site)?.values() ?? []) count += set.size;
    return count;
  }

  /** Tells every listener of the site its new score. Never throws: a failed push must not fail the
   * reaction that caused it. */
  async publish(site: Site): Promise<void> {
    this.versions.set(site.slug, this.version(site.slug) + 1);
    for (const watcher of [...(this.watchers.get(site.slug) ?? [])]) watcher();
    const windows = this.listeners.get(site.slug);
    if (!windows) return;
    const now = this.clock.now();
    for (const [windowDays, set] of windows) {
      const score = await publicScore(this.store, site, now, windowDays);
      for (const listener of [...set]) {
        try {
          listener(score);
        } catch {
          set.delete(listener);
        }
      }
    }
  }
}
