import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, readlinkSync, realpathSync } from 'node:fs';
import { execa } from 'execa';
import { projectRoot } from '../../core/config/paths.js';
import path from 'node:path';
import type { Knex } from 'knex';
import { createKnex } from '../../core/db/connections.js';
import { parseDbUrl } from '../../core/db/db-url.js';
import { createTestDatabase, describeEachDb, type TestDatabase } from '../harness/db-matrix.js';
import { freePort } from '../harness/free-port.js';
import { assertOneLineError, ok, runCli } from '../cli/cli-harness.js';
import { ReleaseFixture } from './release-fixture.js';

const CREATE = "await db.schema.createTable(db.table('items'), (t) => { t.increments('id'); t.string('title', 100); });";
const ADD_COLUMN = "await db.schema.alterTable(db.table('items'), (t) => { t.string('note', 100); });";
const HALF_THEN_FAIL = "await db.schema.createTable(db.table('half'), (t) => { t.increments('id'); }); throw new Error('the 0.1.2 migration breaks');";

describeEachDb('portal upgrade and rollback between releases (CLI)', (kind) => {
  const fixture = new ReleaseFixture();
  let db: TestDatabase;
  let root: string;
  let current: string;
  let env: Record<string, string>;
  let next: string;
  const cli = (args: string[]) => runCli(args, env, { root: current, timeoutMs: 240_000 });
  /** Read straight from the database: fewer CLI boots keep the suite fast. */
  const query = async <T>(fn: (k: Knex) => Promise<T>): Promise<T> => {
    const knex = createKnex(parseDbUrl(kind === 'mariadb' ? db.url : `sqlite:${path.join(root, 'var', 'portal.db')}`), { min: 0, max: 1 });
    try {
      return await fn(knex);
    } finally {
      await knex.destroy();
    }
  };
  const migrations = () => query(async (k) => (await k('main_migrations').where({ module: 'bkt' }).orderBy('name').pluck('name')) as string[]);
  const hasKeeper = () => query(async (k) => Boolean(await k('main_users').where({ login: 'keeper' }).first()));
  const running = () => (JSON.parse(readFileSync(path.join(current, 'package.json'), 'utf8')) as { version: string }).version;

  before(async function () {
    this.timeout(180_000);
    db = await createTestDatabase(kind, fixture.dir);
    const a = await fixture.release('0.1.0', [{ name: '2026-12-01-01-create-items', up: CREATE }]);
    next = await fixture.release('0.1.1', [{ name: '2026-12-01-01-create-items', up: CREATE }, { name: '2026-12-02-01-add-note', up: ADD_COLUMN }]);
    ({ root, current } = await fixture.install(a));
    env = { PORTAL_HTTP_PORT: String(await freePort()), PORTAL_LOG_LEVEL: 'warn', ...(kind === 'mariadb' ? { PORTAL_DB_URL: db.url } : {}) };
    ok(await cli(['install', '--yes', '--admin-password', 'Admin-pass-123']));
    ok(await cli(['module', 'install', 'bkt']));
    ok(await cli(['user', 'add', 'keeper', '--email', 'keeper@example.com', '--password', 'Keeper-pass-123']));
  });
  after(async function () {
    this.timeout(120_000);
    // A pm2 daemon a timed-out test left behind must not outlive the run.
    for (const release of root && existsSync(path.join(root, 'releases')) ? readdirSync(path.join(root, 'releases')) : []) {
      const home = path.join(root, 'releases', release, '.pm2');
      if (existsSync(home)) await execa(process.execPath, [path.join(projectRoot, 'node_modules/pm2/bin/pm2'), 'kill'], { env: { PM2_HOME: realpathSync(home) }, reject: false });
    }
    await db?.drop();
    fixture.cleanup();
  });

  it('upgrades from a release to the next: beside it, with a backup, its migration, current switched and /readyz checked', async function () {
    this.timeout(180_000);
    const r = JSON.parse(ok(await cli(['upgrade', '--to', next, '--json']))) as { from: string; to: string; backup: string };
    assert.equal(r.from, '0.1.0');
    assert.equal(r.to, '0.1.1');
    assert.equal(readlinkSync(path.join(root, 'current')), path.join('releases', '0.1.1'));
    assert.ok(existsSync(path.join(root, 'releases', '0.1.0', 'bin/portal.js')), 'the previous release stays');
    assert.ok(r.backup.startsWith(path.join(root, 'releases', '0.1.0', 'var', 'backups', 'pre-upgrade-0.1.0-to-0.1.1-')) && existsSync(r.backup));
    assert.equal(running(), '0.1.1');
    assert.deepEqual(await migrations(), ['2026-12-01-01-create-items', '2026-12-02-01-add-note']);
    const state = JSON.parse(readFileSync(path.join(root, 'upgrade-state.json'), 'utf8')) as { current: string; previous: string; backup: string };
    assert.deepEqual([state.current, state.previous, state.backup], ['0.1.1', '0.1.0', r.backup]);
    assert.ok(await hasKeeper(), 'the data is there');
  });

  it('a restore of the older release\'s backup into the newer release runs its migrations', async function () {
    this.timeout(120_000);
    const state = JSON.parse(readFileSync(path.join(root, 'upgrade-state.json'), 'utf8')) as { backup: string };
    assert.match(ok(await cli(['restore', state.backup, '--yes'])), /\(release 0\.1\.0\).*; migrated bkt;/);
    assert.deepEqual(await migrations(), ['2026-12-01-01-create-items', '2026-12-02-01-add-note']);
  });

  it('upgrade --rollback goes back to the previous release and its backup', async function () {
    this.timeout(180_000);
    assert.match(ok(await cli(['upgrade', '--rollback'])), /^Rolled back from release 0\.1\.1 to 0\.1\.0; the database is the one of \S+pre-upgrade-0\.1\.0-to-0\.1\.1-\S+\.tar\.gz\.$/);
    assert.equal(readlinkSync(path.join(root, 'current')), path.join('releases', '0.1.0'));
    assert.equal(running(), '0.1.0');
    assert.deepEqual(await migrations(), ['2026-12-01-01-create-items']);
    assert.ok(await hasKeeper(), 'the data is there');
    assertOneLineError(await cli(['upgrade', '--rollback']), /release 0\.1\.0 was not installed by `portal upgrade`, so there is no previous release to go back to \[UPGRADE_REFUSED\]$/);
  });

  it('an upgrade whose migration fails rolls back to the working previous release', async function () {
    this.timeout(240_000);
    const broken = await fixture.pack(await fixture.release('0.1.2', [
      { name: '2026-12-01-01-create-items', up: CREATE },
      { name: '2026-12-03-01-half-then-fail', up: HALF_THEN_FAIL },
    ]));
    const r = await cli(['upgrade', '--to', broken]);
    assertOneLineError(r, /upgrade to 0\.1\.2 failed while running the migrations: .*the 0\.1\.2 migration breaks.*; rolled back to release 0\.1\.0 with its database from \S+pre-upgrade-0\.1\.0-to-0\.1\.2-\S+ \[UPGRADE_FAILED\]$/);
    assert.equal(readlinkSync(path.join(root, 'current')), path.join('releases', '0.1.0'));
    assert.equal(running(), '0.1.0');
    assert.deepEqual(await migrations(), ['2026-12-01-01-create-items']);
    const doctor = JSON.parse(ok(await cli(['doctor', '--json']))) as { checks: { id: string; status: string }[] };
    assert.equal(doctor.checks.find((c) => c.id === 'migrations')!.status, 'ok', 'nothing half-applied is left');
    assert.ok(await hasKeeper(), 'the data is there');
  });

  it('a portal under pm2 is stopped, migrated and started again from the new release', async function () {
    this.timeout(240_000);
    const pm2Home = path.join(root, 'releases', '0.1.0', '.pm2');
    try {
      ok(await cli(['start', '--daemon']));
      const upgraded = await fixture.release('0.1.3', [{ name: '2026-12-01-01-create-items', up: CREATE }, { name: '2026-12-02-01-add-note', up: ADD_COLUMN }]);
      assert.match(ok(await cli(['upgrade', '--to', upgraded])), /^Upgraded from release 0\.1\.0 to 0\.1\.3 \(running under pm2, 1 instance\)\. Backup taken before: /);
      const status = JSON.parse(ok(await cli(['status', '--json']))) as { status: string }[] | { processes?: { status: string }[] };
      assert.match(JSON.stringify(status), /"online"/);
      const res = await fetch(`http://127.0.0.1:${env.PORTAL_HTTP_PORT}/readyz`);
      assert.equal(res.status, 200);
      assert.deepEqual(await migrations(), ['2026-12-01-01-create-items', '2026-12-02-01-add-note']);
    } finally {
      await cli(['stop']);
      await execa(process.execPath, [path.join(projectRoot, 'node_modules/pm2/bin/pm2'), 'kill'], { env: { PM2_HOME: realpathSync(pm2Home) }, reject: false });
    }
  });

  it('refuses what is not an upgrade, in one line, changing nothing', async function () {
    this.timeout(60_000);
    assertOneLineError(await cli(['upgrade', '--to', path.join(fixture.dir, 'nothing-here')]), /no release at .*nothing-here \[RELEASE_INVALID\]$/);
    assertOneLineError(await cli(['upgrade', '--to', await fixture.base()]), /release 0\.1\.0 is older than the installed 0\.1\.3; go back with `portal upgrade --rollback` \[UPGRADE_REFUSED\]$/);
    assertOneLineError(await runCli(['upgrade', '--to', next], env), /does not run from a release install .*\[NOT_A_RELEASE_INSTALL\]$/);
    assert.equal(readlinkSync(path.join(root, 'current')), path.join('releases', '0.1.3'));
  });
});
