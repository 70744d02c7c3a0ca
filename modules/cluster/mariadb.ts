import mysql from 'mysql2/promise';
import { clusterErrors } from './errors.js';
import { redact } from './node-url.js';

export type Row = Record<string, unknown>;

/** One admin connection to one MariaDB server (no database selected): what the cluster commands talk through. */
export class Server {
  private constructor(
    readonly url: string,
    private readonly conn: mysql.Connection,
  ) {}

  /**
   * Connects, turning the usual failures into one readable, coded line: unreachable, wrong password, not MariaDB.
   * `url` is mysql://user:password@host:port (a database part is ignored).
   */
  static async open(url: string, timeoutMs = 5000): Promise<Server> {
    const u = new URL(url);
    const shown = `${u.hostname}:${u.port || '3306'}`;
    let conn: mysql.Connection;
    try {
      conn = await mysql.createConnection({
        host: u.hostname,
        port: Number(u.port || 3306),
        user: decodeURIComponent(u.username),
        password: decodeURIComponent(u.password),
        connectTimeout: timeoutMs,
        multipleStatements: false,
        dateStrings: true,
      });
    } catch (err) {
      const e = err as { code?: string; message?: string };
      if (e.code === 'ER_ACCESS_DENIED_ERROR' || e.code === 'ER_DBACCESS_DENIED_ERROR') throw clusterErrors.CLUSTER_ACCESS_DENIED(shown);
      if (e.code === 'ECONNREFUSED' || e.code === 'ETIMEDOUT' || e.code === 'EHOSTUNREACH' || e.code === 'ENOTFOUND' || e.code === 'ECONNRESET') throw clusterErrors.CLUSTER_UNREACHABLE(`${shown} (${e.code})`);
      throw clusterErrors.CLUSTER_NOT_MARIADB(`${shown} (${oneLine(e.message ?? String(err))})`);
    }
    const server = new Server(url, conn);
    const version = String((await server.one('SELECT VERSION() AS v')).v ?? '');
    if (!/mariadb/i.test(version)) {
      await server.close();
      throw clusterErrors.CLUSTER_NOT_MARIADB(`${shown} (version ${version})`);
    }
    return server;
  }

  get address(): string {
    const u = new URL(this.url);
    return `${u.hostname}:${u.port || '3306'}`;
  }

  get shown(): string {
    return redact(this.url);
  }

  async rows(sql: string, params: unknown[] = []): Promise<Row[]> {
    const [rows] = await this.conn.query(sql, params);
    return Array.isArray(rows) ? (rows as Row[]) : [];
  }

  async one(sql: string, params: unknown[] = []): Promise<Row> {
    return (await this.rows(sql, params))[0] ?? {};
  }

  async exec(sql: string, params: unknown[] = []): Promise<void> {
    await this.conn.query(sql, params);
  }

  async variable(name: string): Promise<string> {
    return String((await this.one(`SELECT @@${name} AS v`)).v ?? '');
  }

  async slaveStatus(): Promise<Row | null> {
    return (await this.rows('SHOW SLAVE STATUS'))[0] ?? null;
  }

  /** The connection id, to tell our own session from the portal's. */
  async connectionId(): Promise<number> {
    return Number((await this.one('SELECT CONNECTION_ID() AS id')).id);
  }

  /** Points this server at `primary` (GTID, slave_pos) and starts replicating. */
  async replicateFrom(primary: { host: string; port: number; user: string; password: string }): Promise<void> {
    await this.exec('CHANGE MASTER TO MASTER_HOST = ?, MASTER_PORT = ?, MASTER_USER = ?, MASTER_PASSWORD = ?, MASTER_USE_GTID = slave_pos, MASTER_CONNECT_RETRY = 1', [
      primary.host,
      primary.port,
      primary.user,
      primary.password,
    ]);
    await this.exec('START SLAVE');
  }

  async close(): Promise<void> {
    await this.conn.end().catch(() => undefined);
  }
}

/** Host, port and credentials of a mysql:// URL. */
export function credentials(url: string): { host: string; port: number; user: string; password: string; database: string } {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 3306),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    database: decodeURIComponent(u.pathname.replace(/^\//, '')),
  };
}

export function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

/** Waits until `check` answers true, polling; throws `fail()` after `ms`. */
export async function until(check: () => Promise<boolean>, ms: number, fail: () => Error, stepMs = 200): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > ms) throw fail();
    await new Promise((r) => setTimeout(r, stepMs));
  }
}
