// The store a command works on, opened on its first use and once: a command that fails on its arguments
// never creates a database. A SQLite file or a postgres:// database, as CSAT_DB or --db names it.
import { openStore } from '../store/open.js';
import type { Store } from '../store/types.js';

export function lazyStore(target: string): { open(): Promise<Store>; close(): Promise<void> } {
  let opening: Promise<Store> | undefined;
  return {
    open: () => (opening ??= openStore(target)),
    async close() {
      // A store that failed to open has nothing to close; its error was already reported.
      if (opening) await (await opening.catch(() => null))?.close();
    },
  };
}
