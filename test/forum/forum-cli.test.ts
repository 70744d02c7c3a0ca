import assert from 'node:assert/strict';
import { installPortal } from '../../installer/install.js';
import { describeEachDb } from '../harness/db-matrix.js';
import { assertOneLineError, freshPortal, ok, runCli, withPortalKernel, type CliPortal } from '../cli/cli-harness.js';

describeEachDb('portal forum (CLI)', (kind) => {
  let portal: CliPortal;
  before(async function () {
    this.timeout(120_000);
    portal = await freshPortal(kind);
    await installPortal({ env: portal.env, adminPassword: 'Admin-pass-123', modules: ['forum'] });
  });
  after(async () => {
    await portal?.cleanup();
  });

  it('creates a forum with levels per group code, lists it and changes its permissions', async function () {
    this.timeout(120_000);
    assert.match(ok(await runCli(['forum', 'create', 'Общий', '--premoderation', '--perm', 'registered=I', 'everyone=E'], portal.env)), /^Forum (\d+) "Общий" created\.$/m);
    const listed = JSON.parse(ok(await runCli(['forum', 'list', '--json'], portal.env))) as { id: number; name: string; premoderation: boolean }[];
    assert.deepEqual(listed.map((f) => [f.name, f.premoderation]), [['Общий', true]]);
    const id = String(listed[0]!.id);
    assert.match(ok(await runCli(['forum', 'perms', id], portal.env)), /^registered\tI$/m);
    const changed = ok(await runCli(['forum', 'perms', id, '--set', 'registered=M', 'everyone=-'], portal.env));
    assert.match(changed, /^registered\tM$/m);
    assert.doesNotMatch(changed, /everyone/);
    const level = await withPortalKernel(portal.env, async (kernel) => {
      const user = await kernel.users.create({ login: 'cli_writer', email: 'cli@example.com', password: 'Writer-pass-123' });
      return kernel.api('forum').forums.levelOf(await kernel.users.principalOf(user), Number(id));
    });
    assert.equal(level, 'M', 'the level set by the CLI takes effect');
  });

  it('answers bad input with one readable line and a non-zero exit', async function () {
    this.timeout(120_000);
    assertOneLineError(await runCli(['forum', 'create', 'X', '--perm', 'nogroup=E'], portal.env), /Group nogroup does not exist/);
    assertOneLineError(await runCli(['forum', 'create', 'X', '--perm', 'registered=Z'], portal.env), /"Z" is not a forum permission/);
    assertOneLineError(await runCli(['forum', 'perms', '999999'], portal.env), /Forum 999999 does not exist/);
    assertOneLineError(await runCli(['forum', 'perms', 'abc'], portal.env), /Forum abc does not exist/);
    assertOneLineError(await runCli(['forum', 'create', ' '], portal.env), /A forum needs a name/);
    const names = (JSON.parse(ok(await runCli(['forum', 'list', '--json'], portal.env))) as { name: string }[]).map((f) => f.name);
    assert.ok(!names.includes('X'), 'nothing half-made');
  });
});
