/**
 * `npm run bench:ldap` (see docs/ldap.md, "Benchmarks"): the LDAP module against a private
 * slapd on loopback. Seeds BENCH_LDAP_USERS users (default 10,000) in BENCH_LDAP_GROUPS
 * groups (default 200, a tenth of them nested in another) through the running server, then
 * times on SQLite and on a private MariaDB: (a) the first full sync (everyone created),
 * (b) a sync with no changes, (c) directory sign-in (search, bind, groups, user update)
 * one at a time, p50 and p99. Prints a table with the aims, writes bench/results/ldap-<timestamp>.json.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'ldapts';
import { projectRoot } from '../core/config/paths.js';
import type { Principal } from '../core/services.js';
import type { DbKind } from '../test/harness/db-matrix.js';
import { ensureDebianPackages, MARIADB, OPENSSL, SLAPD } from '../test/harness/debian.js';
import { bootTestKernel } from '../test/harness/kernel.js';
import { startMariaDb, type RunningService } from '../test/harness/services.js';
import { LDAP_ADMIN_DN, LDAP_ADMIN_PASSWORD, LDAP_SERVICE_DN, LDAP_SERVICE_PASSWORD, LDAP_SUFFIX, startSlapd, type RunningSlapd } from '../test/harness/slapd.js';
import { latencyOf, table, type Latency } from './lib.js';

const whole = (name: string, fallback: number) => {
  const n = Number((process.env[name] ?? '').replace(/_/g, '') || fallback);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`${name} must be a whole number`);
  return n;
};
const settings = { users: whole('BENCH_LDAP_USERS', 10_000), groups: whole('BENCH_LDAP_GROUPS', 200), signIns: whole('BENCH_LDAP_SIGN_INS', 300), pageSize: whole('BENCH_LDAP_PAGE', 500) };
const AIMS = { fullSyncSeconds: 10, unchangedSyncSeconds: 3 };
const ADMIN: Principal = { userId: null, groupIds: [], isAdmin: true };
const BASE = `ou=bench,${LDAP_SUFFIX}`;
const log = (line: string) => console.error(`${new Date().toISOString().slice(11, 19)} ${line}`);
const uid = (i: number) => `bench${String(i).padStart(5, '0')}`;
const userDn = (i: number) => `uid=${uid(i)},ou=Dept${i % 20},ou=people,${BASE}`;

async function seed(url: string): Promise<void> {
  const c = new Client({ url, timeout: 30_000 });
  await c.bind(LDAP_ADMIN_DN, LDAP_ADMIN_PASSWORD);
  await c.add(BASE, { objectClass: 'organizationalUnit', ou: 'bench' });
  await c.add(`ou=people,${BASE}`, { objectClass: 'organizationalUnit', ou: 'people' });
  await c.add(`ou=groups,${BASE}`, { objectClass: 'organizationalUnit', ou: 'groups' });
  for (let d = 0; d < 20; d++) await c.add(`ou=Dept${d},ou=people,${BASE}`, { objectClass: 'organizationalUnit', ou: `Dept${d}` });
  const pending: Promise<void>[] = [];
  for (let i = 0; i < settings.users; i++) {
    pending.push(c.add(userDn(i), { objectClass: 'inetOrgPerson', uid: uid(i), cn: `Bench ${i}`, sn: `Family${i}`, givenName: `Given${i}`, mail: `${uid(i)}@example.com`, title: 'Clerk', userPassword: `pw-${uid(i)}` }));
    if (pending.length >= 64) await Promise.all(pending.splice(0));
    if (i % 2000 === 0) log(`seeded ${i} users`);
  }
  await Promise.all(pending);
  for (let g = 0; g < settings.groups; g++) {
    const members: string[] = [];
    for (let i = g; i < settings.users; i += settings.groups) members.push(userDn(i));
    if (g % 10 === 1) members.push(`cn=group${g - 1},ou=groups,${BASE}`);
    await c.add(`cn=group${g},ou=groups,${BASE}`, { objectClass: 'groupOfNames', cn: `group${g}`, member: members });
  }
  await c.unbind();
}

interface Run {
  db: DbKind;
  fullSyncSeconds: number;
  created: number;
  unchangedSyncSeconds: number;
  unchanged: number;
  signIn: Latency;
}

async function runOn(db: DbKind, slapd: RunningSlapd): Promise<Run> {
  const t = await bootTestKernel(db);
  try {
    await t.kernel.modules.install('ldap');
    const api = t.kernel.api('ldap');
    const server = await api.addServer(ADMIN, { code: 'bench', url: slapd.url, bindDn: LDAP_SERVICE_DN, bindPassword: LDAP_SERVICE_PASSWORD, baseDn: `ou=people,${BASE}`, groupBaseDn: `ou=groups,${BASE}`, pageSize: settings.pageSize, departments: 'ou' });
    for (let g = 0; g < settings.groups; g += 4) {
      const group = await t.kernel.groups.create({ code: `bench_${g}`, name: `Bench ${g}` });
      await api.addGroupMap(ADMIN, server.id, { ldapGroup: `cn=group${g},ou=groups,${BASE}`, groupId: group.id });
    }
    log(`${db}: full sync`);
    let t0 = performance.now();
    const full = await api.sync(ADMIN, server.id, { trigger: 'cli' });
    const fullSyncSeconds = (performance.now() - t0) / 1000;
    if (full.status !== 'ok' || full.created !== settings.users) throw new Error(`full sync: ${JSON.stringify(full)}`);
    log(`${db}: sync with no changes`);
    t0 = performance.now();
    const again = await api.sync(ADMIN, server.id, { trigger: 'cli' });
    const unchangedSyncSeconds = (performance.now() - t0) / 1000;
    log(`${db}: ${settings.signIns} sign-ins`);
    const samples: number[] = [];
    for (let k = 0; k < settings.signIns; k++) {
      const i = (k * 7919) % settings.users;
      const s = performance.now();
      await t.kernel.users.authenticate(uid(i), `pw-${uid(i)}`, `127.1.${k % 250}.${Math.floor(k / 250)}`);
      samples.push(performance.now() - s);
    }
    return { db, fullSyncSeconds: round(fullSyncSeconds), created: full.created, unchangedSyncSeconds: round(unchangedSyncSeconds), unchanged: again.unchanged, signIn: latencyOf(samples) };
  } finally {
    await t.close();
  }
}

const round = (x: number) => Math.round(x * 100) / 100;

async function main(): Promise<void> {
  await ensureDebianPackages([MARIADB, SLAPD, OPENSSL]);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'portal-bench-ldap-'));
  let slapd: RunningSlapd | undefined;
  let maria: RunningService | undefined;
  const runs: Run[] = [];
  try {
    slapd = await startSlapd(path.join(dir, 'slapd'));
    log(`seeding ${settings.users} users and ${settings.groups} groups into slapd at ${slapd.url}`);
    await seed(slapd.url);
    runs.push(await runOn('sqlite', slapd));
    maria = await startMariaDb(path.join(dir, 'mariadb'));
    process.env.PORTAL_TEST_MYSQL = maria.url;
    runs.push(await runOn('mariadb', slapd));
  } finally {
    await maria?.stop();
    await slapd?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(table(runs.map((r) => ({
    db: r.db,
    'full sync (s)': `${r.fullSyncSeconds} (aim ≤ ${AIMS.fullSyncSeconds})`,
    created: r.created,
    'no-change sync (s)': `${r.unchangedSyncSeconds} (aim ≤ ${AIMS.unchangedSyncSeconds})`,
    unchanged: r.unchanged,
    'sign-in p50 (ms)': r.signIn.p50,
    'sign-in p99 (ms)': r.signIn.p99,
  }))));
  for (const r of runs) {
    if (r.fullSyncSeconds > AIMS.fullSyncSeconds) console.log(`${r.db}: the full sync missed its aim`);
    if (r.unchangedSyncSeconds > AIMS.unchangedSyncSeconds) console.log(`${r.db}: the no-change sync missed its aim`);
  }
  console.log(`\n${settings.users} users, ${settings.groups} groups (${settings.groups / 4} mapped), page size ${settings.pageSize}, departments from 20 OUs; ${os.cpus().length} cores, Node ${process.version}.`);
  mkdirSync(path.join(projectRoot, 'bench/results'), { recursive: true });
  const file = path.join(projectRoot, 'bench/results', `ldap-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), node: process.version, cores: os.cpus().length, cpu: os.cpus()[0]?.model, settings, runs }, null, 2));
  console.log(`results written to ${path.relative(projectRoot, file)}`);
}

main().catch((err: unknown) => {
  console.error(`bench ldap: ${(err as Error).stack ?? String(err)}`);
  process.exit(1);
});
