import { existsSync } from 'node:fs';
import type { Connection } from 'mysql2/promise';
import { lazyRequire } from '../core/lazy.js';

/** Only MySQL installs need the driver; `portal start` on SQLite never loads it. */
const mysql = lazyRequire<typeof import('mysql2/promise')>('mysql2/promise');
import { createKnex } from '../core/db/connections.js';
import { silentLogger } from '../core/log/logger.js';
import { parseDbUrl, redact, type DbUrl } from '../core/db/db-url.js';
import { MODULES_TABLE } from '../core/modules/module-manager.js';
import { installErrors } from './errors.js';

type MysqlUrl = Extract<DbUrl, { client: 'mysql' }>;

/** What the installer and the doctor need to know about a DB before touching it. */
export interface DbProbe {
  client: 'sqlite' | 'mysql';
  /** The server answered (always true for SQLite). */
  reachable: boolean;
  /** The SQLite file / MySQL database exists. */
  exists: boolean;
  /** The main module is recorded as installed there. */
  installed: boolean;
  /** "SQLite 3.46.1", "MariaDB 11.4.2", "MySQL 8.0.36". */
  serverVersion?: string;
  /** Version of the installed main module. */
  mainVersion?: string;
  /** Why the server could not be reached. */
  error?: string;
}

/** Looks at a DB without creating or changing anything. */
export async function probeDatabase(raw: string): Promise<DbProbe> {
  const url = parseDbUrl(raw);
  return url.client === 'sqlite' ? probeSqlite(url) : probeMysql(url);
}

async function probeSqlite(url: Extract<DbUrl, { client: 'sqlite' }>): Promise<DbProbe> {
  const exists = url.filename === ':memory:' || existsSync(url.filename);
  // Never create the file here: open an in-memory DB when it is missing.
  const knex = createKnex(exists ? url : { client: 'sqlite', filename: ':memory:', raw: 'sqlite::memory:' }, undefined, silentLogger());
  try {
    const serverVersion = `SQLite ${String(((await knex.raw('SELECT sqlite_version() AS v')) as { v: string }[])[0]!.v)}`;
    if (!exists || url.filename === ':memory:') return { client: 'sqlite', reachable: true, exists, installed: false, serverVersion };
    const row = (await knex.schema.hasTable(MODULES_TABLE))
      ? ((await knex(MODULES_TABLE).where({ id: 'main' }).first('version')) as { version: string } | undefined)
      : undefined;
    return { client: 'sqlite', reachable: true, exists, installed: Boolean(row), serverVersion, ...(row ? { mainVersion: row.version } : {}) };
  } catch (err) {
    return { client: 'sqlite', reachable: false, exists, installed: false, error: `cannot open ${url.filename}: ${(err as Error).message}` };
  } finally {
    await knex.destroy();
  }
}

async function probeMysql(url: MysqlUrl): Promise<DbProbe> {
  let conn: Connection;
  try {
    conn = await connectServer(url);
  } catch (err) {
    return { client: 'mysql', reachable: false, exists: false, installed: false, error: connectError(url, err) };
  }
  try {
    const serverVersion = describeServer(await scalar(conn, 'SELECT version() AS v'));
    const exists = (await scalar(conn, 'SELECT COUNT(*) AS v FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [url.database])) > 0;
    if (!exists) return { client: 'mysql', reachable: true, exists, installed: false, serverVersion };
    const hasTable = Number(
      await scalar(conn, 'SELECT COUNT(*) AS v FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?', [url.database, MODULES_TABLE]),
    );
    if (!hasTable) return { client: 'mysql', reachable: true, exists, installed: false, serverVersion };
    const [rows] = await conn.query(`SELECT version FROM ${quoteIdent(url.database)}.${MODULES_TABLE} WHERE id = ?`, ['main']);
    const row = (rows as { version: string }[])[0];
    return { client: 'mysql', reachable: true, exists, installed: Boolean(row), serverVersion, ...(row ? { mainVersion: row.version } : {}) };
  } catch (err) {
    return { client: 'mysql', reachable: false, exists: false, installed: false, error: (err as Error).message };
  } finally {
    await conn.end().catch(() => undefined);
  }
}

/**
 * Creates the MySQL/MariaDB database named in the URL when it is missing (utf8mb4).
 * Returns true when it created it. The name was validated by parseDbUrl.
 */
export async function ensureMysqlDatabase(raw: string): Promise<boolean> {
  const url = parseDbUrl(raw);
  if (url.client !== 'mysql') return false;
  let conn: Connection;
  try {
    conn = await connectServer(url);
  } catch (err) {
    throw installErrors.DB_UNREACHABLE(connectError(url, err));
  }
  try {
    const exists = (await scalar(conn, 'SELECT COUNT(*) AS v FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [url.database])) > 0;
    if (exists) return false;
    await conn.query(`CREATE DATABASE IF NOT EXISTS ${quoteIdent(url.database)} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    return true;
  } catch (err) {
    throw installErrors.DB_CREATE_FAILED(
      `cannot create database "${url.database}" on ${url.host}:${url.port}: ${(err as Error).message}; create it yourself or grant CREATE to ${url.user}`,
    );
  } finally {
    await conn.end().catch(() => undefined);
  }
}

function connectServer(url: MysqlUrl): Promise<Connection> {
  return mysql().createConnection({ host: url.host, port: url.port, user: url.user, password: url.password, connectTimeout: 5000 });
}

function connectError(url: MysqlUrl, err: unknown): string {
  return `cannot connect to ${redact(url.raw)}: ${(err as Error).message || String((err as { code?: string }).code ?? err)}`;
}

async function scalar(conn: Connection, sql: string, params: unknown[] = []): Promise<number & string> {
  const [rows] = await conn.query(sql, params);
  return (rows as { v: number & string }[])[0]!.v;
}

/** "11.4.2-MariaDB-log" -> "MariaDB 11.4.2"; "8.0.36" -> "MySQL 8.0.36". */
export function describeServer(version: string): string {
  const number = /^\d+(\.\d+)*/.exec(version)?.[0] ?? version;
  return /mariadb/i.test(version) ? `MariaDB ${number}` : `MySQL ${number}`;
}

/** Backtick-quotes an identifier that parseDbUrl already restricted to [A-Za-z0-9_$-]. */
function quoteIdent(name: string): string {
  return `\`${name.replace(/`/g, '``')}\``;
}
