import assert from 'node:assert/strict';
import { installPortal } from '../../installer/install.js';
import { describeEachDb } from '../harness/db-matrix.js';
import { assertOneLineError, freshPortal, ok, runCli, shownPasswords, withPortalKernel, type CliPortal } from './cli-harness.js';

const ADMIN_PASSWORD = 'Admin-pass-123';

describeEachDb('portal commands (CLI)', (kind) => {
  let portal: CliPortal;
  const cli = (...args: string[]) => runCli(args, portal.env);
  const json = async <T>(...args: string[]): Promise<T> => JSON.parse(ok(await cli(...args))) as T;

  before(async () => {
    portal = await freshPortal(kind);
    await installPortal({ env: portal.env, adminPassword: ADMIN_PASSWORD });
  });
  after(async () => portal?.cleanup());

  it('module list --json gives every module with its install state', async () => {
    const rows = await json<{ id: string; version: string; installed: boolean; installedVersion: string | null }[]>('module', 'list', '--json');
    const main = rows.find((r) => r.id === 'main');
    assert.deepEqual(main && { installed: main.installed, installedVersion: main.installedVersion }, { installed: true, installedVersion: main?.version });
  });

  it('module install of an unknown module is one line', async () => {
    assertOneLineError(await cli('module', 'install', 'nope'), /^portal: Module "nope" does not exist \[MODULE_NOT_FOUND\]$/);
  });

  it('user add generates and shows a password that works; user list --json finds the user', async () => {
    const out = ok(await cli('user', 'add', 'ivan', '--email', 'ivan@example.com', '--name', 'Ivan', '--last-name', 'Petrov'));
    const [password] = shownPasswords(out);
    assert.ok(password, out);
    await withPortalKernel(portal.env, async (k) => assert.equal((await k.users.authenticate('ivan', password, '127.0.0.1')).lastName, 'Petrov'));
    const page = await json<{ items: { login: string; email: string }[]; total: number }>('user', 'list', '--json', '--search', 'ivan');
    assert.deepEqual(page.items.map((u) => u.login), ['ivan']);
    assert.equal(page.total, 1);
  });

  it('the administrator made by install is a service account, not a colleague; --service-account makes one too', async () => {
    const page = await json<{ items: { login: string; employee: boolean }[] }>('user', 'list', '--json');
    assert.deepEqual(page.items.filter((u) => !u.employee).map((u) => u.login), ['admin']);
    const { user } = await json<{ user: { employee: boolean } }>('user', 'add', 'robot', '--email', 'robot@example.com', '--service-account', '--json');
    assert.equal(user.employee, false);
  });

  it('user add with --group and --admin puts the user in those groups', async () => {
    ok(await cli('group', 'add', 'staff', '--name', 'Staff', '--description', 'Everyone on the payroll'));
    const { user } = await json<{ user: { isAdmin: boolean; groupIds: number[] } }>(
      'user', 'add', 'olga', '--email', 'olga@example.com', '--password', 'Olga-pass-1', '--group', 'staff', '--admin', '--json',
    );
    const groups = await json<{ id: number; code: string; description: string }[]>('group', 'list', '--json');
    const staff = groups.find((g) => g.code === 'staff')!;
    assert.equal(staff.description, 'Everyone on the payroll');
    assert.equal(user.isAdmin, true);
    assert.ok(user.groupIds.includes(staff.id));
  });

  it('bad user input is one line on stderr', async () => {
    const [email, taken, missing, code, ghost] = await Promise.all([
      cli('user', 'add', 'bad', '--email', 'not-an-email'),
      cli('user', 'add', 'ivan', '--email', 'ivan2@example.com'),
      cli('user', 'add', 'nomail'),
      cli('group', 'add', 'Bad Code', '--name', 'x'),
      cli('user', 'passwd', 'ghost', '--password', 'Whatever-1'),
    ]);
    assertOneLineError(email!, /\[USER_EMAIL_INVALID\]$/);
    assertOneLineError(taken!, /Login "ivan" is already taken \[USER_LOGIN_TAKEN\]$/);
    assertOneLineError(missing!, /required option '--email <email>' not specified$/);
    assertOneLineError(code!, /\[GROUP_CODE_INVALID\]$/);
    assertOneLineError(ghost!, /User "ghost" does not exist \[USER_NOT_FOUND\]$/);
  });

  it('user add and user passwd refuse a password that breaks the rule, in one line stating it', async () => {
    const [spaces, control] = await Promise.all([
      cli('user', 'add', 'spaces', '--email', 'spaces@example.com', '--password', ' '.repeat(10)),
      cli('user', 'passwd', 'ivan', '--password', '\u0001'.repeat(10)),
    ]);
    for (const r of [spaces!, control!]) assertOneLineError(r, /does not meet the rule: 8 to 256 characters, not only spaces, no control characters.*\[PASSWORD_WEAK\]$/);
    assert.equal(await withPortalKernel(portal.env, (k) => k.users.findByLogin('spaces')), null);
  });

  it('user add refuses an e-mail address another user has, in any case, in one line', async () => {
    assertOneLineError(await cli('user', 'add', 'ivan.twin', '--email', 'IVAN@example.com'), /^portal: The e-mail address IVAN@example\.com already belongs to user "ivan" \[USER_EMAIL_TAKEN\]$/);
  });

  it('user passwd sets the given password, or generates one without a terminal', async () => {
    ok(await cli('user', 'passwd', 'ivan', '--password', 'Brand-new-pass-1'));
    await withPortalKernel(portal.env, (k) => k.users.authenticate('ivan', 'Brand-new-pass-1', '127.0.0.1'));
    const [generated] = shownPasswords(ok(await cli('user', 'passwd', 'ivan')));
    assert.ok(generated);
    await withPortalKernel(portal.env, (k) => k.users.authenticate('ivan', generated, '127.0.0.1'));
  });

  it('user block and --unblock switch the account off and on', async () => {
    const active = async () => (await json<{ items: { active: boolean }[] }>('user', 'list', '--json', '--search', 'ivan')).items[0]!.active;
    ok(await cli('user', 'block', 'ivan'));
    assert.equal(await active(), false);
    ok(await cli('user', 'block', 'ivan', '--unblock'));
    assert.equal(await active(), true);
  });

  it('user token --json prints a token that authenticates the user', async () => {
    const { token, login } = await json<{ token: string; login: string }>('user', 'token', 'ivan', '--name', 'ci', '--json');
    assert.equal(login, 'ivan');
    await withPortalKernel(portal.env, async (k) => assert.equal((await k.tokens.verify(token))?.login, 'ivan'));
  });

  it('migrate status --json lists the applied migrations of the installed modules (the standard set)', async () => {
    const rows = await json<{ module: string; name: string; applied: boolean }[]>('migrate', 'status', '--json');
    assert.deepEqual([...new Set(rows.map((r) => r.module))].sort(), ['infoblocks', 'main']);
    assert.ok(rows.every((r) => r.applied));
    assert.match(ok(await cli('migrate', 'up')), /Nothing to migrate/);
  });

  it('cache clear clears all, or one tag', async () => {
    assert.match(ok(await cli('cache', 'clear')), /Cache cleared/);
    assert.match(ok(await cli('cache', 'clear', '--tag', 'main:groups')), /tagged main:groups invalidated/);
  });

  it('agents list --json shows the agents of main; agents run runs the due ones', async () => {
    const agents = await json<{ module: string; name: string }[]>('agents', 'list', '--json');
    assert.ok(agents.some((a) => a.module === 'main' && a.name === 'sessions.purge'), JSON.stringify(agents));
    assert.match(ok(await cli('agents', 'run', 'main.sessions.purge')), /ran/);
    assertOneLineError(await cli('agents', 'run', 'nodots'), /<module>\.<name>/);
  });

  it('config show --json is the effective config with the DB password hidden', async () => {
    const config = await json<{ db: { url: string }; paths: { var: string } }>('config', 'show', '--json');
    assert.equal(config.paths.var, portal.dir);
    if (kind === 'mariadb') {
      assert.match(config.db.url, /^mysql:\/\/portal:\*\*\*@/);
      assert.doesNotMatch(JSON.stringify(config), /portal:portal@/);
    } else {
      assert.equal(config.db.url, portal.db.url);
    }
  });

  it('doctor --json passes on the installed portal', async () => {
    const report = await json<{ ok: boolean; checks: { id: string; status: string }[] }>('doctor', '--json');
    assert.equal(report.ok, true);
    const status = Object.fromEntries(report.checks.map((c) => [c.id, c.status]));
    assert.deepEqual(
      { node: status.node, db: status.db, cache: status.cache, dirs: status.dirs, migrations: status.migrations, mail: status.mail },
      { node: 'ok', db: 'ok', cache: 'ok', dirs: 'ok', migrations: 'ok', mail: 'warn' },
    );
  });
});
