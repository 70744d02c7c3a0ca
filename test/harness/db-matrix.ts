import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import { loadConfig } from '../../core/config/load-config.js';
import type { PortalConfig, PortalConfigInput } from '../../core/config/types.js';
import { merge } from '../../core/config/load-config.js';

export type DbKind = 'sqlite' | 'mariadb';
export const DB_KINDS: readonly DbKind[] = ['sqlite', 'mariadb'];

/** Declares the same suite once per database: "title [sqlite]" and "title [mariadb]". */
export function describeEachDb(title: string, body: (kind: DbKind) => void): void {
  for (const kind of DB_KINDS) describe(`${title} [${kind}]`, () => body(kind));
}

export function mysqlServerUrl(): string {
  const url = process.env.PORTAL_TEST_MYSQL;
  if (!url) throw new Error('PORTAL_TEST_MYSQL is not set; run the suite with `npm test`');
  return url;
}

export function memcachedServer(): string {
  const s = process.env.PORTAL_TEST_MEMCACHED;
  if (!s) throw new Error('PORTAL_TEST_MEMCACHED is not set; run the suite with `npm test`');
  return s;
}

/**
 * The cache test kernels use unless a test picks one: the in-process one, or memcached
 * when PORTAL_TEST_CACHE=memcached (test/run.ts runs the HTTP and admin suites so once).
 */
export function testCache(): 'memory' | 'memcached' {
  return process.env.PORTAL_TEST_CACHE === 'memcached' ? 'memcached' : 'memory';
}

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A fresh, empty database of the given kind. */
export async function createTestDatabase(kind: DbKind, dir: string): Promise<TestDatabase> {
  if (kind === 'sqlite') {
    return { url: `sqlite:${path.join(dir, 'portal.db')}`, drop: async () => undefined };
  }
  const name = `t_${randomBytes(6).toString('hex')}`;
  const server = mysqlServerUrl();
  const conn = await mysql.createConnection(server);
  await conn.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await conn.end();
  return {
    url: `${server}/${name}`,
    drop: async () => {
      const c = await mysql.createConnection(server);
      await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await c.end();
    },
  };
}

export interface TestEnv {
  config: PortalConfig;
  dir: string;
  db: TestDatabase;
  cleanup(): Promise<void>;
}

/** A config on a fresh database and a temp var dir, with optional overrides. */
export async function createTestEnv(kind: DbKind, overrides: PortalConfigInput = {}): Promise<TestEnv> {
  const dir = mkdtempSync(path.join(os.tmpdir(), `portal-test-${kind}-`));
  const db = await createTestDatabase(kind, dir);
  const base: PortalConfigInput = {
    db: { url: db.url },
    paths: { var: dir, upload: path.join(dir, 'upload') },
    log: { level: 'silent' },
    agents: { runInWeb: false },
    ...(testCache() === 'memcached' ? { cache: { driver: 'memcached', servers: [memcachedServer()], prefix: `c${randomBytes(4).toString('hex')}:` } } : {}),
  };
  const config = await loadConfig({ file: merge(base, overrides), env: {} });
  return {
    config,
    dir,
    db,
    cleanup: async () => {
      await db.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
