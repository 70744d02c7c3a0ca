import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { MemcachedDriver } from '../../core/cache/memcached-driver.js';
import { TaggedCache } from '../../core/cache/tagged-cache.js';
import { startMemcached, type RunningService } from '../harness/services.js';

/**
 * Two real memcached behind one client, as a web node of a cluster sees its cache nodes:
 * one is killed while the cache is in use, the list changes at runtime, tag versions
 * still invalidate.
 */
describe('cluster: memcached nodes', function () {
  this.timeout(60_000);
  let a: RunningService;
  let b: RunningService;
  const opened: { close(): Promise<void> }[] = [];
  const keys = Array.from({ length: 60 }, (_, i) => `item:${i}`);

  beforeEach(async () => {
    [a, b] = await Promise.all([startMemcached(), startMemcached()]);
  });
  afterEach(async () => {
    for (const o of opened.splice(0)) await o.close();
    await Promise.all([a?.stop(), b?.stop()]);
  });

  function client(servers: string[], retryMs = 60_000) {
    const driver = new MemcachedDriver({ servers, prefix: `c${randomBytes(4).toString('hex')}:`, retryMs });
    const cache = new TaggedCache(driver);
    opened.push(cache);
    return { driver, cache };
  }

  it('a killed node costs one failed command, then its keys live on the other node; no call fails', async () => {
    const { driver, cache } = client([a.url, b.url]);
    let builds = 0;
    const load = (k: string) => cache.remember(k, { tags: ['items'] }, async () => {
      builds++;
      return { k };
    });
    for (const k of keys) assert.deepEqual(await load(k), { k });
    assert.equal(builds, keys.length);
    builds = 0;
    for (const k of keys) await load(k);
    assert.equal(builds, 0, 'every key is cached, on one node or the other');

    await b.stop();
    // Every call still answers right; the dead node is tried once, then left out.
    for (let round = 0; round < 3; round++) for (const k of keys) assert.deepEqual(await load(k), { k });
    const dead = driver.stats().find((s) => s.address === b.url)!;
    assert.equal(dead.up, false);
    assert.equal(dead.failures, 1, 'exactly one command waited for the dead node');
    // After the first round rebuilt what moved, the later rounds are hits on the live node.
    builds = 0;
    for (const k of keys) await load(k);
    assert.equal(builds, 0, 'the keys of the dead node now live on the other one');
    assert.equal(driver.stats().find((s) => s.address === a.url)!.failures, 0);
  });

  it('tag versions keep invalidating after a node died, and after it came back', async () => {
    const port = Number(b.url.split(':')[1]);
    const { driver, cache } = client([a.url, b.url], 100);
    await cache.set('profile', 'v1', { tags: ['user:1'] });
    await b.stop();
    await cache.get('profile'); // the node is found dead (or the entry simply lived on a)
    await cache.set('profile', 'v2', { tags: ['user:1'] });
    assert.equal(await cache.get('profile'), 'v2');
    await cache.invalidateTags('user:1');
    assert.equal(await cache.get('profile'), undefined);
    await cache.set('profile', 'v3', { tags: ['user:1'] });

    b = await startMemcached({ port });
    const deadline = Date.now() + 20_000;
    while (!driver.stats().every((s) => s.up)) {
      if (Date.now() > deadline) throw new Error('the node was not taken back');
      await new Promise((r) => setTimeout(r, 50));
    }
    // The keys moved back; whatever old copy a node still holds must not be served.
    const value = await cache.get('profile');
    assert.ok(value === undefined || value === 'v3', `got ${String(value)}`);
    await cache.set('profile', 'v4', { tags: ['user:1'] });
    assert.equal(await cache.get('profile'), 'v4');
    await cache.invalidateTags('user:1');
    assert.equal(await cache.get('profile'), undefined);
  });

  it('setServers adds and removes nodes at runtime; no stale value survives the move', async () => {
    const { driver, cache } = client([a.url]);
    for (const k of keys) await cache.set(k, `${k}=1`, { tags: ['t'] });
    driver.setServers([a.url, b.url]);
    assert.deepEqual(driver.stats().map((s) => s.address), [a.url, b.url]);
    for (const k of keys) assert.equal(await cache.get(k), undefined, 'the generation was dropped with the change');
    for (const k of keys) await cache.set(k, `${k}=2`, { tags: ['t'] });
    const onB = await Promise.all(keys.map(async (k) => {
      const direct = new MemcachedDriver({ servers: [b.url], prefix: '' });
      try {
        return (await direct.get(driver.key(`e:${k}`))) !== undefined;
      } finally {
        await direct.close();
      }
    }));
    assert.ok(onB.some(Boolean) && !onB.every(Boolean), 'the keys are spread over both nodes');
    for (const k of keys) assert.equal(await cache.get(k), `${k}=2`);

    driver.setServers([b.url]);
    assert.deepEqual(driver.stats().map((s) => s.address), [b.url]);
    for (const k of keys) assert.equal(await cache.get(k), undefined);
    await cache.set(keys[0]!, 'x', { tags: ['t'] });
    assert.equal(await cache.get(keys[0]!), 'x');
    await cache.invalidateTags('t');
    assert.equal(await cache.get(keys[0]!), undefined);
    assert.throws(() => driver.setServers([]), /at least one server/);
  });
});
