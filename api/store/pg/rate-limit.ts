// The reaction rate limit's hit counter in PostgreSQL, so every instance over one database counts one
// budget per client address (a client spreading reactions over instances gets no more). It implements
// hono-rate-limiter's Store: one upsert per hit, a fixed window per key started by its first hit.
// Times are the database's clock, so instances whose clocks drift still agree on every window.
import type { ClientRateLimitInfo, HonoConfigType, Store } from 'hono-rate-limiter';
import { connect, type Sql } from './connection.js';

/** The database's clock in epoch milliseconds (clock_timestamp: the statement's time, not the transaction's). */
const NOW_MS = 'floor(extract(epoch from clock_timestamp()) * 1000)::bigint';

export class PgRateLimitStore implements Store {
  readonly localKeys = false;
  private windowMs = 60_000;
  /** When this process last deleted ended windows (epoch ms); at most one sweep per window. */
  private sweptAt = 0;
  private sweeping = false;

  /**
   * @param sql a pool of the shared database (its `rate_limit_hits` table comes with migration 1)
   * @param prefix keeps the keys of limiters with other windows apart in the one table
   */
  constructor(
    private readonly sql: Sql,
    readonly prefix = 'reactions:',
    private readonly ownsPool = false,
  ) {}

  init(options: HonoConfigType): void {
    this.windowMs = options.windowMs;
  }

  async increment(key: string): Promise<ClientRateLimitInfo> {
    const [row] = await this.sql<{ hits: number; window_start: number }[]>`
      INSERT INTO rate_limit_hits AS r (key, window_start, hits)
      VALUES (${this.prefix + key}, ${this.sql.unsafe(NOW_MS)}, 1)
      ON CONFLICT (key) DO UPDATE SET
        window_start = CASE WHEN r.window_start <= excluded.window_start - ${this.windowMs} THEN excluded.window_start ELSE r.window_start END,
        hits = CASE WHEN r.window_start <= excluded.window_start - ${this.windowMs} THEN 1 ELSE r.hits + 1 END
      RETURNING hits, window_start`;
    this.sweepNowAndThen();
    return { totalHits: row!.hits, resetTime: new Date(row!.window_start + this.windowMs) };
  }

  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    const [row] = await this.sql<{ hits: number; window_start: number }[]>`
      SELECT hits, window_start FROM rate_limit_hits
      WHERE key = ${this.prefix + key} AND window_start > ${this.sql.unsafe(NOW_MS)} - ${this.windowMs}`;
    return row ? { totalHits: row.hits, resetTime: new Date(row.window_start + this.windowMs) } : undefined;
  }

  /** Gives back a hit (the limiter's skipFailedRequests and the like), within the same window only. */
  async decrement(key: string): Promise<void> {
    await this.sql`
      UPDATE rate_limit_hits SET hits = hits - 1
      WHERE key = ${this.prefix + key} AND hits > 0 AND window_start > ${this.sql.unsafe(NOW_MS)} - ${this.windowMs}`;
  }

  async resetKey(key: string): Promise<void> {
    await this.sql`DELETE FROM rate_limit_hits WHERE key = ${this.prefix + key}`;
  }

  async resetAll(): Promise<void> {
    await this.sql`DELETE FROM rate_limit_hits WHERE starts_with(key, ${this.prefix})`;
  }

  async shutdown(): Promise<void> {
    if (this.ownsPool) await this.sql.end({ timeout: 5 });
  }

  /**
   * Deletes the rows of windows that ended, at most once per window per process and off the request's
   * path: the table holds about one row per client active in the last window, whatever the traffic. A
   * row hit meanwhile is not lost: the DELETE's condition is checked again on the row it would delete.
   */
  private sweepNowAndThen(): void {
    const now = Date.now();
    if (this.sweeping || now - this.sweptAt < this.windowMs) return;
    this.sweeping = true;
    this.sweptAt = now;
    this.sql`DELETE FROM rate_limit_hits WHERE window_start <= ${this.sql.unsafe(NOW_MS)} - ${this.windowMs}`
      .then(
        () => {},
        () => {}, // a busy or closed database: the next window's sweep takes these rows too
      )
      .finally(() => {
        this.sweeping = false;
      });
  }
}

/** A rate-limit store over a small pool of its own on `url`, closed by the store's shutdown(). */
export function openPgRateLimitStore(url: string, prefix?: string): PgRateLimitStore {
  return new PgRateLimitStore(connect(url, { max: 4 }), prefix, true);
}
