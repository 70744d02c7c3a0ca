import assert from 'node:assert/strict';
import mainModule from '../../modules/main/module.js';
import { describeEachDb } from '../harness/db-matrix.js';
import { bootTestKernel, type TestKernel } from '../harness/kernel.js';
import { alpha, beta, needsNewAlpha } from '../fixtures/test-modules.js';
import { resolveOrder } from '../../core/modules/resolve-order.js';

describe('module dependency order', () => {
  it('puts dependencies first and is stable', () => {
    const order = resolveOrder([beta, alpha, mainModule]).map((d) => d.id);
    assert.deepEqual(order, ['main', 'alpha', 'beta']);
  });

  it('refuses a cycle with the path in the message', () => {
    const a = { id: 'a', dependencies: { b: '*' } };
    const b = { id: 'b', dependencies: { a: '*' } };
    assert.throws(() => resolveOrder([a, b]), /cycle: a -> b -> a/);
  });
});

describeEachDb('module manager', (kind) => {
  let t: TestKernel;
  beforeEach(async () => {
    t = await bootTestKernel(kind, { definitions: [mainModule, alpha, beta, needsNewAlpha] });
  });
  afterEach(async () => t.close());

  it('records installed modules with their versions', async () => {
    await t.kernel.modules.install('alpha');
    const rows = t.kernel.modules.listInstalled().map((m) => `${m.id}@${m.version}`).sort();
    assert.deepEqual(rows, ['alpha@1.2.0', 'main@0.1.0']);
  });

  it('refuses a missing dependency with a clear error', async () => {
    await assert.rejects(t.kernel.modules.install('beta'), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'MODULE_DEPENDENCY_MISSING');
      assert.match(err.message, /needs module "alpha"/);
      return true;
    });
  });

  it('refuses an incompatible dependency version', async () => {
    await t.kernel.modules.install('alpha');
    await assert.rejects(t.kernel.modules.install('gamma'), /needs "alpha" \^2\.0\.0, but version 1\.2\.0/);
  });

  it('refuses to uninstall a module another one depends on, and the main module', async () => {
    await t.kernel.modules.install('alpha');
    await t.kernel.modules.install('beta');
    await assert.rejects(t.kernel.modules.uninstall('alpha'), /needed by "beta"/);
    await assert.rejects(t.kernel.modules.uninstall('main'), /cannot be uninstalled/);
  });

  it('keeps data on uninstall and drops it only with dropData', async () => {
    await t.kernel.modules.install('alpha');
    const api = t.kernel.api('alpha');
    await api.add('kept');
    await t.kernel.modules.uninstall('alpha');
    assert.equal(await t.kernel.db('alpha').hasTable('notes'), true, 'table survives a plain uninstall');
    assert.throws(() => t.kernel.api('alpha'), /not installed/);

    await t.kernel.modules.install('alpha');
    const again = t.kernel.api('alpha');
    assert.deepEqual(await again.titles(), ['kept'], 'reinstall finds the old data');

    await t.kernel.modules.uninstall('alpha', { dropData: true });
    assert.equal(await t.kernel.db('alpha').hasTable('notes'), false);
    const status = await t.kernel.migrator.status([alpha]);
    assert.equal(status.filter((s) => s.applied).length, 0);
  });

  it('tracks migrations per module and reverts the last batch', async () => {
    await t.kernel.modules.install('alpha');
    const before = await t.kernel.migrator.status([mainModule, alpha]);
    assert.ok(before.every((s) => s.applied), 'all applied');
    assert.ok(before.some((s) => s.module === 'main') && before.some((s) => s.module === 'alpha'));
    const reverted = await t.kernel.migrator.down(alpha);
    assert.deepEqual(reverted, ['2026-01-01-01-create-notes']);
    assert.equal(await t.kernel.db('alpha').hasTable('notes'), false);
    const applied = await t.kernel.migrator.up(alpha);
    assert.deepEqual(applied, ['2026-01-01-01-create-notes']);
  });

  it('refuses to migrate while another node holds the migration lock', async () => {
    const lease = await t.kernel.locks.acquire('migrations', 60_000);
    assert.ok(lease);
    const { LockService } = await import('../../core/locks/lock-service.js');
    const { Migrator } = await import('../../core/migrations/migrator.js');
    const otherNode = new Migrator(t.kernel.mainKnex, new LockService(t.kernel.mainKnex, 'other-node'), (id) => t.kernel.db(id));
    let done = false;
    // The other node waits (up to 30 s) while this one holds the lock, then proceeds.
    const attempt = otherNode.up(alpha).then((names) => ((done = true), names));
    await new Promise((r) => setTimeout(r, 600));
    assert.equal(done, false, 'blocked while the lock is held');
    assert.equal(await t.kernel.db('alpha').hasTable('notes'), false);
    await t.kernel.locks.release(lease!);
    assert.deepEqual(await attempt, ['2026-01-01-01-create-notes'], 'ran once the lock was free');
  });

  it('sees a module installed by another process after syncModules', async () => {
    const { Kernel } = await import('../../core/kernel.js');
    const { silentLogger } = await import('../../core/log/logger.js');
    const other = await Kernel.boot(t.env.config, { log: silentLogger(), definitions: [mainModule, alpha, beta, needsNewAlpha] });
    try {
      await other.modules.install('alpha');
      await t.kernel.syncModules(0);
      const api = t.kernel.api('alpha');
      await api.add('from node 1');
      assert.deepEqual(await api.titles(), ['from node 1']);
    } finally {
      await other.close();
    }
  });
});
