import type { Connection, Pool } from 'mysql2/promise';
import { lazyRequire } from '../../../../core/lazy.js';
import { redact, type DbUrl } from '../../../../core/db/db-url.js';
import { datetimeText, TableDigest, type ColumnType } from '../lib/row-digest.js';
import { moveErrors } from './errors.js';

const mysql = lazyRequire<typeof import('mysql2/promise')>('mysql2/promise');
type MysqlUrl = Extract<DbUrl, { client: 'mysql' }>;

export function quoteIdent(name: string): string {
  return `\`${name.replace(/`/g, '``')}\``;
}

/** The MariaDB database a move writes into, through one connection with foreign keys off. */
export class MariadbTarget {
  private constructor(
    readonly url: MysqlUrl,
    private readonly conn: Connection,
  ) {}

  /**
   * Connects and checks the server: reachable, MariaDB (not MySQL), and the database missing or
   * without tables. Creates the database when missing. Throws one readable line otherwise.
   */
  static async open(url: MysqlUrl): Promise<MariadbTarget> {
    let conn: Connection;
    try {
      conn = await mysql().createConnection({ host: url.host, port: url.port, user: url.user, password: url.password, connectTimeout: 5000, charset: 'utf8mb4', timezone: 'Z', dateStrings: true, supportBigNumbers: true });
    } catch (err) {
      throw moveErrors.TARGET_UNREACHABLE(`cannot connect to ${redact(url.raw)}: ${(err as Error).message || String((err as { code?: string }).code)}`);
    }
    try {
      const [[v]] = (await conn.query('SELECT version() AS v')) as unknown as [[{ v: string }]];
      if (!/mariadb/i.test(v.v)) throw moveErrors.TARGET_NOT_MARIADB(`${redact(url.raw)} runs ${v.v}, not MariaDB; the portal moves only to MariaDB`);
      await conn.query(`CREATE DATABASE IF NOT EXISTS ${quoteIdent(url.database)} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
      const [[n]] = (await conn.query("SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?", [url.database])) as unknown as [[{ n: number }]];
      if (Number(n.n) > 0) throw moveErrors.TARGET_NOT_EMPTY(`database "${url.database}" on ${url.host}:${url.port} already holds ${n.n} tables; move into an empty database`);
      await conn.query(`USE ${quoteIdent(url.database)}`);
      await conn.query('SET SESSION foreign_key_checks = 0, unique_checks = 0');
    } catch (err) {
      await conn.end().catch(() => undefined);
      throw err;
    }
    return new MariadbTarget(url, conn);
  }

  async tables(): Promise<string[]> {
    const [rows] = await this.conn.query("SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME", [this.url.database]);
    return (rows as { t: string }[]).map((r) => r.t);
  }

  /** Columns by name, so both sides normalise the same column list. */
  async columns(table: string): Promise<ColumnType[]> {
    const [rows] = await this.conn.query('SELECT COLUMN_NAME AS name, DATA_TYPE AS type, NUMERIC_SCALE AS scale FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY COLUMN_NAME', [this.url.database, table]);
    return (rows as { name: string; type: string; scale: number | null }[]).map((r) => ({ name: r.name, type: String(r.type).toLowerCase(), scale: r.scale === null ? null : Number(r.scale) }));
  }

  async truncate(table: string): Promise<void> {
    await this.conn.query(`DELETE FROM ${quoteIdent(table)}`);
  }

  /** One multi-row INSERT; epoch-ms numbers bound for DATETIME columns become their text. */
  async insert(table: string, columns: readonly ColumnType[], rows: readonly Record<string, unknown>[]): Promise<void> {
    if (rows.length === 0) return;
    const values = rows.map((r) => columns.map((c) => {
      const v = r[c.name];
      return typeof v === 'number' && (c.type === 'datetime' || c.type === 'timestamp') ? datetimeText(v) : v ?? null;
    }));
    await this.conn.query(`INSERT INTO ${quoteIdent(table)} (${columns.map((c) => quoteIdent(c.name)).join(', ')}) VALUES ?`, [values]);
  }

  /** Streams the whole table: the digest does not depend on the order rows arrive in. */
  async digest(table: string, columns: readonly ColumnType[]): Promise<string> {
    const d = new TableDigest(columns);
    const stream = (this.conn as unknown as { connection: { query(sql: string): { stream(): AsyncIterable<Record<string, unknown>> } } }).connection
      .query(`SELECT ${columns.map((c) => quoteIdent(c.name)).join(', ')} FROM ${quoteIdent(table)}`)
      .stream();
    for await (const row of stream) d.add(row);
    return d.value;
  }

  /** Drops every table of the target database: the way out of a move that did not switch. */
  async dropAll(): Promise<void> {
    const names = await this.tables();
    for (const t of names) await this.conn.query(`DROP TABLE IF EXISTS ${quoteIdent(t)}`);
  }

  async close(): Promise<void> {
    await this.conn.end().catch(() => undefined);
  }
}

export type { Pool };
