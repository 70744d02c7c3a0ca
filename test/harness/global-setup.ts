import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureDebianPackages, TEST_NEEDS } from './debian.js';
import { startMariaDb, startMemcached, type RunningService } from './services.js';
import { slapdEnv, startSlapd } from './slapd.js';

const started: RunningService[] = [];
let tmp: string | undefined;

/**
 * Mocha global setup: starts private MariaDB, memcached and slapd unless test/run.ts already
 * did (it passes PORTAL_TEST_MYSQL, PORTAL_TEST_MEMCACHED and PORTAL_TEST_LDAP), so `mocha` alone works too.
 */
export async function mochaGlobalSetup(): Promise<void> {
  if (process.env.PORTAL_TEST_MYSQL && process.env.PORTAL_TEST_MEMCACHED && process.env.PORTAL_TEST_LDAP) return;
  await ensureDebianPackages(TEST_NEEDS);
  tmp = mkdtempSync(path.join(os.tmpdir(), 'portal-services-'));
  const [db, mc, ldap] = await Promise.all([startMariaDb(path.join(tmp, 'mariadb')), startMemcached(), startSlapd(path.join(tmp, 'slapd'))]);
  started.push(db, mc, ldap);
  process.env.PORTAL_TEST_MYSQL = db.url;
  process.env.PORTAL_TEST_MEMCACHED = mc.url;
  Object.assign(process.env, slapdEnv(ldap));
}

export async function mochaGlobalTeardown(): Promise<void> {
  await Promise.all(started.map((s) => s.stop()));
  if (tmp) rmSync(tmp, { recursive: true, force: true });
}
