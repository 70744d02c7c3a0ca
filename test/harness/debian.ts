import { existsSync } from 'node:fs';
import { execa } from 'execa';

/** A Debian package and a file that proves it is installed. */
export interface DebianNeed {
  pkg: string;
  file: string;
}

export const MARIADB: DebianNeed = { pkg: 'mariadb-server', file: '/usr/sbin/mariadbd' };
export const MEMCACHED: DebianNeed = { pkg: 'memcached', file: '/usr/bin/memcached' };
export const CHROMIUM: DebianNeed = { pkg: 'chromium', file: '/usr/bin/chromium' };
/** The TLS reverse proxy of the proxy tests (test/harness/nginx.ts). */
export const NGINX: DebianNeed = { pkg: 'nginx', file: '/usr/sbin/nginx' };
/** The load generator of the benchmarks (bench/load.ts). */
export const WRK: DebianNeed = { pkg: 'wrk', file: '/usr/bin/wrk' };
/** OpenLDAP for the LDAP module's tests (test/harness/slapd.ts); openssl makes its certificates. */
export const SLAPD: DebianNeed = { pkg: 'slapd', file: '/usr/sbin/slapd' };
export const LDAP_UTILS: DebianNeed = { pkg: 'ldap-utils', file: '/usr/bin/ldapsearch' };
export const OPENSSL: DebianNeed = { pkg: 'openssl', file: '/usr/bin/openssl' };
/** Copies releases and uploads to the web nodes of a cluster (modules/cluster/web, core/files). */
export const RSYNC: DebianNeed = { pkg: 'rsync', file: '/usr/bin/rsync' };
/** Everything the test harness starts or drives. */
export const TEST_NEEDS: DebianNeed[] = [MARIADB, MEMCACHED, CHROMIUM, NGINX, SLAPD, LDAP_UTILS, OPENSSL, RSYNC];
/** Rotation of the portal log with the documented config (docs/examples/logrotate/portal). */
export const LOGROTATE: DebianNeed = { pkg: 'logrotate', file: '/usr/sbin/logrotate' };

let updated = false;

/**
 * Installs missing Debian packages with apt-get (CI runs as root). Service start-up
 * is blocked with policy-rc.d so the packages' own daemons never start; the harness
 * runs private instances instead.
 */
export async function ensureDebianPackages(needs: DebianNeed[], log: (line: string) => void = console.log): Promise<void> {
  const missing = needs.filter((n) => !existsSync(n.file));
  if (missing.length === 0) return;
  const names = missing.map((n) => n.pkg);
  if (process.getuid?.() !== 0) {
    throw new Error(`test harness needs Debian packages ${names.join(', ')}; install them (sudo apt-get install ${names.join(' ')}) or run as root`);
  }
  log(`harness: installing ${names.join(', ')} with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const policy = '/usr/sbin/policy-rc.d';
  const hadPolicy = existsSync(policy);
  if (!hadPolicy) await execa('sh', ['-c', `printf '#!/bin/sh\\nexit 101\\n' > ${policy} && chmod +x ${policy}`]);
  try {
    if (!updated) {
      await execa('apt-get', ['update', '-qq'], { env });
      updated = true;
    }
    await execa('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...names], { env });
  } finally {
    if (!hadPolicy) await execa('rm', ['-f', policy]);
  }
  const still = missing.filter((n) => !existsSync(n.file));
  if (still.length) throw new Error(`apt-get finished but ${still.map((n) => n.file).join(', ')} is still missing`);
}
