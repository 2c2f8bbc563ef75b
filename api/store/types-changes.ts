// A store that can tell its users when another process committed a change to a site (PostgreSQL's
// LISTEN/NOTIFY). Without one, the live side finds other processes' commits by polling dataVersion().

/** `siteId` changed (a reaction, an import, an erasure); null: changes may have been missed (the feed
 * connected again after a break), so treat every site as changed. */
export type ChangeListener = (siteId: number | null) => void;

export interface ChangeFeed {
  /** Calls `listener` for every committed change, this process's own included. @returns unsubscribe. */
  onChange(listener: ChangeListener): () => void;
}

export interface ChangeFeedStore {
  /** Present on stores shared by several instances. */
  readonly changes?: ChangeFeed;
}

/** The store's change feed, when it has one. */
export function changeFeedOf(store: object): ChangeFeed | undefined {
  const changes = (store as ChangeFeedStore).changes;
  return changes && typeof changes.onChange === 'function' ? changes : undefined;
}
