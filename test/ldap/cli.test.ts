import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { installPortal } from '../../installer/install.js';
import { describeEachDb } from '../harness/db-matrix.js';
import { LDAP_SERVICE_DN, LDAP_SERVICE_PASSWORD, slapdFromEnv } from '../harness/slapd.js';
import { assertOneLineError, freshPortal, ok, runCli, type CliPortal } from '../cli/cli-harness.js';
import { DirectoryFixture } from './directory-fixture.js';

describeEachDb('portal ldap (CLI)', (kind) => {
  let portal: CliPortal;
  let dir: DirectoryFixture;
  const cli = (...args: string[]) => runCli(args, portal.env);

  before(async function () {
    this.timeout(120_000);
    dir = await DirectoryFixture.create(slapdFromEnv().url, { users: 8 });
    portal = await freshPortal(kind);
    await installPortal({ env: portal.env, adminPassword: 'Admin-pass-123', modules: ['ldap'] });
    portal.env.LDAP_BIND = LDAP_SERVICE_PASSWORD;
  });
  after(async () => {
    await portal?.cleanup();
    await dir?.close();
  });

  it('server add takes the bind password from the environment; list never shows it', async function () {
    this.timeout(90_000); // several portal processes, each a cold start
    const ca = path.join(portal.dir, 'ca.pem');
    writeFileSync(ca, readFileSync(slapdFromEnv().caFile, 'utf8'));
    ok(await cli('ldap', 'server', 'add', 'corp', '--url', slapdFromEnv().url, '--start-tls', '--ca-file', ca, '--bind-dn', LDAP_SERVICE_DN, '--bind-password-env', 'LDAP_BIND', '--base-dn', dir.people, '--group-base-dn', dir.groups, '--page-size', '50'));
    const list = ok(await cli('ldap', 'server', 'list'));
    assert.match(list, /corp\tactive\tldap:\/\/127\.0\.0\.1:\d+ \(StartTLS\)/);
    assert.match(list, /bind password set/);
    const json = ok(await cli('ldap', 'server', 'list', '--json'));
    assert.ok(!json.includes(LDAP_SERVICE_PASSWORD));
  });

  it('server test binds over StartTLS with the CA and names a few users', async function () {
    this.timeout(90_000); // several portal processes, each a cold start
    assert.match(ok(await cli('ldap', 'server', 'test', 'corp')), /^ok: Connected to .* users: user00/m);
  });

  it('sync --dry-run changes nobody, sync creates, --json gives the counters, --progress reports the phases', async function () {
    this.timeout(90_000); // several portal processes, each a cold start
    const dry = await cli('ldap', 'sync', '--dry-run', '--progress');
    assert.match(ok(dry), /corp: run \d+ ok \(dry run\): created 10, updated 0, disabled 0, unchanged 0, errors 0/);
    assert.match(dry.stderr, /^corp: users read: 10$/m, 'progress of the read');
    assert.match(dry.stderr, /^corp: groups read: 6$/m);
    assert.match(dry.stderr, /^corp: people applied: 10$/m);
    const runs = JSON.parse(ok(await cli('ldap', 'sync', '--server', 'corp', '--json'))) as { server: string; run: { created: number; status: string } }[];
    assert.deepEqual(runs.map((r) => [r.server, r.run.status, r.run.created]), [['corp', 'ok', 10]]);
    assert.match(ok(await cli('ldap', 'sync')), /created 0, updated 0, disabled 0, unchanged 10, errors 0/);
  });

  it('search shows what the directory holds for a login, with nested groups; an injection payload finds nobody', async function () {
    this.timeout(90_000); // several portal processes, each a cold start
    const out = ok(await cli('ldap', 'search', 'user003'));
    assert.match(out, /^dn: uid=user003,ou=Sales,/m);
    assert.match(out, /^group: cn=devs,/m);
    assert.match(out, /^group: cn=engineering,/m);
    const star = await cli('ldap', 'search', '*)(uid=*');
    assert.equal(star.exitCode, 1);
    assert.match(star.stdout, /no single directory user matches/);
  });

  it('bad input is one line and a non-zero exit', async function () {
    this.timeout(90_000); // several portal processes, each a cold start
    assertOneLineError(await cli('ldap', 'server', 'add', 'x', '--url', 'http://nope', '--base-dn', 'dc=x'), /url must be ldap:\/\/host:port/);
    assertOneLineError(await cli('ldap', 'server', 'add', 'y', '--url', slapdFromEnv().url, '--base-dn', 'dc=x', '--bind-password-env', 'NOT_SET_ANYWHERE'), /NOT_SET_ANYWHERE is not set/);
    assertOneLineError(await cli('ldap', 'server', 'test', 'ghost'), /LDAP server ghost does not exist/);
  });

  it('a failed connection test exits non-zero; remove keeps the users it made', async function () {
    this.timeout(90_000); // several portal processes, each a cold start
    ok(await cli('ldap', 'server', 'add', 'down', '--url', 'ldap://127.0.0.1:1', '--base-dn', 'dc=example,dc=com'));
    const test = await cli('ldap', 'server', 'test', 'down');
    assert.equal(test.exitCode, 1);
    assert.match(test.stdout, /^failed: /);
    ok(await cli('ldap', 'server', 'remove', 'corp'));
    assert.match(ok(await cli('user', 'list')), /user001/);
  });
});
