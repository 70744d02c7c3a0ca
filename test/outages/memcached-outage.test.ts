import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Kernel } from '../../core/kernel.js';
import { silentLogger } from '../../core/log/logger.js';
import { discoverModules } from '../../core/modules/discover.js';
import { startServer, type RunningServer } from '../../core/http/server.js';
import { describeEachDb } from '../harness/db-matrix.js';
import { HttpClient } from '../harness/http-client.js';
import { bootTestKernel, type TestKernel } from '../harness/kernel.js';
import { captureLog } from '../harness/log-capture.js';
import { startMemcached, type RunningService } from '../harness/services.js';
import { TcpProxy } from '../harness/tcp-proxy.js';

const PASSWORD = 'correct horse 42';

async function eventually(check: () => Promise<boolean>, maxMs = 10_000): Promise<void> {
  const deadline = Date.now() + maxMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${maxMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Two nodes on one database and a private memcached: node A reaches it through a relay
 * whose link the test cuts (A's memcached is down), node B directly (it never sees the outage).
 */
describeEachDb('HTTP during a memcached outage', (kind) => {
  let mc: RunningService;
  let proxy: TcpProxy;
  let t: TestKernel;
  let other: Kernel;
  let server: RunningServer;
  const logs = captureLog();
  let ivanId: number;

  before(async function () {
    this.timeout(60_000);
    mc = await startMemcached();
    proxy = await TcpProxy.start(mc.url);
    const prefix = `o${randomBytes(4).toString('hex')}:`;
    t = await bootTestKernel(kind, { overrides: { cache: { driver: 'memcached', servers: [proxy.address], prefix } }, log: logs.log });
    other = await Kernel.boot({ ...t.env.config, cache: { ...t.env.config.cache, servers: [mc.url] } }, { log: silentLogger(), definitions: await discoverModules() });
    ivanId = (await t.kernel.users.create({ login: 'ivan', email: 'ivan@example.com', password: PASSWORD, name: 'Иван' })).id;
    server = await startServer(t.kernel, { host: '127.0.0.1', port: 0 });
  });
  after(async () => {
    await server?.close();
    await other?.close();
    await t?.close();
    await proxy?.close();
    await mc?.stop();
  });

  it('signs in, saves a profile and serves pages from the database, with one warning in the log', async () => {
    const c = new HttpClient(server.url);
    await c.get('/auth/login/'); // warms the caches while memcached answers
    const before = (await t.kernel.users.get(ivanId)).lastLoginAt;
    assert.equal((await other.users.get(ivanId)).name, 'Иван'); // node B caches the user
    await proxy.cut();

    const signIn = await c.signIn('ivan', PASSWORD);
    assert.equal(signIn.status, 302, await signIn.text());
    const after = (await t.kernel.users.get(ivanId)).lastLoginAt;
    assert.ok(after && (!before || after > before), 'the sign-in was recorded');

    const profile = await c.get('/profile/');
    assert.equal(profile.status, 200);
    const save = await c.post('/profile/', {
      _csrf: HttpClient.csrfFrom(await profile.text()),
      name: 'Ваня', lastName: 'Петров', position: '', departmentId: '', phone: '', birthday: '', language: '',
    });
    assert.equal(save.status, 302);
    assert.equal(save.headers.get('location'), '/profile/?saved=1');
    assert.equal((await t.kernel.users.get(ivanId)).name, 'Ваня');
    for (const path of ['/', '/company/', '/profile/?saved=1']) assert.equal((await c.get(path)).status, 200, path);

    assert.deepEqual(logs.warnings().map((l) => l.msg), ['memcached down: the cache is skipped until it answers again']);
    const ready = await fetch(`${server.url}/readyz`);
    assert.equal(ready.status, 200, 'a cache outage keeps the node in rotation');
    assert.equal(((await ready.json()) as { status: string }).status, 'degraded');
  });

  it('once its link is back, the other node no longer serves what changed meanwhile', async () => {
    assert.equal((await other.users.get(ivanId)).name, 'Иван', 'until then node B still has its cached copy');
    await proxy.restore();
    await eventually(async () => (await other.users.get(ivanId)).name === 'Ваня');
    const c = new HttpClient(server.url);
    assert.equal((await c.signIn('ivan', PASSWORD)).status, 302);
    assert.match(await (await c.get('/profile/')).text(), /value="Ваня"/);
    assert.equal(logs.lines.filter((l) => l.msg === 'memcached up again').length, 1);
  });
});
