import type { Connection } from 'mysql2/promise';
import { lazyRequire } from '../lazy.js';
import type { MysqlUrl } from './mysql-tools.js';

const mysql = lazyRequire<typeof import('mysql2/promise')>('mysql2/promise');

function ident(name: string): string {
  return `\`${name.replace(/`/g, '``')}\``;
}

/** A connection to the server of `url` (no default database). */
export async function withServer<T>(url: MysqlUrl, fn: (conn: Connection) => Promise<T>): Promise<T> {
  const conn = await mysql().createConnection({ host: url.host, port: url.port, user: url.user, password: url.password, connectTimeout: 10_000, multipleStatements: false });
  try {
    return await fn(conn);
  } finally {
    await conn.end().catch(() => undefined);
  }
}

export async function tableNames(conn: Connection, database: string): Promise<string[]> {
  const [rows] = await conn.query("SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME", [database]);
  return (rows as { t: string }[]).map((r) => r.t);
}

/** Exact rows per table. */
export async function countRows(conn: Connection, database: string): Promise<Record<string, number>> {
  const out: Record<string, number> = Object.create(null) as Record<string, number>;
  for (const t of await tableNames(conn, database)) {
    const [rows] = await conn.query(`SELECT COUNT(*) AS n FROM ${ident(database)}.${ident(t)}`);
    out[t] = Number((rows as { n: number }[])[0]!.n);
  }
  return out;
}

/** Drops every table of the database (foreign keys off), so a dump loads into an empty one. */
export async function dropAllTables(conn: Connection, database: string): Promise<void> {
  const names = await tableNames(conn, database);
  if (names.length === 0) return;
  await conn.query('SET FOREIGN_KEY_CHECKS = 0');
  try {
    for (let i = 0; i < names.length; i += 50) {
      await conn.query(`DROP TABLE IF EXISTS ${names.slice(i, i + 50).map((t) => `${ident(database)}.${ident(t)}`).join(', ')}`);
    }
  } finally {
    await conn.query('SET FOREIGN_KEY_CHECKS = 1');
  }
}

export async function createDatabase(conn: Connection, database: string): Promise<void> {
  await conn.query(`CREATE DATABASE IF NOT EXISTS ${ident(database)} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
}

export async function dropDatabase(conn: Connection, database: string): Promise<void> {
  await conn.query(`DROP DATABASE IF EXISTS ${ident(database)}`);
}
