// Fan-out of score changes to live (SSE) listeners in this process. A change computes the score once
// per site and window, however many listeners there are.
//
// Some changes are not made through this process: another process writing the same database (`csat
// import`) and the clock crossing UTC midnight (the window moves). While anyone listens, the hub looks
// for both every WATCH_MS and republishes every site with listeners.
import type { Clock } from './clock.js';
import { dayOf } from './domain/window.js';
import { publicScore, type PublicScore } from './public-score.js';
import type { Site, Store } from './store/types.js';

type Listener = (score: PublicScore) => void;

/** How often the hub looks for a new day or another process's commit. */
export const WATCH_MS = 1_000;

/** Listeners of one site, grouped by the window they asked for. */
type SiteListeners = Map<number, Set<Listener>>;

export class ScoreHub {
  private readonly listeners = new Map<string, SiteListeners>();
  /** Listeners that only need to know "this site changed" (the wall feed builds its own view). */
  private readonly watchers = new Map<string, Set<() => void>>();
  /** Bumped on every change of a site in this process: cached scores of older versions are stale. */
  private readonly versions = new Map<string, number>();
  private watching?: ReturnType<typeof setInterval>;
  /** The day and database version last published for; undefined until read. */
  private seen?: { day: number; data: number };

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
    this.startWatching();
    return () => {
      set.delete(listener);
      if (set.size === 0) windows.delete(windowDays);
      if (windows.size === 0 && this.listeners.get(site) === windows) this.listeners.delete(site);
      this.stopWatching();
    };
  }

  watch(site: string, watcher: () => void): () => void {
    let set = this.watchers.get(site);
    if (!set) this.watchers.set(site, (set = new Set()));
    set.add(watcher);
    this.startWatching();
    return () => {
      set.delete(watcher);
      if (set.size === 0 && this.watchers.get(site) === set) this.watchers.delete(site);
      this.stopWatching();
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

  // Watching costs one pragma read per WATCH_MS, and only while a stream is open: an idle server (and
  // every test app nobody streams from) keeps no timer.
  private startWatching() {
    if (this.watching) return;
    this.seen = undefined;
    void this.look();
    this.watching = setInterval(() => void this.look(), WATCH_MS);
    this.watching.unref?.();
  }

  /** True while the hub looks for a new day and other processes' commits. */
  watchingElsewhere(): boolean {
    return this.watching !== undefined;
  }

  private stopWatching() {
    if (this.listeners.size > 0 || this.watchers.size > 0) return;
    clearInterval(this.watching);
    this.watching = undefined;
  }

  private looking = false;
  /** Republishes every site someone listens to when the day or the database changed since last look. */
  private async look(): Promise<void> {
    if (this.looking) return;
    this.looking = true;
    try {
      const now = { day: dayOf(this.clock.now()), data: await this.store.dataVersion() };
      const before = this.seen;
      this.seen = now;
      if (!before || (before.day === now.day && before.data === now.data)) return;
      for (const slug of new Set([...this.listeners.keys(), ...this.watchers.keys()])) {
        const site = await this.store.getSite(slug);
        if (site) await this.publish(site);
      }
    } catch {
      // A closed or busy database: the next look tries again.
    } finally {
      this.looking = false;
    }
  }
}
