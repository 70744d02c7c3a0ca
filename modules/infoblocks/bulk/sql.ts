import type { Knex } from 'knex';
import type { Dialect } from '../../../core/db/connections.js';

type Value = string | number | boolean | null;
export type Rows = Record<string, Value | undefined>[];

/** Placeholders stay below both servers' limits (SQLite 32766, MariaDB 65535) and packets stay small. */
const MAX_BINDINGS = 20_000;
const MAX_ROWS = 5000;

/** Text per statement, in characters: MariaDB's max_allowed_packet is 16 MB by default and UTF-8 takes up to 4 bytes. */
const MAX_CHARS = 2_000_000;

/** Rows per statement for a table of `columns` columns. */
export const rowsPerStatement = (columns: number): number => Math.max(1, Math.min(MAX_ROWS, Math.floor(MAX_BINDINGS / Math.max(1, columns))));

/** The rows cut into statements: at most rowsPerStatement rows and about MAX_CHARS characters of values each. */
function* statements(rows: Rows, columns: string[]): Generator<Rows> {
  const per = rowsPerStatement(columns.length);
  let start = 0;
  let chars = 0;
  for (let i = 0; i < rows.length; i++) {
    let size = columns.length * 4;
    for (const c of columns) {
      const v = rows[i]![c];
      if (typeof v === 'string') size += v.length;
    }
    if (i > start && (i - start >= per || chars + size > MAX_CHARS)) {
      yield rows.slice(start, i);
      start = i;
      chars = 0;
    }
    chars += size;
  }
  if (start < rows.length) yield rows.slice(start);
}

/**
 * `(a, b) VALUES …` with its bindings. MariaDB gets the rows as one nested-array binding that mysql2 escapes into
 * `(…), (…)` (its bulk-insert form: knex then formats 3 bindings instead of thousands); SQLite gets a `?` per value.
 */
function valuesSql(dialect: Dialect, columns: string[], rows: Rows): { sql: string; bindings: Knex.RawBinding[] } {
  if (dialect === 'mysql') {
    return { sql: '(??) VALUES ?', bindings: [columns, rows.map((row) => columns.map((c) => row[c] ?? null))] as unknown as Knex.RawBinding[] };
  }
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  const bindings: Knex.RawBinding[] = [...columns];
  for (const row of rows) for (const c of columns) bindings.push(row[c] ?? null);
  return { sql: `(${columns.map(() => '??').join(', ')}) VALUES ${rows.map(() => tuple).join(', ')}`, bindings };
}

/** Columns of the rows (the union of their keys, in first-seen order). */
export function columnsOf(rows: Rows): string[] {
  const set = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r)) set.add(k);
  return [...set];
}

/** Multi-row INSERTs (`INSERT INTO t (a, b) VALUES (?, ?), (?, ?)`), chunked; missing values are NULL. */
export async function insertRows(trx: Knex.Transaction, dialect: Dialect, table: string, rows: Rows): Promise<void> {
  if (!rows.length) return;
  const columns = columnsOf(rows);
  for (const chunk of statements(rows, columns)) {
    const v = valuesSql(dialect, columns, chunk);
    await trx.raw(`INSERT INTO ?? ${v.sql}`, [table, ...v.bindings]);
  }
}

/**
 * Multi-row INSERTs that return the new auto-increment ids in row order: MariaDB answers `RETURNING id` row by row
 * as it inserts; SQLite has one writer, so a statement's rows get consecutive rowids ending at last_insert_rowid().
 */
export async function insertReturningIds(trx: Knex.Transaction, dialect: Dialect, table: string, rows: Rows): Promise<number[]> {
  const ids: number[] = [];
  if (!rows.length) return ids;
  const columns = columnsOf(rows);
  for (const chunk of statements(rows, columns)) {
    const v = valuesSql(dialect, columns, chunk);
    const bindings = [table, ...v.bindings];
    if (dialect === 'mysql') {
      const [result] = (await trx.raw(`INSERT INTO ?? ${v.sql} RETURNING ??`, [...bindings, 'id'])) as [{ id: unknown }[]];
      if (result.length !== chunk.length) throw new Error(`INSERT … RETURNING gave ${result.length} ids for ${chunk.length} rows`);
      for (const r of result) ids.push(Number(r.id));
    } else {
      await trx.raw(`INSERT INTO ?? ${v.sql}`, bindings);
      const [last] = (await trx.raw('SELECT last_insert_rowid() AS id')) as { id: unknown }[];
      const lastId = Number(last!.id);
      for (let k = chunk.length - 1; k >= 0; k--) ids.push(lastId - k);
    }
  }
  return ids;
}

/**
 * Multi-row upserts on the primary key `key`: rows that exist get `update` columns overwritten
 * (MariaDB `ON DUPLICATE KEY UPDATE`, SQLite `ON CONFLICT … DO UPDATE`), others are inserted. Rows must be complete
 * (MariaDB checks NOT NULL columns before it finds the duplicate).
 */
export async function upsertRows(trx: Knex.Transaction, dialect: Dialect, table: string, key: string, rows: Rows, update: string[]): Promise<void> {
  if (!rows.length || !update.length) return;
  const columns = columnsOf(rows);
  const set = update.map(() => (dialect === 'mysql' ? '?? = VALUES(??)' : '?? = excluded.??')).join(', ');
  const setBindings = update.flatMap((c) => [c, c]);
  for (const chunk of statements(rows, columns)) {
    const v = valuesSql(dialect, columns, chunk);
    const head = [table, ...v.bindings];
    if (dialect === 'mysql') {
      await trx.raw(`INSERT INTO ?? ${v.sql} ON DUPLICATE KEY UPDATE ${set}`, [...head, ...setBindings]);
    } else {
      await trx.raw(`INSERT INTO ?? ${v.sql} ON CONFLICT (??) DO UPDATE SET ${set}`, [...head, key, ...setBindings]);
    }
  }
}
