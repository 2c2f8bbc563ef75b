// The PostgreSQL connection pool (postgres.js) and the one way this store runs a transaction. Every
// part of the PostgreSQL store (core, webhooks, email, log, ...) takes a `Sql` for reads and receives a
// `Tx` from `transaction()` for writes, so a change and the queue rows it causes commit together.
import postgres from 'postgres';

export type Sql = postgres.Sql;
export type Tx = postgres.TransactionSql;

/** Opens a pool on `url` (postgres://user:pass@host:port/db). Millisecond times are BIGINT columns;
 * they are read back as JavaScript numbers (exact below 2^53), not as strings. */
export function connect(url: string, options: { max?: number } = {}): Sql {
  return postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    types: {
      bigint: { to: 20, from: [20], serialize: (n: number | bigint) => String(n), parse: (s: string) => Number(s) },
    },
  });
}

const RETRYABLE = new Set([
  '40001', // serialization_failure
  '40P01', // deadlock_detected
]);

const isRetryable = (error: unknown): boolean => RETRYABLE.has((error as { code?: string } | null)?.code ?? '');

/** Runs `work` in one transaction. A transaction that lost a race with another instance (serialization
 * failure, deadlock) is rolled back by PostgreSQL and run again from the start, a few times. */
export async function transaction<T>(sql: Sql, work: (tx: Tx) => Promise<T>, options: { serializable?: boolean } = {}): Promise<T> {
  const mode = options.serializable ? 'isolation level serializable' : 'isolation level read committed';
  for (let attempt = 1; ; attempt++) {
    try {
      return (await sql.begin(mode, work)) as T;
    } catch (error) {
      if (!isRetryable(error) || attempt >= 8) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
    }
  }
}
