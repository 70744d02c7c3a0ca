import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CHROMIUM, ensureDebianPackages, MARIADB, MEMCACHED, NGINX } from './debian.js';
import { startMariaDb, startMemcached, type RunningService } from './services.js';

const started: RunningService[] = [];
let tmp: string | undefined;

/**
 * Mocha global setup: starts private MariaDB and memcached unless test/run.ts already
 * did (it passes PORTAL_TEST_MYSQL and PORTAL_TEST_MEMCACHED), so `mocha` alone works too.
 */
export async function mochaGlobalSetup(): Promise<void> {
  if (process.env.PORTAL_TEST_MYSQL && process.env.PORTAL_TEST_MEMCACHED) return;
  await ensureDebianPackages([MARIADB, MEMCACHED, CHROMIUM, NGINX]);
  tmp = mkdtempSync(path.join(os.tmpdir(), 'portal-services-'));
  const [db, mc] = await Promise.all([startMariaDb(path.join(tmp, 'mariadb')), startMemcached()]);
  started.push(db, mc);
  process.env.PORTAL_TEST_MYSQL = db.url;
  process.env.PORTAL_TEST_MEMCACHED = mc.url;
}

export async function mochaGlobalTeardown(): Promise<void> {
  await Promise.all(started.map((s) => s.stop()));
  if (tmp) rmSync(tmp, { recursive: true, force: true });
}
