import { lazyRequire } from '../lazy.js';

/** The part of better-sqlite3 that backups use (the package ships no types). */
export interface SqliteDb {
  pragma(sql: string, opts?: { simple?: boolean }): unknown;
  prepare(sql: string): { all(...params: unknown[]): unknown[]; get(...params: unknown[]): unknown };
  backup(dest: string, opts?: { progress?: (info: { totalPages: number; remainingPages: number }) => number }): Promise<unknown>;
  close(): void;
}
type SqliteCtor = new (file: string, opts?: { readonly?: boolean; fileMustExist?: boolean; timeout?: number }) => SqliteDb;

const Database = lazyRequire<SqliteCtor>('better-sqlite3');

export function openSqlite(file: string, opts: { readonly?: boolean } = {}): SqliteDb {
  return new (Database())(file, { fileMustExist: true, timeout: 10_000, ...opts });
}

/**
 * A consistent copy of a live SQLite database through the online backup API. After a first
 * small step the rest goes in one step, so writers in other processes cannot keep restarting it.
 */
export async function snapshotSqlite(source: string, dest: string): Promise<void> {
  const db = openSqlite(source);
  try {
    await db.backup(dest, { progress: ({ totalPages }) => Math.max(totalPages, 100) });
  } finally {
    db.close();
  }
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Rows per table of an SQLite file. */
export function sqliteCounts(db: SqliteDb): Record<string, number> {
  const out: Record<string, number> = Object.create(null) as Record<string, number>;
  const names = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[];
  for (const { name } of names) out[name] = Number((db.prepare(`SELECT COUNT(*) AS n FROM ${quote(name)}`).get() as { n: number }).n);
  return out;
}

/** "ok", or what PRAGMA integrity_check found. */
export function sqliteIntegrity(db: SqliteDb): string {
  const rows = db.pragma('integrity_check') as { integrity_check: string }[];
  return rows.map((r) => r.integrity_check).join('; ');
}

export function hasTable(db: SqliteDb, name: string): boolean {
  return Boolean(db.prepare("SELECT 1 AS x FROM sqlite_master WHERE type = 'table' AND name = ?").get(name));
}
