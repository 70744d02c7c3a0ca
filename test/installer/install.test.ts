import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Kernel } from '../../core/kernel.js';
import { silentLogger } from '../../core/log/logger.js';
import { discoverModules } from '../../core/modules/discover.js';
import type { ModuleDefinition } from '../../core/modules/types.js';
import { generatePassword } from '../../installer/admin.js';
import { installPortal } from '../../installer/install.js';
import { planInstall } from '../../installer/plan-modules.js';
import type { InstallUi, MigrationEvent } from '../../installer/types.js';
import { createTestEnv, describeEachDb, type TestEnv } from '../harness/db-matrix.js';
import { fakeModule } from './fixtures.js';

function recordingUi(): InstallUi & { steps: string[]; migrations: MigrationEvent[] } {
  const steps: string[] = [];
  const migrations: MigrationEvent[] = [];
  return { steps, migrations, step: (m) => void steps.push(m), warn: () => undefined, migration: (e) => void migrations.push(e), done: () => undefined };
}

async function withKernel<T>(env: TestEnv, defs: ModuleDefinition[], fn: (k: Kernel) => Promise<T>): Promise<T> {
  const kernel = await Kernel.boot(env.config, { log: silentLogger(), definitions: defs });
  try {
    return await fn(kernel);
  } finally {
    await kernel.close();
  }
}

describeEachDb('installPortal', (kind) => {
  let env: TestEnv;
  let defs: ModuleDefinition[];

  before(async () => {
    env = await createTestEnv(kind);
    defs = [...(await discoverModules()), fakeModule('ialpha'), fakeModule('ibeta', { dependsOn: { ialpha: '^1.0.0' } })];
  });
  after(async () => env?.cleanup());

  it('installs main, the chosen modules after their dependencies, and the admin; reports migrations', async () => {
    const ui = recordingUi();
    const result = await installPortal(
      { config: env.config, env: {}, definitions: defs, modules: ['ibeta'], adminLogin: 'chief', adminEmail: 'chief@example.com', adminPassword: 'Chief-pass-1' },
      ui,
    );
    assert.deepEqual(result.installedNow, ['main', 'ialpha', 'ibeta']);
    assert.deepEqual(result.modules, ['main', 'ialpha', 'ibeta']);
    assert.equal(result.generatedPassword, undefined);
    assert.equal(result.reinstalled, false);
    assert.equal(result.dbUrl, env.config.db.url);
    const mainEvents = ui.migrations.filter((e) => e.module === 'main');
    assert.ok(mainEvents.length > 0);
    assert.deepEqual(mainEvents.map((e) => e.index), [...mainEvents.keys()]);
    assert.ok(mainEvents.every((e) => e.total === mainEvents.length && e.direction === 'up'));
    assert.ok(ui.steps.includes('Installing module ibeta'));
    assert.equal(statSync(result.settingsFile).mode & 0o777, 0o600);
    assert.deepEqual(JSON.parse(readFileSync(result.settingsFile, 'utf8')), { db: { url: env.config.db.url }, cache: { driver: 'memory', servers: [] } });
    await withKernel(env, defs, async (k) => {
      const chief = await k.users.authenticate('chief', 'Chief-pass-1', '127.0.0.1');
      assert.equal(chief.isAdmin, true);
      assert.equal(await k.db('ibeta').hasTable('t1'), true);
    });
  });

  it('refuses to run again over the installed portal', async () => {
    await assert.rejects(installPortal({ config: env.config, env: {}, definitions: defs }), { code: 'ALREADY_INSTALLED', message: /--force/ });
  });

  it('refuses when var/settings.json points at an installed DB, even for another target DB', async () => {
    const other = `sqlite:${path.join(env.dir, 'other.db')}`;
    await assert.rejects(installPortal({ config: env.config, env: {}, dbUrl: other, definitions: defs }), { code: 'ALREADY_INSTALLED' });
    assert.equal(existsSync(path.join(env.dir, 'other.db')), false);
  });

  it('--force applies new migrations, adds modules and a second admin, keeps every row', async () => {
    const v2 = defs.map((d) => (d.id === 'ialpha' ? fakeModule('ialpha', { migrations: 2 }) : d));
    const result = await installPortal(
      { config: env.config, env: {}, definitions: v2, force: true, adminLogin: 'deputy', adminEmail: 'deputy@example.com', demo: true },
      recordingUi(),
    );
    assert.equal(result.reinstalled, true);
    assert.deepEqual(result.installedNow, []);
    assert.ok(result.generatedPassword, 'a new admin account gets a generated password');
    await withKernel(env, v2, async (k) => {
      assert.equal(await k.db('ialpha').hasTable('t2'), true);
      assert.equal((await k.users.authenticate('chief', 'Chief-pass-1', '127.0.0.1')).isAdmin, true);
      assert.equal((await k.users.authenticate('deputy', result.generatedPassword!, '127.0.0.1')).isAdmin, true);
      assert.ok(await k.users.findByLogin('ivan.petrov'), 'demo users added');
      assert.ok((await k.groups.list()).some((g) => g.code === 'demo'));
    });
  });

  it('--force over an existing admin keeps their password unless one is given', async () => {
    const again = await installPortal({ config: env.config, env: {}, definitions: defs, force: true, adminLogin: 'chief', adminEmail: 'chief@example.com', demo: true });
    assert.equal(again.generatedPassword, undefined);
    await withKernel(env, defs, (k) => k.users.authenticate('chief', 'Chief-pass-1', '127.0.0.1'));
  });
});

describeEachDb('installPortal defaults', (kind) => {
  let env: TestEnv;
  before(async () => {
    env = await createTestEnv(kind);
  });
  after(async () => env?.cleanup());

  it('takes the admin from PORTAL_ADMIN_* variables', async () => {
    const vars = { PORTAL_ADMIN_LOGIN: 'boss', PORTAL_ADMIN_PASSWORD: 'Boss-pass-123', PORTAL_ADMIN_EMAIL: 'boss@example.com' };
    const result = await installPortal({ config: env.config, env: vars });
    assert.deepEqual(result.modules, ['main', 'infoblocks'], 'without a module list: main and the standard set');
    assert.equal(result.adminLogin, 'boss');
    assert.equal(result.generatedPassword, undefined);
    await withKernel(env, await discoverModules(), async (k) => assert.equal((await k.users.authenticate('boss', 'Boss-pass-123', '127.0.0.1')).email, 'boss@example.com'));
  });
});

describeEachDb('installPortal in Russian (--language ru)', (kind) => {
  let env: TestEnv;
  before(async () => {
    env = await createTestEnv(kind);
  });
  after(async () => env?.cleanup());

  it('makes a Russian site whose groups, administrator and demo employees are named in Russian', async function () {
    this.timeout(60_000);
    await installPortal({ config: env.config, env: {}, siteLanguage: ' RU ', demo: true, adminPassword: 'Boss-pass-123' });
    await withKernel(env, await discoverModules(), async (k) => {
      assert.equal((await k.sites.list())[0]!.language, 'ru');
      const groups = new Map((await k.groups.list()).map((g) => [g.code, g.name]));
      assert.deepEqual([groups.get('administrators'), groups.get('everyone'), groups.get('registered'), groups.get('demo')], ['Администраторы', 'Все', 'Зарегистрированные пользователи', 'Демо-сотрудники']);
      assert.equal((await k.users.findByLogin('admin'))!.name, 'Администратор');
      const ivan = (await k.users.findByLogin('ivan.petrov'))!;
      assert.deepEqual([ivan.name, ivan.lastName, ivan.position], ['Иван', 'Петров', 'Ведущий разработчик']);
      assert.equal((await k.users.departments.get(ivan.departmentId!)).name, 'Разработка');
      assert.deepEqual((await k.users.departments.list()).map((d) => d.name).sort(), ['Бухгалтерия', 'Отдел кадров', 'Отдел продаж', 'Разработка']);
    });
  });

  it('running the demo again adds no second set of departments', async function () {
    this.timeout(60_000);
    await installPortal({ config: env.config, env: {}, force: true, demo: true });
    await withKernel(env, await discoverModules(), async (k) => assert.equal((await k.users.departments.list()).length, 4));
  });
});

describe('installPortal: checks before writing', () => {
  let env: TestEnv;
  before(async () => {
    env = await createTestEnv('sqlite');
  });
  after(async () => env?.cleanup());

  it('stops on a failed check (unreachable memcached) before writing anything', async () => {
    await assert.rejects(installPortal({ config: env.config, cache: 'memcached://127.0.0.1:1', env: {} }), {
      code: 'INSTALL_CHECKS_FAILED',
      message: /^install checks failed: cache: memcached 127\.0\.0\.1:1 does not answer/,
    });
    assert.equal(existsSync(path.join(env.dir, 'settings.json')), false);
    assert.equal(existsSync(path.join(env.dir, 'portal.db')), false);
  });

  it('rejects bad admin input with the field named', async () => {
    await assert.rejects(installPortal({ config: env.config, adminEmail: 'nope', env: {} }), { code: 'USER_EMAIL_INVALID', message: /^administrator: / });
    await assert.rejects(installPortal({ config: env.config, adminLogin: 'x', env: {} }), { code: 'USER_LOGIN_INVALID' });
    await assert.rejects(installPortal({ config: env.config, adminPassword: '\u0000'.repeat(10), env: {} }), { code: 'PASSWORD_WEAK', message: /^administrator: .*8 to 256 characters/ });
    assert.equal(existsSync(path.join(env.dir, 'portal.db')), false, 'nothing written');
  });
});

describe('planInstall', () => {
  const available = new Map(
    [fakeModule('main', { dependsOn: {} }), fakeModule('pa'), fakeModule('pb', { dependsOn: { pa: '^1.0.0' } }), fakeModule('pc', { dependsOn: { gone: '^1.0.0' } })].map(
      (d) => [d.id, d] as const,
    ),
  );

  it('adds dependencies first and skips installed modules', () => {
    assert.deepEqual(planInstall(available, ['pb'], (id) => id === 'main'), ['pa', 'pb']);
    assert.deepEqual(planInstall(available, ['pb'], (id) => id !== 'pc'), []);
  });

  it('names an unknown module or a missing dependency', () => {
    assert.throws(() => planInstall(available, ['nope'], () => false), { code: 'MODULE_NOT_FOUND' });
    assert.throws(() => planInstall(available, ['pc'], () => false), { code: 'MODULE_DEPENDENCY_MISSING', message: /"pc" needs module "gone"/ });
  });
});

describe('generatePassword', () => {
  it('gives 20 unambiguous characters, different every time', () => {
    const a = generatePassword();
    assert.match(a, /^[A-HJ-NP-Za-km-z2-9]{20}$/);
    assert.notEqual(a, generatePassword());
  });
});
