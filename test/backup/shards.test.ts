import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../core/config/load-config.js';
import { installPortal } from '../../installer/install.js';
import { createTestDatabase, describeEachDb, type TestDatabase } from '../harness/db-matrix.js';
import { ok, runCli } from '../cli/cli-harness.js';
import { ADMIN_PASSWORD, manifestOf, visibleState } from './harness.js';

/** A portal whose infoblocks tables live on their own database (db.modules in var/settings.json). */
async function shardedPortal(kind: 'sqlite' | 'mariadb', dir: string): Promise<{ env: Record<string, string>; dbs: TestDatabase[] }> {
  const dbs = await Promise.all([createTestDatabase(kind, path.join(dir, 'main')), createTestDatabase(kind, path.join(dir, 'content'))]);
  const settings = { db: { url: dbs[0]!.url, modules: { infoblocks: dbs[1]!.url } } };
  const env = { PORTAL_VAR_DIR: dir };
  const config = await loadConfig({ env, file: { db: settings.db } });
  await installPortal({ config, env, adminPassword: ADMIN_PASSWORD, demo: true });
  writeFileSync(path.join(dir, 'settings.json'), JSON.stringify(settings)); // the installer keeps only db.url
  return { env, dbs };
}

describeEachDb('backup and restore of a portal with a module on its own database (CLI)', (kind) => {
  const root = mkdtempSync(path.join(os.tmpdir(), `portal-shards-${kind}-`));
  const dbs: TestDatabase[] = [];
  after(async () => {
    await Promise.all(dbs.map((d) => d.drop()));
    rmSync(root, { recursive: true, force: true });
  });

  it('archives one dump per server and restores each into the target\'s server for it', async function () {
    this.timeout(180_000);
    const source = await shardedPortal(kind, path.join(root, 'a'));
    const target = await shardedPortal(kind, path.join(root, 'b'));
    dbs.push(...source.dbs, ...target.dbs);
    const { EMPLOYEE } = await import('./harness.js');
    const { withPortal } = await import('./harness.js');
    await withPortal(source.env, (k) => k.users.create({ ...EMPLOYEE }));
    const archive = path.join(root, 'sharded.tar.gz');
    ok(await runCli(['backup', '--out', archive], source.env));
    const m = await manifestOf(archive);
    const ext = kind === 'sqlite' ? 'sqlite' : 'sql';
    assert.deepEqual(m.databases.map((d) => [d.entry, d.modules]), [[`db/default.${ext}`, ['forum', 'main']], [`db/infoblocks.${ext}`, ['infoblocks']]]);
    assert.equal(m.databases[1]!.tables.infoblocks_elements, 6);
    assert.equal(Object.keys(m.databases[0]!.tables).some((t) => t.startsWith('infoblocks_')), false, 'each dump holds its own server only');
    ok(await runCli(['restore', archive, '--yes', '--other-portal'], target.env));
    assert.deepEqual(await visibleState(target.env), await visibleState(source.env));
  });
});
