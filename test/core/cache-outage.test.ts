import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MemcachedDriver } from '../../core/cache/memcached-driver.js';
import { isCacheUnavailable } from '../../core/cache/memcached/errors.js';
import { PendingMarker } from '../../core/cache/pending-marker.js';
import { TaggedCache } from '../../core/cache/tagged-cache.js';
import { captureLog, type CapturedLog } from '../harness/log-capture.js';
import { startMemcached, type RunningService } from '../harness/services.js';
import { TcpProxy } from '../harness/tcp-proxy.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` until it holds, for at most `maxMs`. */
async function eventually(check: () => Promise<boolean> | boolean, maxMs = 10_000): Promise<void> {
  const deadline = Date.now() + maxMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${maxMs} ms`);
    await sleep(50);
  }
}

/**
 * Runs `fn` with a PATH that has no `ping` (nor anything else): a client that spawns
 * `ping` to test a dead server (the `memcached` package did) crashes the process here.
 */
async function withoutPing<T>(fn: () => Promise<T>): Promise<T> {
  const saved = process.env.PATH;
  const empty = mkdtempSync(path.join(os.tmpdir(), 'no-ping-'));
  process.env.PATH = empty;
  try {
    return await fn();
  } finally {
    process.env.PATH = saved;
    rmSync(empty, { recursive: true, force: true });
  }
}

const messages = (c: CapturedLog, re: RegExp) => c.lines.filter((l) => re.test(l.msg));

/**
 * memcached outages on a private memcached of their own (the shared one stays up for the
 * rest of the suite), stopped and started again on the same port, and a relay in front of
 * it that cuts one "node"'s link while another still reaches it.
 */
describe('cache: memcached outages', function () {
  this.timeout(60_000);
  let mc: RunningService;
  let port: number;
  let prefix: string;
  const opened: { close(): Promise<void> }[] = [];

  before(async () => {
    mc = await startMemcached();
    port = Number(mc.url.split(':')[1]);
  });
  after(async () => {
    await mc?.stop();
  });
  beforeEach(() => {
    prefix = `outage-${randomBytes(4).toString('hex')}:`;
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((o) => o.close()));
  });

  function node(server: string, log?: CapturedLog, options: { retryMs?: number; timeoutMs?: number; markerFile?: string } = {}) {
    const driver = new MemcachedDriver({ servers: [server], prefix, log: log?.log, retryMs: options.retryMs ?? 100, timeoutMs: options.timeoutMs });
    const cache = new TaggedCache(driver, { log: log?.log, marker: options.markerFile ? new PendingMarker(options.markerFile) : undefined });
    opened.push(cache);
    return { driver, cache };
  }

  it('keeps serving while memcached is stopped, never spawns ping, logs one line down and one line up', async () => {
    const logs = captureLog();
    const { driver, cache } = node(mc.url, logs);
    await cache.set('page', 'cached', { tags: ['news'] });
    assert.equal(await cache.get('page'), 'cached');

    await mc.stop();
    let builds = 0;
    await withoutPing(async () => {
      // Many probe intervals (100 ms) pass while requests keep coming.
      const until = Date.now() + 1500;
      while (Date.now() < until) {
        assert.equal(await cache.get('page'), undefined);
        assert.equal(await cache.remember('list', { tags: ['news'] }, async () => `from db ${++builds}`), `from db ${builds}`);
        await cache.set('other', 1);
        await cache.invalidateTags('news');
        await cache.delete('page');
        await sleep(20);
      }
    });
    assert.ok(builds > 10, 'every remember built from the source');
    await assert.rejects(driver.get('page'), (err) => isCacheUnavailable(err) && /down since/.test((err as Error).message), 'the breaker answers without trying');
    assert.deepEqual(logs.warnings().map((l) => l.msg), ['memcached down: the cache is skipped until it answers again']);

    mc = await startMemcached({ port });
    await eventually(async () => (await driver.ping().then(() => true, () => false)));
    await cache.set('page', 'again', { tags: ['news'] });
    assert.equal(await cache.get('page'), 'again');
    assert.equal(messages(logs, /^memcached up again$/).length, 1);
    assert.equal(logs.warnings().length, 1, 'no warning per failed call');
  });

  it('a memcached that stops answering costs one timeout; later calls do not wait for it', async () => {
    const proxy = await TcpProxy.start(mc.url);
    opened.push(proxy);
    const logs = captureLog();
    // Probes every 60 s: within this test only the first call may meet the dead link.
    const { driver, cache } = node(proxy.address, logs, { retryMs: 60_000, timeoutMs: 300 });
    await cache.set('k', 'v');
    await proxy.cut('blackhole');
    await assert.rejects(driver.get('k'), (err) => isCacheUnavailable(err) && /no (reply|connection) in 300 ms/.test((err as Error).message));
    const accepted = proxy.accepted;
    for (let i = 0; i < 50; i++) {
      assert.equal(await cache.get('k'), undefined);
      assert.equal(await cache.remember(`r${i}`, {}, async () => i), i);
    }
    assert.equal(proxy.accepted, accepted, 'no connection attempted while the server is marked down');
    assert.equal(logs.warnings().length, 1);
  });

  it('a process busy for longer than the timeout does not take memcached for down', async () => {
    const logs = captureLog();
    const { driver } = node(mc.url, logs, { timeoutMs: 200 });
    await driver.set('busy', 'answered', 0);
    const pending = driver.get('busy');
    const until = Date.now() + 500;
    while (Date.now() < until); // a long synchronous task: the reply arrives while nothing reads it
    assert.equal(await pending, 'answered');
    assert.equal(await driver.get('busy'), 'answered');
    assert.deepEqual(logs.warnings(), []);
  });

  it('with two servers, one that is down costs only the keys it holds', async () => {
    const second = await startMemcached();
    try {
      const driver = new MemcachedDriver({ servers: [mc.url, second.url], prefix, retryMs: 60_000 });
      opened.push(driver);
      const keys = Array.from({ length: 40 }, (_, i) => `k${i}`);
      for (const k of keys) await driver.set(k, k, 0);
      await second.stop();
      const outcome = await Promise.all(keys.map((k) => driver.get(k).then((v) => (v === k ? 'hit' : 'miss'), (err) => (isCacheUnavailable(err) ? 'down' : String(err)))));
      assert.ok(outcome.includes('hit') && outcome.includes('down'), outcome.join(' '));
      assert.deepEqual(outcome.filter((o) => o !== 'hit' && o !== 'down'), []);
    } finally {
      await second.stop();
    }
  });

  it('an invalidation one node could not deliver leaves no stale entry once its link is back', async () => {
    const proxy = await TcpProxy.start(mc.url);
    opened.push(proxy);
    const a = node(proxy.address); // this node loses its link
    const b = node(mc.url); // this one never does
    await b.cache.set('profile:7', { name: 'old' }, { tags: ['user:7'] });
    await b.cache.set('unrelated', 'u', { tags: ['other'] });
    assert.deepEqual(await a.cache.get('profile:7'), { name: 'old' });

    await proxy.cut();
    await a.cache.invalidateTags('user:7'); // the change is committed; the bump cannot be sent
    assert.equal(a.cache.stalePending, true);
    assert.equal(await a.cache.get('profile:7'), undefined, 'the node that missed its invalidation reads nothing from the cache');

    await proxy.restore();
    await eventually(() => !a.cache.stalePending);
    assert.equal(await b.cache.get('profile:7'), undefined, 'the other node no longer sees the stale entry');
    assert.equal(await b.cache.get('unrelated'), undefined, 'the whole generation was dropped');
    await b.cache.set('profile:7', { name: 'new' }, { tags: ['user:7'] });
    assert.deepEqual(await a.cache.get('profile:7'), { name: 'new' });
  });

  it('a restart during the outage still drops what the node could not invalidate', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cache-marker-'));
    const markerFile = path.join(dir, 'cache-invalidations-pending');
    try {
      const proxy = await TcpProxy.start(mc.url);
      opened.push(proxy);
      const b = node(mc.url);
      await b.cache.set('menu', 'old', { tags: ['menus'] });
      const a = node(proxy.address, undefined, { markerFile });
      assert.equal(await a.cache.get('menu'), 'old');
      await proxy.cut();
      await a.cache.invalidateTags('menus');
      await a.cache.close(); // the process stops before its link is back
      await proxy.restore();
      assert.equal(await b.cache.get('menu'), 'old');

      const restarted = node(proxy.address, undefined, { markerFile });
      assert.equal(await restarted.cache.get('menu'), undefined);
      assert.equal(await b.cache.get('menu'), undefined, 'the restarted process dropped the generation before reading');
      assert.equal(new PendingMarker(markerFile).exists(), false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('clear() during an outage says so, and still clears once memcached answers', async () => {
    const proxy = await TcpProxy.start(mc.url);
    opened.push(proxy);
    const a = node(proxy.address);
    const b = node(mc.url);
    await b.cache.set('x', 1);
    await proxy.cut();
    await assert.rejects(a.cache.clear(), (err) => (err as { code?: string }).code === 'CACHE_UNAVAILABLE');
    await proxy.restore();
    await eventually(() => !a.cache.stalePending);
    assert.equal(await b.cache.get('x'), undefined);
  });
});
