import { existsSync } from 'node:fs';
import { copyFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Knex } from 'knex';
import { createKnex } from '../db/connections.js';
import { parseDbUrl } from '../db/db-url.js';
import { backupErrors } from './errors.js';
import type { ArchivedDatabase } from './format.js';
import { readIdentity, type PortalIdentity } from './identity.js';
import { countRows, createDatabase, dropAllTables, withServer } from './mysql-admin.js';
import { loadDump, mysqlUrl } from './mysql-tools.js';
import { openSqlite, sqliteCounts, sqliteIntegrity } from './sqlite-file.js';

/** The portal installed in the database at `url`, or null (missing file or database, nothing installed). */
export async function identityAt(url: string): Promise<PortalIdentity | null> {
  const parsed = parseDbUrl(url);
  if (parsed.client === 'sqlite') {
    if (!existsSync(parsed.filename)) return null;
  } else {
    const exists = await withServer(parsed, async (c) => {
      const [rows] = await c.query('SELECT COUNT(*) AS n FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [parsed.database]);
      return Number((rows as { n: number }[])[0]!.n) > 0;
    });
    if (!exists) return null;
  }
  return withKnex(url, readIdentity);
}

async function withKnex<T>(url: string, fn: (k: Knex) => Promise<T>): Promise<T> {
  const knex = createKnex(parseDbUrl(url), { min: 0, max: 1 });
  try {
    return await fn(knex);
  } finally {
    await knex.destroy();
  }
}

/** Rows per table of the database at `url`. */
export async function countsAt(url: string): Promise<Record<string, number>> {
  const parsed = parseDbUrl(url);
  if (parsed.client === 'mysql') return withServer(parsed, (c) => countRows(c, parsed.database));
  const db = openSqlite(parsed.filename, { readonly: true });
  try {
    return sqliteCounts(db);
  } finally {
    db.close();
  }
}

/** The tables whose row counts differ from the archive's, as "table: N, expected M". */
export function countDifferences(actual: Record<string, number>, expected: Record<string, number>): string[] {
  const out: string[] = [];
  for (const [table, n] of Object.entries(expected)) {
    const got = Object.hasOwn(actual, table) ? actual[table] : undefined;
    if (got !== n) out.push(`${table}: ${got === undefined ? 'missing' : got}, expected ${n}`);
  }
  return out;
}

/** Checks a staged SQLite copy before it replaces anything. */
export function checkSqliteCopy(file: string, db: ArchivedDatabase): void {
  const copy = openSqlite(file, { readonly: true });
  try {
    const integrity = sqliteIntegrity(copy);
    if (integrity !== 'ok') throw backupErrors.ARCHIVE_INVALID(`the database ${db.entry} in the archive is damaged: ${integrity.slice(0, 200)}`);
    const diff = countDifferences(sqliteCounts(copy), db.tables);
    if (diff.length) throw backupErrors.ARCHIVE_INVALID(`the database ${db.entry} does not hold the rows its manifest lists (${diff.slice(0, 3).join('; ')})`);
  } finally {
    copy.close();
  }
}

/** Puts a checked SQLite copy in place of the database file (its WAL and shared-memory files go too). */
export async function replaceSqlite(staged: string, url: string): Promise<void> {
  const parsed = parseDbUrl(url);
  if (parsed.client !== 'sqlite') throw new Error('not an SQLite URL');
  const target = parsed.filename;
  const next = `${target}.restoring`;
  await rm(next, { force: true });
  try {
    await rename(staged, next);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
    await copyFile(staged, next);
  }
  await rm(`${target}-wal`, { force: true });
  await rm(`${target}-shm`, { force: true });
  await rename(next, target);
}

/** Loads a dump into the MariaDB database at `url`, creating it when missing and emptying it first when asked. */
export async function loadMysql(staged: string, url: string, tmpDir: string, opts: { empty: boolean }): Promise<void> {
  const target = mysqlUrl(url);
  await withServer(target, async (c) => {
    await createDatabase(c, target.database);
    if (opts.empty) await dropAllTables(c, target.database);
  });
  await loadDump(target, staged, tmpDir);
}

export function sqlitePath(url: string): string {
  const parsed = parseDbUrl(url);
  return parsed.client === 'sqlite' ? path.resolve(parsed.filename) : '';
}
