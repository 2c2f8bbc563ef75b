// Copies a whole deployment between stores, table by table and row by row: SQLite to PostgreSQL or back.
// Both schemas use the same table and column names (api/store/pg/ mirrors SQLite's), so a row moves as it
// is: ids, hashes of the event chain, the public log and its keys, sealed secrets. Nothing is recomputed,
// which is what lets `verify` on the copy prove it. The target must be empty; the copy is one transaction
// on the target, so a failed copy leaves it empty.
import type Database from 'better-sqlite3';
import type { Sql } from './pg/connection.js';

type Row = Record<string, unknown>;

/** Rows per INSERT on PostgreSQL: its bind parameters are limited to 65,535 per statement. */
const PG_PARAMETERS = 30_000;
const SQLITE_BATCH = 500;

/** Tables that belong to the store's machinery, not to the deployment. */
const SKIPPED = new Set(['schema_version']);

export class CopyError extends Error {
  override name = 'CopyError';
}

/** One side of a copy: its tables with their columns, rows read in batches, rows written. */
export interface TableSide {
  readonly kind: 'sqlite' | 'postgres';
  tables(): Promise<Map<string, string[]>>;
  count(table: string): Promise<number>;
  read(table: string, columns: readonly string[]): AsyncIterable<Row[]>;
  /** Runs `fill` in one transaction in which `write` inserts rows, in an order that respects foreign keys. */
  fill(order: readonly string[], fill: (write: (table: string, columns: readonly string[], rows: Row[]) => Promise<void>) => Promise<void>): Promise<void>;
  /** Tables in an order where each comes after the tables its foreign keys point at. */
  order(tables: readonly string[]): Promise<string[]>;
}

/** Orders tables so that each follows the tables it references (self-references are left as they are). */
export function dependencyOrder(tables: readonly string[], references: ReadonlyMap<string, readonly string[]>): string[] {
  const ordered: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (table: string) => {
    if (state.get(table) === 'done') return;
    if (state.get(table) === 'visiting') throw new CopyError(`foreign keys form a cycle through ${table}`);
    state.set(table, 'visiting');
    for (const parent of references.get(table) ?? []) if (parent !== table && tables.includes(parent)) visit(parent);
    state.set(table, 'done');
    ordered.push(table);
  };
  for (const table of [...tables].sort()) visit(table);
  return ordered;
}

export function sqliteSide(db: Database.Database): TableSide {
  const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;
  return {
    kind: 'sqlite',
    async tables() {
      const names = db.prepare<[], { name: string }>("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all();
      const columns = db.prepare<[string], { name: string }>('SELECT name FROM pragma_table_info(?)');
      return new Map(names.filter((t) => !SKIPPED.has(t.name)).map((t) => [t.name, columns.all(t.name).map((c) => c.name)]));
    },
    async count(table) {
      return (db.prepare(`SELECT count(*) AS n FROM ${quote(table)}`).get() as { n: number }).n;
    },
    async *read(table, columns) {
      let batch: Row[] = [];
      // rowid order is insertion order for these tables: a row comes after the rows it points at.
      const hasRowid = (() => {
        try {
          db.prepare(`SELECT rowid FROM ${quote(table)} LIMIT 0`).all();
          return true;
        } catch {
          return false;
        }
      })();
      const statement = db.prepare(`SELECT ${columns.map(quote).join(', ')} FROM ${quote(table)}${hasRowid ? ' ORDER BY rowid' : ''}`);
      for (const row of statement.iterate() as Iterable<Row>) {
        batch.push(row);
        if (batch.length === SQLITE_BATCH) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length > 0) yield batch;
    },
    async order(tables) {
      const parents = db.prepare<[string], { table: string }>('SELECT "table" FROM pragma_foreign_key_list(?)');
      const references = new Map(tables.map((t) => [t, parents.all(t).map((r) => r.table)]));
      return dependencyOrder(tables, references);
    },
    async fill(_order, fill) {
      const statements = new Map<string, Database.Statement>();
      db.exec('BEGIN IMMEDIATE');
      try {
        // Checked at COMMIT, once every table is in.
        db.pragma('defer_foreign_keys = ON');
        await fill(async (table, columns, rows) => {
          let insert = statements.get(table);
          if (!insert) {
            insert = db.prepare(`INSERT INTO ${quote(table)} (${columns.map(quote).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
            statements.set(table, insert);
          }
          for (const row of rows) insert.run(columns.map((c) => toSqlite(row[c])));
        });
        db.exec('COMMIT');
      } catch (error) {
        if (db.inTransaction) db.exec('ROLLBACK');
        throw error;
      }
    },
  };
}

/** PostgreSQL values that SQLite cannot bind as they are. */
const toSqlite = (value: unknown): unknown => (typeof value === 'boolean' ? (value ? 1 : 0) : value instanceof Date ? value.getTime() : value);

export function pgSide(sql: Sql): TableSide {
  const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;
  return {
    kind: 'postgres',
    async tables() {
      const rows = await sql<{ table_name: string; column_name: string }[]>`
        SELECT c.table_name, c.column_name FROM information_schema.columns c
        JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
        WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' AND c.is_generated = 'NEVER'
        ORDER BY c.table_name, c.ordinal_position`;
      const tables = new Map<string, string[]>();
      for (const { table_name: table, column_name: column } of rows) {
        if (SKIPPED.has(table)) continue;
        tables.set(table, [...(tables.get(table) ?? []), column]);
      }
      return tables;
    },
    async count(table) {
      const [row] = await sql.unsafe<{ n: number }[]>(`SELECT count(*)::bigint AS n FROM ${quote(table)}`);
      return Number(row!.n);
    },
    async *read(table, columns) {
      const primary = await sql<{ column: string }[]>`
        SELECT a.attname AS column FROM pg_index i
        JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
        WHERE i.indrelid = ${quote(table)}::regclass AND i.indisprimary ORDER BY a.attnum`;
      const order = primary.length > 0 ? ` ORDER BY ${primary.map((p) => quote(p.column)).join(', ')}` : '';
      const cursor = sql.unsafe<Row[]>(`SELECT ${columns.map(quote).join(', ')} FROM ${quote(table)}${order}`).cursor(SQLITE_BATCH);
      for await (const rows of cursor) yield rows;
    },
    async order(tables) {
      const rows = await sql<{ child: string; parent: string }[]>`
        SELECT c.relname AS child, p.relname AS parent FROM pg_constraint k
        JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class p ON p.oid = k.confrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE k.contype = 'f' AND n.nspname = current_schema()`;
      const references = new Map<string, string[]>();
      for (const { child, parent } of rows) references.set(child, [...(references.get(child) ?? []), parent]);
      return dependencyOrder(tables, references);
    },
    async fill(_order, fill) {
      await sql.begin(async (tx) => {
        const written = new Set<string>();
        await fill(async (table, columns, rows) => {
          written.add(table);
          const perStatement = Math.max(1, Math.floor(PG_PARAMETERS / columns.length));
          for (let start = 0; start < rows.length; start += perStatement) {
            const chunk = rows.slice(start, start + perStatement);
            const values = chunk.map((_, r) => `(${columns.map((_, c) => `$${r * columns.length + c + 1}`).join(', ')})`).join(', ');
            const parameters = chunk.flatMap((row) => columns.map((c) => row[c] ?? null));
            // OVERRIDING SYSTEM VALUE: generated ids are copied as they are, not drawn anew.
            await tx.unsafe(`INSERT INTO ${quote(table)} (${columns.map(quote).join(', ')}) OVERRIDING SYSTEM VALUE VALUES ${values}`, parameters as never[]);
          }
        });
        // Sequences behind generated ids continue after the copied ones.
        const sequences = await tx<{ table_name: string; column_name: string; sequence: string }[]>`
          SELECT table_name, column_name, pg_get_serial_sequence(quote_ident(table_name), column_name) AS sequence
          FROM information_schema.columns WHERE table_schema = current_schema()
            AND pg_get_serial_sequence(quote_ident(table_name), column_name) IS NOT NULL`;
        for (const s of sequences) {
          if (!written.has(s.table_name)) continue;
          await tx.unsafe(`SELECT setval($1, coalesce((SELECT max(${quote(s.column_name)}) FROM ${quote(s.table_name)}), 0) + 1, false)`, [s.sequence]);
        }
      });
    },
  };
}

export interface CopiedTable {
  table: string;
  rows: number;
}

/** Copies every row of `from` into the empty `to`. Refuses when the target holds any row, or when a
 * source table or column holding data has no place in the target (its data would be lost). */
export async function copyTables(from: TableSide, to: TableSide): Promise<CopiedTable[]> {
  const source = await from.tables();
  const target = await to.tables();
  for (const table of target.keys()) {
    if ((await to.count(table)) > 0) throw new CopyError(`the target is not empty: its table ${table} has rows (copy into a new, empty database)`);
  }
  const plan: Array<{ table: string; columns: string[] }> = [];
  for (const [table, columns] of source) {
    const rows = await from.count(table);
    const targetColumns = target.get(table);
    if (!targetColumns) {
      if (rows > 0) throw new CopyError(`the target has no table ${table}, which holds ${rows} row(s) here: upgrade the target first`);
      continue;
    }
    const missing = columns.filter((c) => !targetColumns.includes(c));
    if (missing.length > 0 && rows > 0) throw new CopyError(`the target's table ${table} lacks column(s) ${missing.join(', ')}`);
    if (rows > 0) plan.push({ table, columns: columns.filter((c) => targetColumns.includes(c)) });
  }
  const order = await to.order(plan.map((p) => p.table));
  const copied: CopiedTable[] = [];
  await to.fill(order, async (write) => {
    for (const table of order) {
      const { columns } = plan.find((p) => p.table === table)!;
      let rows = 0;
      for await (const batch of from.read(table, columns)) {
        await write(table, columns, batch);
        rows += batch.length;
      }
      copied.push({ table, rows });
    }
  });
  return copied;
}
