import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { PortalConfig } from '../../core/config/types.js';
import { discoverModules } from '../../core/modules/discover.js';
import type { ModuleDefinition } from '../../core/modules/types.js';
import { runDoctor, type DoctorCheck } from '../../installer/doctor.js';
import { installPortal } from '../../installer/install.js';
import { createTestEnv, describeEachDb, memcachedServer, mysqlServerUrl, type TestEnv } from '../harness/db-matrix.js';
import { startSmtpServer } from '../harness/smtp.js';
import { fakeModule } from './fixtures.js';

const byId = (checks: DoctorCheck[]) => Object.fromEntries(checks.map((c) => [c.id, c]));
const withConfig = (config: PortalConfig, patch: (c: PortalConfig) => void): PortalConfig => {
  const copy = structuredClone(config);
  patch(copy);
  return copy;
};

describeEachDb('runDoctor', (kind) => {
  let env: TestEnv;
  let defs: ModuleDefinition[];

  before(async () => {
    env = await createTestEnv(kind);
    defs = [...(await discoverModules()), fakeModule('dalpha')];
  });
  after(async () => env?.cleanup());

  it('reports every check with id, title, status and message; migrations are skipped before install', async () => {
    const checks = await runDoctor(env.config, { definitions: defs });
    assert.deepEqual(checks.map((c) => c.id), ['node', 'db', 'cache', 'dirs', 'migrations', 'mail', 'http']);
    assert.ok(checks.every((c) => c.title && c.message));
    const c = byId(checks);
    assert.equal(c.node!.status, 'ok');
    assert.match(c.node!.message, /^Node\.js \d+\.\d+/);
    assert.match(c.db!.message, kind === 'sqlite' ? /^SQLite 3\.\d+/ : /^(MariaDB|MySQL) \d+\.\d+/);
    assert.equal(c.cache!.status, 'ok');
    assert.equal(c.dirs!.status, 'ok');
    assert.equal(c.migrations!.status, 'skip');
    assert.equal(c.mail!.status, 'warn');
    assert.match(c.mail!.message, /mail stays queued/);
  });

  it('runs only the checks guarding the given commands', async () => {
    assert.deepEqual((await runDoctor(env.config, { only: ['install'] })).map((c) => c.id), ['node', 'db', 'cache', 'dirs', 'mail', 'http']);
    assert.deepEqual((await runDoctor(env.config, { only: ['update'] })).map((c) => c.id), ['node', 'db', 'migrations']);
  });

  it('after install: the DB says installed, migrations are ok, then pending ones are a warning', async () => {
    await installPortal({ config: env.config, env: {}, definitions: defs, modules: ['dalpha'], adminPassword: 'Admin-pass-1' });
    const c = byId(await runDoctor(env.config, { definitions: defs }));
    assert.equal(c.db!.status, 'ok');
    assert.match(c.db!.message, /portal installed \(main \d+\.\d+\.\d+\)/);
    assert.equal(c.migrations!.status, 'ok');
    const newer = defs.map((d) => (d.id === 'dalpha' ? fakeModule('dalpha', { migrations: 3 }) : d));
    const after = byId(await runDoctor(env.config, { only: ['update'], definitions: newer }));
    assert.equal(after.migrations!.status, 'warn');
    assert.match(after.migrations!.message, /^2 pending: dalpha \(2\); run `portal migrate up`/);
  });

  it('checks memcached and SMTP for real', async () => {
    const smtp = await startSmtpServer();
    try {
      const good = withConfig(env.config, (c) => {
        c.cache = { ...c.cache, driver: 'memcached', servers: [memcachedServer()] };
        c.mail.smtpUrl = smtp.url;
      });
      const ok = byId(await runDoctor(good, { only: ['install'] }));
      assert.equal(ok.cache!.status, 'ok');
      assert.equal(ok.mail!.status, 'ok', ok.mail!.message);
    } finally {
      await smtp.stop();
    }
    const bad = withConfig(env.config, (c) => {
      c.cache = { ...c.cache, driver: 'memcached', servers: ['127.0.0.1:1'] };
      c.mail.smtpUrl = 'smtp://u:secret@127.0.0.1:1';
    });
    const failed = byId(await runDoctor(bad, { only: ['install'] }));
    assert.equal(failed.cache!.status, 'fail');
    assert.equal(failed.mail!.status, 'fail');
    assert.doesNotMatch(failed.mail!.message, /secret/);
  });
});

describe('runDoctor: database and directory failures', () => {
  let env: TestEnv;
  before(async () => {
    env = await createTestEnv('sqlite');
  });
  after(async () => env?.cleanup());

  it('an unreachable server fails the db check with the password hidden', async () => {
    const config = withConfig(env.config, (c) => (c.db.url = 'mysql://nobody:hunter2@127.0.0.1:1/portal'));
    const db = byId(await runDoctor(config, { only: ['install'] })).db!;
    assert.equal(db.status, 'fail');
    assert.match(db.message, /^cannot connect to mysql:\/\/nobody:\*\*\*@127\.0\.0\.1:1\/portal: /);
  });

  it('a missing MariaDB database is a warning, and fine before an install', async () => {
    const config = withConfig(env.config, (c) => (c.db.url = `${mysqlServerUrl()}/t_missing_db`));
    const general = byId(await runDoctor(config)).db!;
    assert.equal(general.status, 'warn');
    assert.match(general.message, /database "t_missing_db" does not exist yet/);
    assert.equal(byId(await runDoctor(config, { only: ['install'] })).db!.status, 'ok');
  });

  it('a var dir that cannot be created fails the dirs check', async () => {
    const file = path.join(env.dir, 'a-file');
    writeFileSync(file, 'x');
    const config = withConfig(env.config, (c) => {
      c.paths.var = path.join(file, 'var');
      c.paths.upload = path.join(file, 'var/upload');
    });
    const dirs = byId(await runDoctor(config, { only: ['start'] })).dirs!;
    assert.equal(dirs.status, 'fail');
    assert.match(dirs.message, /is a file/);
  });
});
