import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readlinkSync, realpathSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { addWebNode } from '../../modules/cluster/web/add-node.js';
import { deploy } from '../../modules/cluster/web/deploy.js';
import { nodeAppState } from '../../modules/cluster/web/pm2-node.js';
import { nodeLayout } from '../../modules/cluster/web/release.js';
import { HttpClient } from '../harness/http-client.js';
import { startLoad, type LoadReport } from '../harness/loadgen.js';
import { ADMIN_PASSWORD, startWebCluster, type WebCluster } from '../harness/pm2-web-cluster.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const summary = (r: LoadReport) => `${r.requests} requests, statuses ${JSON.stringify(r.byStatus)}, ${r.errors} errors, ${r.failed} failed: ${r.samples.join(' | ')}`;

/**
 * Two web nodes under pm2 (each with its own PM2_HOME) in separate temp folders, on one
 * MariaDB and the shared memcached, behind a real nginx with the config `nginx-config`
 * makes. A signed-in session keeps requesting its profile page through nginx while a deploy
 * runs and while a node is killed. MariaDB only: nodes on separate machines share one
 * database server, a SQLite file cannot be shared.
 */
describe('cluster: web nodes behind nginx [mariadb]', function () {
  this.timeout(600_000);
  let cluster: WebCluster;
  let cookie: string;

  before(async function () {
    this.timeout(600_000);
    cluster = await startWebCluster(2);
    const c = new HttpClient(cluster.url);
    const signIn = await c.signIn('admin', ADMIN_PASSWORD);
    assert.equal(signIn.status, 302, 'signed in through nginx');
    cookie = [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  });
  after(async function () {
    this.timeout(120_000);
    await cluster?.stop();
  });

  const profileLoad = () => startLoad({
    url: `${cluster.url}/profile/`,
    headers: { cookie },
    connections: 4,
    pauseMs: 20,
    // A lost session would be a redirect to the sign-in form.
    check: (status, body) => status === 200 && body.includes('name="name"'),
  });

  it('each node runs its release from releases/<id> behind current, under its own pm2, ready', async () => {
    for (const node of cluster.nodes) {
      const layout = nodeLayout(node.path);
      assert.equal(readlinkSync(layout.current), path.join('releases', node.release!));
      assert.ok(existsSync(path.join(layout.var, 'settings.json')), 'the shared config was copied');
      assert.equal(realpathSync(path.join(layout.release(node.release!), 'var')), realpathSync(layout.var));
      assert.equal((await nodeAppState(node)).status, 'online');
      assert.equal((await fetch(`http://${node.host}:${node.port}/readyz`)).status, 200);
    }
    assert.notEqual(cluster.nodes[0]!.port, cluster.nodes[1]!.port);
  });

  it('bad input is one readable error and leaves nothing behind', async () => {
    const deps = cluster.deps;
    const before = await deps.webNodes.list();
    const full = path.join(cluster.dir, 'not-empty');
    mkdirSync(full);
    writeFileSync(path.join(full, 'x'), 'x');
    await assert.rejects(addWebNode(deps, { path: full }), (err: Error & { code?: string }) => err.code === 'WEB_NODE_PATH_IN_USE' && /not empty/.test(err.message));
    // Below a file nothing can be created, whoever runs the test (root included).
    await assert.rejects(addWebNode(deps, { path: path.join(full, 'x', 'node') }), (err: Error & { code?: string }) => err.code === 'WEB_NODE_INVALID' && /not writable/.test(err.message));
    const busy = net.createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    const port = (busy.address() as net.AddressInfo).port;
    const dir = path.join(cluster.dir, 'busy-port');
    try {
      await assert.rejects(addWebNode(deps, { path: dir, port }), (err: Error & { code?: string }) => err.code === 'WEB_NODE_PORT_IN_USE' && err.message.includes(String(port)));
    } finally {
      busy.close();
    }
    assert.equal(existsSync(dir), false);
    // A node that never becomes ready (here: its database URL is broken by the env) is stopped and removed.
    const broken = path.join(cluster.dir, 'never-ready');
    await assert.rejects(
      addWebNode({ ...deps, env: { ...deps.env, PORTAL_DB_URL: 'mysql://nobody:wrong@127.0.0.1:1/none' }, readyTimeoutMs: 8000 }, { path: broken }),
      (err: Error & { code?: string }) => err.code === 'WEB_NODE_NOT_READY' && /readyz did not answer 200/.test(err.message),
    );
    assert.equal(existsSync(broken), false, 'the half-made node was removed');
    assert.deepEqual(await deps.webNodes.list(), before, 'the registry is as it was');
  });

  it('deploy under load: a new release on every node, one at a time, 0 failed requests', async () => {
    const load = profileLoad();
    await sleep(1000);
    const result = await deploy(cluster.deps);
    await sleep(1000);
    const report = await load.stop();
    assert.ok(report.requests > 20, summary(report));
    assert.equal(report.errors + report.failed, 0, summary(report));
    assert.equal(result.nodes.length, 2);
    for (const node of await cluster.deps.webNodes.list()) {
      assert.equal(node.release, result.release);
      assert.equal(readlinkSync(nodeLayout(node.path).current), path.join('releases', result.release));
      assert.equal((await nodeAppState(node)).status, 'online');
    }
  });

  it('a node killed under load: 0 failed requests through nginx, the session survives', async () => {
    const load = profileLoad();
    await sleep(1000);
    const [victim] = await cluster.deps.webNodes.list();
    await cluster.killNode(victim!);
    const at = load.count;
    while (load.count < at + 100) await sleep(50);
    const report = await load.stop();
    assert.equal(report.errors + report.failed, 0, summary(report));
    assert.equal((await nodeAppState(victim!)).status, 'not running');
    const c = new HttpClient(cluster.url);
    const page = await c.get('/profile/', { cookie });
    assert.equal(page.status, 200, 'the session is still signed in');
  });
});
