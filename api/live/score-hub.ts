// Fan-out of score changes to live (SSE) listeners in this process. A change computes the score and
// serialises its SSE frame once per site and window, however many listeners there are; every listener
// gets the same bytes. Publishes that arrive while one for the same site is running are merged into a
// single follow-up run: a burst of reactions computes the score a few times, not once per reaction.
//
// Some changes are not made through this process: another process writing the same database (`csat
// import`, another instance of the server) and the clock crossing UTC midnight (the window moves). A store
// with a change feed (PostgreSQL: LISTEN/NOTIFY) names the site another process changed: the hub bumps its
// version at once (so every cached score of it is stale) and republishes just that site. Without a feed
// (SQLite), while anyone listens, the hub looks for a new database version every WATCH_MS and republishes
// every site with listeners. The day is watched the same way in both cases.
import type { Clock } from '../clock.js';
import { dayOf } from '../domain/window.js';
import { sseFrame, type Frame } from './sse-frame.js';
import { publicScore } from '../services/public-score.js';
import type { Site, Store } from '../store/types.js';
import { changeFeedOf, type ChangeFeed } from '../store/types-changes.js';

/** A function, or an object whose `send` takes the frame (a stream: no closure per listener). */
type Listener = ((frame: Frame) => void) | { send(frame: Frame): void };
type Watcher = (site: Site) => void;

/** How often the hub looks for a new day or another process's commit. */
export const WATCH_MS = 1_000;

/** The reconnect delay the score stream's events ask of an EventSource. */
export const SCORE_RETRY_MS = 3_000;

/** Listeners of one site, grouped by the window they asked for. */
type SiteListeners = Map<number, Set<Listener>>;

/** The score frame of one site and window, for the change (version) and day it was built for. */
interface CachedFrame {
  key: string;
  frame: Promise<Frame>;
}

export class ScoreHub {
  private readonly listeners = new Map<string, SiteListeners>();
  /** Listeners that only need to know "this site changed" (the wall feed builds its own view). */
  private readonly watchers = new Map<string, Set<Watcher>>();
  /** Bumped on every change of a site in this process: cached scores of older versions are stale. */
  private readonly versions = new Map<string, number>();
  /** The latest score frame per site, per window. */
  private readonly frames = new Map<string, Map<number, CachedFrame>>();
  /** The publish running per site, and whether another change came in meanwhile. */
  private readonly pushing = new Map<string, { latest: Site; again: boolean; done: Promise<void> }>();
  private watching?: ReturnType<typeof setInterval>;
  /** The day and database version last published for; undefined until read. */
  private seen?: { day: number; data: number };
  /** Score frames serialised since start: one per site, window and change (tests and the bench). */
  framesBuilt = 0;
  /** The store's feed of other processes' changes, when it has one. */
  private readonly feed?: ChangeFeed;
  private readonly unfeed?: () => void;
  /** Bumped when the feed may have missed changes: every site's version moves with it. */
  private epoch = 0;
  /** Slugs of the site ids the feed named or publish saw, so a known site's version moves without a query. */
  private readonly slugs = new Map<number, string>();
  /** The site re-read and republished per site id after a feed note, and whether another note came meanwhile. */
  private readonly refreshing = new Map<number, { again: boolean }>();
  /** Sites republished after a note from the change feed (tests). */
  changesHeard = 0;

  /** Moves on every change of the site, whichever instance made it (where the store has a feed). */
  version(site: string): number {
    return (this.versions.get(site) ?? 0) + this.epoch;
  }

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {
    // Registering is no I/O: the store opened its LISTEN connection when it was opened.
    this.feed = changeFeedOf(store);
    this.unfeed = this.feed?.onChange((siteId) => this.changed(siteId));
  }

  /** Stops following the store's change feed (an app that is thrown away while its store lives on). */
  close(): void {
    this.unfeed?.();
  }

  subscribe(site: string, windowDays: number, listener: Listener): () => void {
    let windows = this.listeners.get(site);
    if (!windows) this.listeners.set(site, (windows = new Map()));
    let set = windows.get(windowDays);
    if (!set) windows.set(windowDays, (set = new Set()));
    set.add(listener);
    this.startWatching();
    return () => {
      set.delete(listener);
      if (set.size === 0 && windows.get(windowDays) === set) {
        windows.delete(windowDays);
        this.frames.get(site)?.delete(windowDays);
      }
      if (windows.size === 0 && this.listeners.get(site) === windows) {
        this.listeners.delete(site);
        this.frames.delete(site);
      }
      this.stopWatching();
    };
  }

  watch(site: string, watcher: Watcher): () => void {
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

  /** The score frame of the site's current version and day: built once and shared by every stream that
   * opens meanwhile (10,000 badges connecting compute one score, not 10,000). */
  currentFrame(site: Site, windowDays: number): Promise<Frame> {
    const seq = this.version(site.slug);
    const key = `${seq}:${dayOf(this.clock.now())}`;
    let windows = this.frames.get(site.slug);
    const cached = windows?.get(windowDays);
    if (cached?.key === key) return cached.frame;
    const frame = this.buildFrame(site, windowDays, seq);
    // Only streams that listen keep a frame cached (their unsubscribe drops it).
    if (this.listeners.get(site.slug)?.get(windowDays)?.size) {
      if (!windows) this.frames.set(site.slug, (windows = new Map()));
      const entry = { key, frame };
      const cache = windows;
      cache.set(windowDays, entry);
      // A failed build must not stay cached: the next stream or change tries again.
      frame.catch(() => {
        if (cache.get(windowDays) === entry) cache.delete(windowDays);
      });
    }
    return frame;
  }

  private async buildFrame(site: Site, windowDays: number, seq: number): Promise<Frame> {
    const score = await publicScore(this.store, site, this.clock.now(), windowDays);
    this.framesBuilt++;
    return { seq, bytes: sseFrame('score', JSON.stringify(score), SCORE_RETRY_MS) };
  }

  /** Tells every listener of the site its new score. Never throws: a failed push must not fail the
   * reaction that caused it. Resolves once listeners have figures at least as new as this call's. */
  publish(site: Site): Promise<void> {
    this.slugs.set(site.id, site.slug);
    this.bump(site.slug);
    for (const watcher of [...(this.watchers.get(site.slug) ?? [])]) {
      try {
        watcher(site);
      } catch {
        // a watcher's failure is its own
      }
    }
    const running = this.pushing.get(site.slug);
    if (running) {
      running.latest = site;
      running.again = true;
      return running.done;
    }
    if (!this.listeners.has(site.slug)) return Promise.resolve();
    const state = { latest: site, again: true, done: Promise.resolve() };
    this.pushing.set(site.slug, state);
    state.done = (async () => {
      try {
        while (state.again) {
          state.again = false;
          await this.push(state.latest);
        }
      } finally {
        this.pushing.delete(site.slug);
      }
    })();
    return state.done;
  }

  private async push(site: Site): Promise<void> {
    const windows = this.listeners.get(site.slug);
    if (!windows) return;
    for (const [windowDays, set] of [...windows]) {
      let frame: Frame;
      try {
        frame = await this.currentFrame(site, windowDays);
      } catch {
        continue; // a closed or busy database: the next change or look sends fresh figures
      }
      for (const listener of [...set]) {
        try {
          if (typeof listener === 'function') listener(frame);
          else listener.send(frame);
        } catch {
          set.delete(listener);
        }
      }
    }
  }

  private bump(slug: string): void {
    this.versions.set(slug, (this.versions.get(slug) ?? 0) + 1);
  }

  /** A note from the change feed: the site (or, on null, any site) changed in some instance. */
  private changed(siteId: number | null): void {
    if (siteId === null) {
      this.epoch++;
      void this.republishWatched();
      return;
    }
    const slug = this.slugs.get(siteId);
    // Cached scores of the site are stale from now on, before any query.
    if (slug !== undefined) this.bump(slug);
    if (slug === undefined || this.listeners.has(slug) || this.watchers.has(slug)) void this.refresh(siteId);
  }

  /** Re-reads the site and republishes it; notes arriving meanwhile make one more run, not one each. */
  private async refresh(siteId: number): Promise<void> {
    const running = this.refreshing.get(siteId);
    if (running) {
      running.again = true;
      return;
    }
    const state = { again: true };
    this.refreshing.set(siteId, state);
    try {
      while (state.again) {
        state.again = false;
        const site = await this.store.getSiteById(siteId);
        if (!site) return;
        this.changesHeard++;
        await this.publish(site);
      }
    } catch {
      // A closed or busy database: the next note, or the cache's age limit, brings fresh figures.
    } finally {
      this.refreshing.delete(siteId);
    }
  }

  private async republishWatched(): Promise<void> {
    try {
      for (const slug of new Set([...this.listeners.keys(), ...this.watchers.keys()])) {
        const site = await this.store.getSite(slug);
        if (site) await this.publish(site);
      }
    } catch {
      // as in refresh
    }
  }

  // Watching costs one pragma read per WATCH_MS (with a change feed, not even that: only the day is
  // compared), and only while a stream is open: an idle server (and every test app nobody streams from)
  // keeps no timer.
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
  /** Republishes every site someone listens to when the day or the database changed since last look
   * (the database only for stores without a change feed: the feed already named each changed site). */
  private async look(): Promise<void> {
    if (this.looking) return;
    this.looking = true;
    try {
      const now = { day: dayOf(this.clock.now()), data: this.feed ? 0 : await this.store.dataVersion() };
      const before = this.seen;
      this.seen = now;
      if (!before || (before.day === now.day && before.data === now.data)) return;
      await this.republishWatched();
    } catch {
      // A closed or busy database: the next look tries again.
    } finally {
      this.looking = false;
    }
  }
}
