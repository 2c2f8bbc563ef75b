// The wall feed's snapshot frames, one per site: built once per change, in the background, and
// written to every wall open on that site. Before, each open wall built its own snapshot on every
// change, so 1,000 walls made one reaction cost 1,000 snapshots and stalled every other request.
import type { Clock } from '../clock.js';
import { dayOf } from '../domain/window.js';
import type { ScoreHub } from './score-hub.js';
import type { LiveClient } from './sse.js';
import type { Site, Store } from '../store/types.js';
import { wallSnapshot } from '../services/wall-snapshot.js';
import { sseFrame, type Frame } from './sse-frame.js';

/** The reconnect delay the wall's events ask of an EventSource-like reader. */
export const WALL_RETRY_MS = 2_000;

interface SiteWalls {
  walls: Set<LiveClient>;
  /** The newest site record seen (a change of kind or moments shows on the next snapshot). */
  site: Site;
  unwatch: () => void;
  /** The last snapshot built, with the version and day it was built for. */
  frame?: Frame;
  frameDay?: number;
  building: boolean;
  again: boolean;
}

export class WallFeeds {
  private readonly sites = new Map<string, SiteWalls>();
  /** Snapshots built since start (tests and the bench: one per change, not per wall). */
  snapshotsBuilt = 0;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly hub: ScoreHub,
  ) {}

  /** Adds a wall: it gets the current snapshot (the shared one when it is current), then one per
   * change. Returns its removal. */
  join(site: Site, wall: LiveClient): () => void {
    let entry = this.sites.get(site.slug);
    if (!entry) {
      const created: SiteWalls = { walls: new Set(), site, unwatch: () => {}, building: false, again: false };
      created.unwatch = this.hub.watch(site.slug, (changed) => {
        created.site = changed;
        this.rebuild(created);
      });
      this.sites.set(site.slug, (entry = created));
    } else {
      entry.site = site;
    }
    entry.walls.add(wall);
    const current = entry.frame && entry.frame.seq === this.hub.version(site.slug) && entry.frameDay === dayOf(this.clock.now());
    if (current) wall.send(entry.frame!);
    // A build under way sends its snapshot to this wall too: it read the data after the last change it
    // knows of, and a change during the build makes another one.
    else if (!entry.building) this.rebuild(entry);
    const joined = entry;
    return () => {
      joined.walls.delete(wall);
      if (joined.walls.size === 0 && this.sites.get(site.slug) === joined) {
        joined.unwatch();
        this.sites.delete(site.slug);
      }
    };
  }

  wallCount(slug: string): number {
    return this.sites.get(slug)?.walls.size ?? 0;
  }

  /** Builds the site's snapshot unless a build is running; a change during a build makes exactly one
   * more build after it, so a burst of reactions costs two snapshots, not one per reaction. */
  private rebuild(entry: SiteWalls): void {
    if (entry.building) {
      entry.again = true;
      return;
    }
    entry.building = true;
    entry.again = true;
    void (async () => {
      try {
        while (entry.again && entry.walls.size > 0) {
          entry.again = false;
          const seq = this.hub.version(entry.site.slug);
          const now = this.clock.now();
          try {
            const snapshot = await wallSnapshot(this.store, entry.site, now);
            this.snapshotsBuilt++;
            entry.frame = { seq, bytes: sseFrame('snapshot', JSON.stringify(snapshot), WALL_RETRY_MS) };
            entry.frameDay = dayOf(now);
          } catch {
            continue; // a closed or busy database: the next change or look tries again
          }
          for (const wall of [...entry.walls]) wall.send(entry.frame);
        }
      } finally {
        entry.building = false;
      }
    })();
  }
}
