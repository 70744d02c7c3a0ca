import { lazyRequire } from '../../../../core/lazy.js';
import { TableDigest, type ColumnType } from '../lib/row-digest.js';

/** The part of better-sqlite3 the mover uses (the package ships no types). */
interface Statement {
  all(...params: unknown[]): unknown[];
  get(...params: unknown[]): unknown;
  iterate(...params: unknown[]): Iterable<unknown>;
}
interface SqliteDb {
  prepare(sql: string): Statement;
  pragma(s: string): unknown;
  exec(sql: string): void;
  close(): void;
  readonly inTransaction: boolean;
}
const Database = lazyRequire<new (file: string, opts: { fileMustExist: boolean }) => SqliteDb>('better-sqlite3');
const CHUNK = 500;

function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * The portal's SQLite file as the mover reads it: its own connection (no write gate), tables
 * read in rowid chunks. It never writes; `freeze()` only holds the write lock (BEGIN IMMEDIATE,
 * rolled back by `release()`) so the final pass sees a file no one else changes.
 */
export class SqliteSource {
  private readonly db: SqliteDb;

  constructor(readonly filename: string) {
    this.db = new (Database())(filename, { fileMustExist: true });
    this.db.pragma('busy_timeout = 10000');
  }

  /** The tables whose rows move. */
  tables(): string[] {
    // Ordinary tables only: a full-text virtual table and its shadow tables are SQLite's index of
    // data held elsewhere (MariaDB's migration makes a FULLTEXT index instead).
    const rows = this.db.prepare("SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[];
    return rows.map((r) => r.name);
  }

  /** Ids in main_modules: the modules installed in this portal. */
  installedModules(): string[] {
    const has = this.db.prepare("SELECT 1 AS x FROM sqlite_master WHERE type = 'table' AND name = 'main_modules'").get();
    if (!has) return [];
    return (this.db.prepare('SELECT id FROM main_modules ORDER BY id').all() as { id: string }[]).map((r) => String(r.id));
  }

  /** A read of the mover's own (e.g. the rows that say which run-time tables exist). */
  rows(sql: string): unknown[] {
    return this.db.prepare(sql).all();
  }

  columns(table: string): string[] {
    return (this.db.prepare(`PRAGMA table_info(${ident(table)})`).all() as { name: string }[]).map((r) => r.name);
  }

  count(table: string): number {
    return Number((this.db.prepare(`SELECT COUNT(*) AS n FROM ${ident(table)}`).get() as { n: number }).n);
  }

  /** Rows in rowid order, `CHUNK` per query, so a long read never holds a snapshot for the whole table. */
  *chunks(table: string): Generator<Record<string, unknown>[]> {
    const stmt = this.db.prepare(`SELECT rowid AS "__rowid", * FROM ${ident(table)} WHERE rowid > ? ORDER BY rowid LIMIT ${CHUNK}`);
    let last = -Infinity as number;
    for (;;) {
      const rows = stmt.all(last) as Record<string, unknown>[];
      if (rows.length === 0) return;
      last = Number(rows[rows.length - 1]!.__rowid);
      for (const r of rows) delete r.__rowid;
      yield rows;
    }
  }

  digest(table: string, columns: readonly ColumnType[]): string {
    const d = new TableDigest(columns);
    for (const row of this.db.prepare(`SELECT * FROM ${ident(table)}`).iterate() as Iterable<Record<string, unknown>>) d.add(row);
    return d.value;
  }

  /** Takes SQLite's write lock: waits for running writers, then no other connection writes. */
  freeze(): void {
    this.db.exec('BEGIN IMMEDIATE');
  }

  release(): void {
    if (this.db.inTransaction) this.db.exec('ROLLBACK');
  }

  close(): void {
    this.release();
    this.db.close();
  }
}
