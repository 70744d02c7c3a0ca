import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import { describeEachDb, mysqlServerUrl } from '../harness/db-matrix.js';
import { assertOneLineError, freshPortal, ok, runCli, shownPasswords, withPortalKernel, type CliPortal } from './cli-harness.js';

describeEachDb('portal install (CLI)', (kind) => {
  let portal: CliPortal;
  let adminPassword: string;

  before(async () => {
    portal = await freshPortal(kind);
  });
  after(async () => portal?.cleanup());

  it('installs from flags without asking anything and prints the generated admin password once', async () => {
    const r = await runCli(['install', '--yes', '--site-name', 'Acme intranet', '--admin-email', 'boss@example.com'], portal.env);
    const out = ok(r);
    assert.match(out, /Portal installed \(modules: main, infoblocks\)/, 'the standard set by default');
    const passwords = shownPasswords(out);
    assert.equal(passwords.length, 1, out);
    adminPassword = passwords[0]!;
    assert.ok(adminPassword.length >= 16);
    assert.equal(out.split(adminPassword).length - 1, 1, 'the password appears exactly once');
    assert.match(r.stderr, /Installing module main/);
    const settings = path.join(portal.dir, 'settings.json');
    assert.equal(statSync(settings).mode & 0o777, 0o600);
    assert.equal((JSON.parse(readFileSync(settings, 'utf8')) as { db: { url: string } }).db.url, portal.db.url);
  });

  it('the generated password signs the administrator in', async () => {
    await withPortalKernel(portal.env, async (kernel) => {
      const admin = await kernel.users.authenticate('admin', adminPassword, '127.0.0.1');
      assert.equal(admin.isAdmin, true);
      assert.equal(admin.email, 'boss@example.com');
      assert.equal((await kernel.sites.list())[0]!.name, 'Acme intranet');
    });
  });

  it('refuses a second install without --force', async () => {
    const r = await runCli(['install', '--yes'], portal.env);
    assertOneLineError(r, /already installed.*--force.*\[ALREADY_INSTALLED\]$/);
  });

  it('--force re-runs the steps over the data: nothing dropped, no new password', async () => {
    await withPortalKernel(portal.env, (k) => k.users.create({ login: 'keeper', email: 'keeper@example.com', password: 'keeper-pass-1' }));
    const out = ok(await runCli(['install', '--force', '--yes'], portal.env));
    assert.match(out, /no data was dropped/);
    assert.deepEqual(shownPasswords(out), []);
    await withPortalKernel(portal.env, async (kernel) => {
      assert.ok(await kernel.users.findByLogin('keeper'));
      assert.equal((await kernel.users.authenticate('admin', adminPassword, '127.0.0.1')).isAdmin, true);
    });
  });

  it('--demo prints how the demo employees sign in, once, and the password works for each of them', async function () {
    this.timeout(60_000);
    const out = ok(await runCli(['install', '--force', '--yes', '--demo'], portal.env));
    assert.match(out, /Demo employees: the password is shown ONCE/);
    const logins = /\|\s+logins:\s+([^|]+?)\s+\|/.exec(out)?.[1]?.split(', ') ?? [];
    assert.ok(logins.length >= 3, out);
    const [password] = shownPasswords(out);
    assert.ok(password && password.length >= 16, out);
    assert.match(out, /signs in at \/auth\/login\/ with this password/);
    await withPortalKernel(portal.env, async (kernel) => {
      for (const login of logins) assert.equal((await kernel.users.authenticate(login, password, '127.0.0.1')).login, login);
    });
    const again = ok(await runCli(['install', '--force', '--yes', '--demo'], portal.env));
    assert.deepEqual(shownPasswords(again), [], 'no password for accounts that existed');
    assert.match(again, new RegExp(`Demo employees already there keep their passwords \\(${logins.join(', ')}\\); set one with \`portal user passwd <login>\``));
    await withPortalKernel(portal.env, (kernel) => kernel.users.authenticate(logins[0]!, password, '127.0.0.1'));
  });

  if (kind === 'mariadb') {
    it('creates a missing MariaDB database', async () => {
      const name = `t_new_${randomBytes(5).toString('hex')}`;
      const url = `${mysqlServerUrl()}/${name}`;
      const env = { ...portal.env, PORTAL_VAR_DIR: path.join(portal.dir, 'other'), PORTAL_DB_URL: url };
      try {
        const out = ok(await runCli(['install', '--yes', '--admin-password', 'Str0ng-enough'], env));
        assert.match(out, /\(created\)/);
        assert.deepEqual(shownPasswords(out), []);
        const conn = await mysql.createConnection(mysqlServerUrl());
        const [rows] = await conn.query('SELECT DEFAULT_CHARACTER_SET_NAME AS cs FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [name]);
        await conn.end();
        assert.deepEqual(rows, [{ cs: 'utf8mb4' }]);
        await withPortalKernel(env, async (k) => assert.equal((await k.users.authenticate('admin', 'Str0ng-enough', '127.0.0.1')).login, 'admin'));
      } finally {
        const conn = await mysql.createConnection(mysqlServerUrl());
        await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
        await conn.end();
      }
    });
  } else {
    it('puts the SQLite file under the var dir when no DB URL is given', async () => {
      const dir = path.join(portal.dir, 'default-db');
      const out = ok(await runCli(['install', '--yes', '--admin-password', 'Str0ng-enough'], { PORTAL_VAR_DIR: dir }));
      assert.match(out, /Portal installed/);
      assert.ok(existsSync(path.join(dir, 'portal.db')));
    });
  }
});

describe('portal install: bad input', () => {
  const env = { PORTAL_VAR_DIR: path.join(os.tmpdir(), `portal-cli-bad-${process.pid}`) };
  after(() => rmSync(env.PORTAL_VAR_DIR, { recursive: true, force: true }));

  it('an unsupported DB URL is one line on stderr', async () => {
    assertOneLineError(await runCli(['install', '--yes', '--db', 'foo://x'], env), /unsupported DB scheme "foo:".*\[DB_URL_INVALID\]$/);
  });

  it('a bad cache URL and a weak admin password are refused before anything is written', async () => {
    assertOneLineError(await runCli(['install', '--yes', '--db', 'sqlite::memory:', '--cache', 'redis://x'], env), /\[CONFIG_INVALID\]$/);
    assertOneLineError(
      await runCli(['install', '--yes', '--db', 'sqlite::memory:', '--admin-password', 'short'], env),
      /^portal: administrator: .*\[PASSWORD_WEAK\]$/,
    );
    assertOneLineError(
      await runCli(['install', '--yes', '--db', 'sqlite::memory:', '--admin-password', '\t'.repeat(12)], env),
      /^portal: administrator: The password does not meet the rule: .*no control characters.*\[PASSWORD_WEAK\]$/,
    );
    assert.equal(existsSync(path.join(env.PORTAL_VAR_DIR, 'settings.json')), false);
  });

  it('a language other than en or ru is refused before anything is written', async () => {
    assertOneLineError(await runCli(['install', '--yes', '--db', 'sqlite::memory:', '--language', 'de'], env), /site language must be en or ru, got "de" \[VALIDATION_FAILED\]$/);
    assert.equal(existsSync(path.join(env.PORTAL_VAR_DIR, 'settings.json')), false);
  });

  it('an unknown module is refused', async () => {
    assertOneLineError(await runCli(['install', '--yes', '--db', 'sqlite::memory:', '--modules', 'nope'], env), /Module "nope" does not exist \[MODULE_NOT_FOUND\]$/);
  });
});
