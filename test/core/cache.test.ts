import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createCache } from '../../core/cache/create-cache.js';
import { MemcachedDriver } from '../../core/cache/memcached-driver.js';
import { MemoryDriver } from '../../core/cache/memory-driver.js';
import { TaggedCache } from '../../core/cache/tagged-cache.js';
import { PortalError } from '../../core/errors/portal-error.js';
import { silentLogger } from '../../core/log/logger.js';
import type { CacheDriver } from '../../core/services.js';
import { memcachedServer } from '../harness/db-matrix.js';

type DriverKind = 'memory' | 'memcached';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until `read` gives undefined; returns the ms it took, or -1 after `maxMs`. */
async function waitGone(read: () => Promise<unknown>, maxMs: number): Promise<number> {
  const start = Date.now();
  while (Date.now() - start < maxMs) {
    if ((await read()) === undefined) return Date.now() - start;
    await sleep(100);
  }
  return -1;
}

for (const kind of ['memory', 'memcached'] as DriverKind[]) {
  describe(`cache [${kind}]`, () => {
    const opened: CacheDriver[] = [];
    let prefix: string;
    let driver: CacheDriver;
    let cache: TaggedCache;

    /** A new driver connection; memcached drivers share the test's prefix, like two nodes. */
    function openDriver(): CacheDriver {
      const d = kind === 'memory' ? new MemoryDriver({ maxEntries: 1000 }) : new MemcachedDriver({ servers: [memcachedServer()], prefix });
      opened.push(d);
      return d;
    }

    beforeEach(() => {
      prefix = `test-${randomBytes(6).toString('hex')}:`; // isolates tests on the shared memcached
      driver = openDriver();
      cache = new TaggedCache(driver);
    });

    afterEach(async () => {
      await Promise.all(opened.splice(0).map((d) => d.close()));
    });

    it('reports its driver and answers ping', async () => {
      assert.equal(cache.driverName, kind);
      await cache.ping();
    });

    it('round-trips JSON values and misses unknown keys', async () => {
      const obj = { id: 7, name: 'Ann', tags: ['a', 'b'], nested: { ok: true, n: null }, text: 'line1\r\nline2 "quoted"' };
      await cache.set('obj', obj);
      await cache.set('num', 42);
      await cache.set('str', 'hello world');
      await cache.set('zero', 0);
      await cache.set('null', null);
      await cache.set('false', false);
      assert.deepEqual(await cache.get('obj'), obj);
      assert.equal(await cache.get('num'), 42);
      assert.equal(await cache.get('str'), 'hello world');
      assert.equal(await cache.get('zero'), 0);
      assert.equal(await cache.get('null'), null);
      assert.equal(await cache.get('false'), false);
      assert.equal(await cache.get('missing'), undefined);
    });

    it('round-trips a value larger than a socket read, and many values in one multi-get', async () => {
      const big = 'ж'.repeat(300_000) + '\r\nEND\r\n'; // 600 KB of UTF-8 with protocol-like bytes inside
      await cache.set('big', big);
      assert.equal(await cache.get('big'), big);
      const keys = Array.from({ length: 200 }, (_, i) => `many-${i}`);
      await Promise.all(keys.map((k, i) => driver.set(k, `v${i}`, 0)));
      const got = await driver.getMany([...keys, 'many-absent']);
      assert.equal(got.size, 200);
      assert.equal(got.get('many-199'), 'v199');
    });

    it('keeps Dates as Dates, nested and on remember hits, and strings that look like its markers as strings', async () => {
      const at = new Date('2026-11-26T10:15:30.123Z');
      const value = { id: 1, createdAt: at, history: [{ at, by: 'ann' }], none: null, invalid: new Date(NaN), text: '\u0000d1700000000000', iso: at.toISOString() };
      await cache.set('dated', value);
      const hit = await cache.get<typeof value>('dated');
      assert.ok(hit!.createdAt instanceof Date, 'a Date comes back as a Date');
      assert.equal(hit!.createdAt.getTime(), at.getTime());
      assert.ok(hit!.history[0]!.at instanceof Date);
      assert.ok(Number.isNaN(hit!.invalid.getTime()), 'an invalid Date stays an invalid Date');
      assert.equal(hit!.text, '\u0000d1700000000000', 'a string shaped like the marker stays a string');
      assert.equal(hit!.iso, at.toISOString(), 'an ISO string stays a string');
      await cache.set('bare-date', at);
      assert.deepEqual(await cache.get('bare-date'), at);

      let builds = 0;
      const build = async () => (builds++, { items: [{ createdAt: at }] });
      const first = await cache.remember('dated-list', { ttl: 60 }, build);
      const second = await cache.remember('dated-list', { ttl: 60 }, build);
      assert.equal(builds, 1, 'the second call is a hit');
      assert.ok(first.items[0]!.createdAt instanceof Date && second.items[0]!.createdAt instanceof Date, 'miss and hit give the same types');
      assert.deepEqual(second, first);
    });

    it('expires entries after their ttl and keeps the others', async () => {
      await cache.set('short', 'x', { ttl: 2 });
      await cache.set('forever', 'y');
      assert.equal(await cache.get('short'), 'x');
      const tookMs = await waitGone(() => cache.get('short'), 4000);
      assert.ok(tookMs >= 0, 'entry expired');
      assert.equal(await cache.get('forever'), 'y');
    });

    it('keeps entries with a ttl beyond 30 days (clamped for memcached)', async () => {
      await cache.set('long-ttl', 'kept', { ttl: 365 * 24 * 3600 });
      assert.equal(await cache.get('long-ttl'), 'kept');
    });

    it('deletes an entry', async () => {
      await cache.set('del', 1);
      await cache.delete('del');
      assert.equal(await cache.get('del'), undefined);
      await cache.delete('never-set'); // no error
    });

    it('does not store undefined', async () => {
      await cache.set('u', 1);
      await cache.set('u', undefined);
      assert.equal(await cache.get('u'), undefined);
    });

    it('invalidates entries by tag and keeps the others', async () => {
      await cache.set('a', 'A', { tags: ['x'] });
      await cache.set('b', 'B', { tags: ['x', 'y'] });
      await cache.set('c', 'C', { tags: ['y'] });
      await cache.set('d', 'D');
      await cache.invalidateTags('x');
      assert.equal(await cache.get('a'), undefined);
      assert.equal(await cache.get('b'), undefined);
      assert.equal(await cache.get('c'), 'C');
      assert.equal(await cache.get('d'), 'D');
      await cache.set('a', 'A2', { tags: ['x'] });
      assert.equal(await cache.get('a'), 'A2', 'entries written after the invalidation are valid');
      await cache.invalidateTags('y', 'never-used');
      assert.equal(await cache.get('c'), undefined);
      assert.equal(await cache.get('a'), 'A2');
      assert.equal(await cache.get('d'), 'D');
    });

    it('treats an entry as stale when its tag version key was evicted', async () => {
      await cache.set('ev', 'old', { tags: ['evicted'] });
      await driver.delete('t:evicted'); // what an LRU eviction of the version key looks like
      assert.equal(await cache.get('ev'), undefined);
      await cache.set('ev', 'new', { tags: ['evicted'] });
      assert.equal(await cache.get('ev'), 'new');
    });

    it('clear() drops every entry and later writes are visible', async () => {
      await cache.set('k1', 1);
      await cache.set('k2', 2, { tags: ['t'] });
      await cache.clear();
      assert.equal(await cache.get('k1'), undefined);
      assert.equal(await cache.get('k2'), undefined);
      await cache.set('k1', 'after');
      assert.equal(await cache.get('k1'), 'after');
    });

    it('remember builds once for 20 concurrent callers and then serves the cache', async () => {
      let builds = 0;
      const build = async () => {
        builds++;
        await sleep(50);
        return { value: 'built' };
      };
      const results = await Promise.all(Array.from({ length: 20 }, () => cache.remember('rem', { tags: ['r'] }, build)));
      assert.equal(builds, 1);
      for (const r of results) assert.deepEqual(r, { value: 'built' });
      assert.deepEqual(await cache.remember('rem', {}, build), { value: 'built' });
      assert.equal(builds, 1);
      await cache.invalidateTags('r');
      await cache.remember('rem', { tags: ['r'] }, build);
      assert.equal(builds, 2, 'rebuilt after its tag was invalidated');
    });

    it('remember does not cache undefined', async () => {
      let builds = 0;
      const build = async () => { builds++; return undefined; };
      assert.equal(await cache.remember('undef', {}, build), undefined);
      assert.equal(await cache.remember('undef', {}, build), undefined);
      assert.equal(builds, 2);
    });

    it('remember leaves a value built across an invalidation stale', async () => {
      const pending = cache.remember('race', { tags: ['rt'] }, async () => {
        await sleep(100);
        return 'from-old-data';
      });
      await sleep(20);
      await cache.invalidateTags('rt'); // data changed while building
      assert.equal(await pending, 'from-old-data');
      assert.equal(await cache.get('race'), undefined);
    });

    it('remember builds once across two cache instances on separate connections', async () => {
      const other = new TaggedCache(kind === 'memory' ? driver : openDriver());
      let builds = 0;
      const build = async () => {
        builds++;
        await sleep(300);
        return `v${builds}`;
      };
      const results = await Promise.all([
        ...Array.from({ length: 5 }, () => cache.remember('xproc', {}, build)),
        ...Array.from({ length: 5 }, () => other.remember('xproc', {}, build)),
      ]);
      assert.equal(builds, 1);
      assert.deepEqual(new Set(results), new Set(['v1']));
    });

    it('a remember loser builds itself when the lock holder never finishes', async () => {
      const impatient = new TaggedCache(driver, { waitMs: 300 });
      assert.equal(await driver.add('l:stuck', 'someone-else', 30), true); // a crashed builder's lock
      const started = Date.now();
      const value = await impatient.remember('stuck', {}, async () => 'mine');
      const waited = Date.now() - started;
      assert.equal(value, 'mine');
      assert.ok(waited >= 250 && waited < 2000, `waited ${waited} ms`);
      assert.equal(await cache.get('stuck'), 'mine');
    });

    it('handles long, unsafe and non-ASCII keys without collisions', async () => {
      const long1 = `${'k'.repeat(400)}-1`;
      const long2 = `${'k'.repeat(400)}-2`;
      const keys = [long1, long2, 'with space', 'tab\tand\nnewline', 'ключ/unicode ✓', '#hash-like', '', 'ctrl\u0001'];
      for (const [i, key] of keys.entries()) await cache.set(key, { i }, { tags: [`tag ${key}`] });
      for (const [i, key] of keys.entries()) assert.deepEqual(await cache.get(key), { i }, `key ${JSON.stringify(key)}`);
      await cache.invalidateTags(`tag ${long1}`);
      assert.equal(await cache.get(long1), undefined);
      assert.deepEqual(await cache.get(long2), { i: 1 });
      if (driver instanceof MemcachedDriver) {
        for (const key of keys) {
          const wire = driver.key(`e:${key}`);
          assert.ok(Buffer.byteLength(wire) <= 250 && /^[\x21-\x7e]+$/.test(wire), wire);
        }
      }
    });

    it('driver add is exclusive and incr counts', async () => {
      assert.equal(await driver.add('cnt', '10', 0), true);
      assert.equal(await driver.add('cnt', '99', 0), false);
      assert.equal(await driver.get('cnt'), '10');
      assert.equal(await driver.incr('cnt', 5), 15);
      assert.equal(await driver.get('cnt'), '15');
      assert.equal(await driver.incr('no-such-counter', 1), undefined);
      const many = await driver.getMany(['cnt', 'absent']);
      assert.deepEqual([...many.entries()], [['cnt', '15']]);
    });

    it('close() ends the connection; data written before stays for other connections', async () => {
      await cache.set('survivor', { ok: 1 });
      await cache.close();
      if (kind === 'memcached') {
        const next = new TaggedCache(openDriver());
        assert.deepEqual(await next.get('survivor'), { ok: 1 });
      } else {
        assert.equal(await cache.get('survivor'), undefined, 'memory cache is dropped on close');
      }
    });
  });
}

describe('cache: memory driver LRU and createCache', () => {
  it('evicts the least recently used entry beyond maxEntries', async () => {
    const d = new MemoryDriver({ maxEntries: 3 });
    await d.set('a', '1', 0);
    await d.set('b', '2', 0);
    await d.set('c', '3', 0);
    assert.equal(await d.get('a'), '1'); // a is now the most recent
    await d.set('d', '4', 0);
    assert.equal(d.size, 3);
    assert.equal(await d.get('b'), undefined);
    assert.deepEqual([await d.get('a'), await d.get('c'), await d.get('d')], ['1', '3', '4']);
  });

  it('createCache builds the configured driver', async () => {
    const mem = createCache({ driver: 'memory', servers: [], prefix: 'p:', memoryMaxEntries: 10 }, silentLogger());
    assert.equal(mem.driverName, 'memory');
    await mem.set('x', 1);
    assert.equal(await mem.get('x'), 1);
    await mem.close();
    const mc = createCache({ driver: 'memcached', servers: [memcachedServer()], prefix: `cc-${randomBytes(4).toString('hex')}:`, memoryMaxEntries: 10 }, silentLogger());
    assert.equal(mc.driverName, 'memcached');
    await mc.ping();
    await mc.close();
  });

  it('createCache rejects memcached without servers', () => {
    assert.throws(
      () => createCache({ driver: 'memcached', servers: [], prefix: 'p:', memoryMaxEntries: 10 }, silentLogger()),
      (err: unknown) => err instanceof PortalError && err.code === 'CONFIG_INVALID',
    );
  });
});
