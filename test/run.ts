/**
 * `npm test`: installs missing Debian packages, starts private MariaDB, memcached and slapd on
 * loopback ports, runs the whole mocha suite in the first time zone (UTC), the suites that
 * handle dates (test/date-suites.ts) again in each further zone (a non-UTC zone with DST;
 * with arguments such as --grep, every zone runs the whole suite), then the HTTP and admin suites once more on MariaDB with memcached as
 * the kernels' cache (the production path: on a full run, or with PORTAL_TEST_CACHE_PASS=1
 * next to a --grep), stops the services and prints one closing line "N passed, N failed".
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { projectRoot } from '../core/config/paths.js';
import { ensureDebianPackages, TEST_NEEDS } from './harness/debian.js';
import { startMariaDb, startMemcached, type RunningService } from './harness/services.js';
import { slapdEnv, startSlapd } from './harness/slapd.js';
import { dateSuiteSpecs } from './date-suites.js';

const zones = (process.env.PORTAL_TEST_TZ ?? 'UTC,America/Sao_Paulo').split(',').map((z) => z.trim()).filter(Boolean);
const extraArgs = process.argv.slice(2);
const mocha = path.join(projectRoot, 'node_modules/mocha/bin/mocha.js');
const cachePass = process.env.PORTAL_TEST_CACHE_PASS === '1' || (extraArgs.length === 0 && process.env.PORTAL_TEST_CACHE_PASS !== '0');

/** Mocha arguments for a pass over `files` only: the options of .mocharc.json without its spec. */
function ownSpec(files: string[]): string[] {
  const rc = JSON.parse(readFileSync(path.join(projectRoot, '.mocharc.json'), 'utf8')) as Record<string, unknown>;
  const args = ['--no-config'];
  for (const [name, value] of Object.entries(rc)) {
    if (name === 'spec') continue;
    for (const v of Array.isArray(value) ? value : [value]) args.push(v === true ? `--${name}` : `--${name}=${String(v)}`);
  }
  return [...args, ...files];
}

async function main(): Promise<number> {
  await ensureDebianPackages(TEST_NEEDS);
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'portal-services-'));
  const services: RunningService[] = [];
  let passed = 0;
  let failed = 0;
  let exitCode = 0;
  try {
    const [db, mc, ldap] = await Promise.all([startMariaDb(path.join(tmp, 'mariadb')), startMemcached(), startSlapd(path.join(tmp, 'slapd'))]);
    services.push(db, mc, ldap);
    console.log(`harness: MariaDB at ${db.url}, memcached at ${mc.url}, slapd at ${ldap.url}`);
    const passes = zones.map((tz, i) =>
      i === 0 || extraArgs.length ? { label: `TZ=${tz}`, tz, args: extraArgs, env: {} } : { label: `TZ=${tz}, the suites that handle dates`, tz, args: ownSpec(dateSuiteSpecs()), env: {} },
    );
    if (cachePass) {
      const args = [...ownSpec(['dist/test/http/**/*.test.js', 'dist/test/admin/**/*.test.js']), ...(extraArgs.length ? extraArgs : ['--grep', '\\[mariadb\\]'])];
      passes.push({ label: 'HTTP and admin on MariaDB with memcached as the cache, TZ=UTC', tz: 'UTC', args, env: { PORTAL_TEST_CACHE: 'memcached' } });
    }
    for (const { label, tz, args, env } of passes) {
      console.log(`\n=== mocha, ${label} ===`);
      const run = execa(process.execPath, [mocha, ...args], {
        cwd: projectRoot,
        env: { ...process.env, ...env, TZ: tz, PORTAL_TEST_MYSQL: db.url, PORTAL_TEST_MEMCACHED: mc.url, ...slapdEnv(ldap) },
        stdout: ['pipe', 'inherit'],
        stderr: 'inherit',
        reject: false,
        lines: true,
      });
      const result = await run;
      const out = (result.stdout as unknown as string[]).join('\n');
      const p = /(\d+) passing/.exec(out);
      const f = /(\d+) failing/.exec(out);
      passed += p ? Number(p[1]) : 0;
      failed += f ? Number(f[1]) : 0;
      if (result.exitCode !== 0) exitCode = 1;
      if (!p && !f) {
        console.error(`harness: mocha (${label}) ran no test (exit ${result.exitCode})`);
        exitCode = 1;
      }
    }
  } finally {
    await Promise.all(services.map((s) => s.stop()));
    rmSync(tmp, { recursive: true, force: true });
  }
  console.log(`\n${passed} passed, ${failed} failed`);
  return failed > 0 ? 1 : exitCode;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`harness: ${(err as Error).message}`);
    process.exit(1);
  },
);
