import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { assertOneLineError, ok, runCli } from '../cli/cli-harness.js';

describe('portal backup, restore and upgrade without a portal (CLI)', () => {
  let dir: string;
  let env: Record<string, string>;
  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'portal-backup-usage-'));
    env = { PORTAL_VAR_DIR: dir, PORTAL_DB_URL: `sqlite:${path.join(dir, 'none.db')}` };
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('each has its own --help naming its options', async () => {
    const [backup, verify, restore, upgrade, release] = await Promise.all(
      [['backup'], ['backup', 'verify'], ['restore'], ['upgrade'], ['release']].map((args) => runCli([...args, '--help'], env)),
    );
    assert.match(ok(backup!), /--out <file>[\s\S]*--json[\s\S]*verify <file>/);
    assert.match(ok(verify!), /--scratch-db <url>/);
    assert.match(ok(restore!), /--yes[\s\S]*--other-portal/);
    assert.match(ok(upgrade!), /--to <dir\|tarball>[\s\S]*--rollback/);
    assert.match(ok(release!), /--with-deps[\s\S]*--no-build/);
  });

  it('refuses in one line what it cannot do', async () => {
    const [backup, upgrade, both] = await Promise.all([
      runCli(['backup'], env),
      runCli(['upgrade'], env),
      runCli(['upgrade', '--to', dir, '--rollback'], env),
    ]);
    assertOneLineError(backup, /the portal is not installed here; run `portal install` \[NOT_INSTALLED\]$/);
    assertOneLineError(upgrade, /give either --to <dir\|tarball> or --rollback \[INPUT_INVALID\]$/);
    assertOneLineError(both, /give either --to <dir\|tarball> or --rollback \[INPUT_INVALID\]$/);
  });
});
