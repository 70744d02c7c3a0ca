import assert from 'node:assert/strict';
import { describeEachDb } from '../harness/db-matrix.js';
import { assertDenied, page, startAdminEnv, type AdminEnv } from '../admin/harness.js';
import mainModule from '../../modules/main/module.js';
import clusterModule from '../../modules/cluster/module.js';

describeEachDb('cluster: the admin page and the registry', (kind) => {
  let env: AdminEnv;
  before(async function () {
    this.timeout(60_000);
    env = await startAdminEnv(kind, { definitions: [mainModule, clusterModule] });
    await env.t.kernel.modules.install('cluster');
  });
  after(async () => env?.close());

  it('shows the database, the cache and the web nodes at a glance, in English and Russian', async () => {
    const api = env.t.kernel.api('cluster');
    const web = await api.registry.add({ kind: 'web', address: '10.0.0.7:3000', state: 'active', info: { release: '0.1.0+abc' } });
    try {
      const en = await page(env.admin, '/admin/cluster/');
      assert.equal(en.status, 200);
      assert.match(en.html, /data-cluster-db/);
      assert.match(en.html, kind === 'sqlite' ? /SQLite, one file/ : /Primary/);
      if (kind === 'mariadb') assert.match(en.html, /No replicas/);
      assert.match(en.html, /10\.0\.0\.7:3000[\s\S]*0\.1\.0\+abc/, 'the web node row from the registry');
      const ru = await page(env.admin, '/admin/cluster/?lang=ru');
      assert.equal(ru.status, 200);
    } finally {
      await api.registry.remove(web.id);
    }
  });

  it('is for those who manage the cluster only', async () => {
    await assertDenied(env, env.viewer, 'GET', '/admin/cluster/');
  });

  it('the registry: add, update, remove, each bumping the epoch; a duplicate and an unknown id are refused', async () => {
    const api = env.t.kernel.api('cluster');
    const e0 = await api.registry.epoch();
    const n = await api.registry.add({ kind: 'cache', address: '127.0.0.1:1', weight: 5 });
    assert.equal(await api.registry.epoch(), e0 + 1);
    assert.deepEqual((await api.registry.list('cache')).map((x) => [x.address, x.weight, x.state]), [['127.0.0.1:1', 5, 'active']]);
    await assert.rejects(api.registry.add({ kind: 'cache', address: '127.0.0.1:1' }), { code: 'CLUSTER_NODE_EXISTS' });
    const u = await api.registry.update(n.id, { state: 'down', reason: 'test', info: { a: 1 } });
    assert.deepEqual([u.state, u.reason, u.info], ['down', 'test', { a: 1 }]);
    await api.registry.remove(n.id);
    assert.equal(await api.registry.epoch(), e0 + 3);
    await assert.rejects(api.registry.remove(n.id), { code: 'CLUSTER_NODE_NOT_FOUND' });
    assert.equal(await api.registry.epoch(), e0 + 3, 'a refused change bumps nothing');
  });

  it('status: the JSON shape (database, cache, web) and no replicas', async () => {
    const s = await env.t.kernel.api('cluster').status();
    assert.equal(s.database.engine, kind === 'sqlite' ? 'sqlite' : 'mariadb');
    assert.deepEqual(s.database.replicas, []);
    assert.equal(s.database.readsGoTo, 'primary');
    if (kind === 'mariadb') assert.equal(s.database.primary?.reachable, true);
    assert.ok(Array.isArray(s.cache.nodes) && Array.isArray(s.web.nodes));
    assert.equal(typeof s.epoch, 'number');
  });
});
