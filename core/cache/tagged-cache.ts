import { randomBytes } from 'node:crypto';
import { coreErrors } from '../errors/codes.js';
import type { Logger } from '../log/logger.js';
import type { Cache, CacheDriver, CacheSetOptions } from '../services.js';
import { isTracking, recordDependencies, type Dependencies } from './dependencies.js';
import { CacheUnavailableError, isCacheUnavailable } from './memcached/errors.js';
import type { PendingMarker } from './pending-marker.js';
import { decodeEntry, encodeEntry } from './entry-codec.js';

export { decodeEntry, encodeEntry, type StoredEntry } from './entry-codec.js';

/** Version key of the implicit tag every entry carries; bumping it is `clear()`. */
const GLOBAL_TAG_KEY = 'g';
const entryKey = (key: string): string => `e:${key}`;
const tagKey = (tag: string): string => `t:${tag}`;
const lockKey = (key: string): string => `l:${key}`;

export interface TaggedCacheOptions {
  log?: Logger;
  /** How long a `remember` loser waits for another process's build before building itself. */
  waitMs?: number;
  /** Seconds the cross-process build lock lives if its holder dies. */
  lockTtlSeconds?: number;
  /** Remembers across restarts that an invalidation could not reach the cache. */
  marker?: PendingMarker;
}

/**
 * The portal cache over a driver: JSON values and Dates (nested too), tag invalidation by version keys, an
 * O(1) clear through a global tag, and a stampede guard for `remember`.
 *
 * When the driver fails, reads and writes degrade to misses (the caller builds from the
 * database) and invalidations do not throw: they leave this cache *stale-pending*. Every
 * entry carries the version of the global tag, read from the cache itself, so the first
 * thing done once the cache answers again is to bump it (a clear), and nothing is read
 * from the cache before that succeeds. Other nodes agree because the version lives in
 * memcached, not in this process. Unavailability is logged by the driver, once per
 * state change, not per failed call.
 */
export class TaggedCache implements Cache {
  private readonly inflight = new Map<string, Promise<unknown>>();
  private readonly waitMs: number;
  private readonly lockTtl: number;
  private readonly log?: Logger;
  private readonly marker?: PendingMarker;
  /** Counts failed invalidations; a settle clears the pending state only if none failed meanwhile. */
  private failedInvalidations = 0;
  /** An invalidation failed since the last settle. */
  private missed = false;
  private pending = false;
  /** Why the generation is to be dropped although no invalidation failed (memcached servers changed). */
  private topologyChange: string | undefined;
  private settling: Promise<boolean> | undefined;

  constructor(private readonly driver: CacheDriver, options: TaggedCacheOptions = {}) {
    this.waitMs = options.waitMs ?? 2000;
    this.lockTtl = options.lockTtlSeconds ?? 30;
    this.log = options.log;
    this.marker = options.marker;
    if (this.marker?.exists()) this.pending = true;
    driver.onRecover?.(() => {
      if (this.marker?.exists()) this.pending = true;
      if (this.pending) void this.settle();
    });
    // A key that moved to another server may find an old copy there (from an earlier move):
    // drop the generation before anything is read again.
    driver.onTopologyChange?.((reason) => {
      this.topologyChange = reason;
      this.pending = true;
      void this.settle();
    });
  }

  /** Whether an invalidation is still waiting for the cache to come back. */
  get stalePending(): boolean {
    return this.pending;
  }

  get driverName(): 'memory' | 'memcached' {
    return this.driver.name;
  }

  async get<T>(key: string): Promise<T | undefined> {
    try {
      return await this.read<T>(key);
    } catch (err) {
      this.warn(err, 'cache get failed', key);
      return undefined;
    }
  }

  async set<T>(key: string, value: T, options: CacheSetOptions = {}): Promise<void> {
    try {
      if (value === undefined) return await this.driver.delete(entryKey(key));
      const versions = await this.versions(options.tags ?? []);
      await this.store(key, value, options, versions);
    } catch (err) {
      this.warn(err, 'cache set failed', key);
    }
  }

  /**
   * Stores a value that is valid exactly as long as the given tag versions are current
   * (as recorded by trackDependencies), e.g. a page built from cached parts.
   */
  async setDependent<T>(key: string, value: T, ttlSeconds: number, dependencies: Dependencies): Promise<void> {
    try {
      const versions = Object.fromEntries(dependencies);
      if (!(GLOBAL_TAG_KEY in versions)) Object.assign(versions, await this.versions([]));
      await this.store(key, value, { ttl: ttlSeconds }, versions);
    } catch (err) {
      this.warn(err, 'cache set failed', key);
    }
  }

  /** Records the current versions of `tags` as dependencies of the tracked operation. */
  async dependOn(...tags: string[]): Promise<void> {
    // Called on every request; outside a tracked operation there is nothing to record.
    if (!isTracking()) return;
    try {
      recordDependencies(await this.versions(tags));
    } catch (err) {
      this.warn(err, 'cache unavailable', tags.join(','));
    }
  }

  async delete(key: string): Promise<void> {
    try {
      await this.driver.delete(entryKey(key));
    } catch (err) {
      this.invalidationFailed(err, key);
    }
  }

  async remember<T>(key: string, options: CacheSetOptions, build: () => Promise<T>): Promise<T> {
    const running = this.inflight.get(key);
    if (running) return running as Promise<T>;
    const promise = this.rememberOnce(key, options, build).finally(() => this.inflight.delete(key));
    this.inflight.set(key, promise);
    return promise;
  }

  async invalidateTags(...tags: string[]): Promise<void> {
    try {
      for (const tag of new Set(tags)) await this.bump(tagKey(tag));
    } catch (err) {
      this.invalidationFailed(err, tags.join(','));
    }
  }

  async clear(): Promise<void> {
    try {
      await this.bump(GLOBAL_TAG_KEY);
    } catch (err) {
      this.invalidationFailed(err, GLOBAL_TAG_KEY);
      throw coreErrors.CACHE_UNAVAILABLE('The cache server cannot be reached; every entry will be dropped as soon as it answers again');
    }
  }

  ping(): Promise<void> {
    return this.driver.ping();
  }

  close(): Promise<void> {
    return this.driver.close();
  }

  private async read<T>(key: string): Promise<T | undefined> {
    await this.ready();
    const raw = await this.driver.get(entryKey(key));
    if (raw === undefined) return undefined;
    const entry = decodeEntry(raw);
    if (!entry) return undefined;
    const names = Object.keys(entry.t ?? {});
    const current = await this.driver.getMany(names);
    // A missing version key (evicted) also makes the entry stale.
    for (const name of names) if (current.get(name) !== entry.t[name]) return undefined;
    recordDependencies(entry.t);
    return entry.v as T;
  }

  private async rememberOnce<T>(key: string, options: CacheSetOptions, build: () => Promise<T>): Promise<T> {
    const hit = await this.get<T>(key);
    if (hit !== undefined) return hit;
    let versions: Record<string, string>;
    try {
      // Read before building: an invalidation during the build leaves the result stale.
      versions = await this.versions(options.tags ?? []);
    } catch (err) {
      this.warn(err, 'cache unavailable, building without it', key);
      return build();
    }
    const token = randomBytes(8).toString('hex');
    const deadline = Date.now() + this.waitMs;
    let delay = 20;
    for (;;) {
      if (await this.tryLock(key, token)) {
        try {
          const again = await this.get<T>(key); // another process may have just stored it
          if (again !== undefined) return again;
          return await this.buildAndStore(key, options, versions, build);
        } finally {
          await this.unlock(key, token);
        }
      }
      if (Date.now() >= deadline) break;
      await sleep(Math.min(delay, Math.max(1, deadline - Date.now())));
      delay = Math.min(delay * 2, 200);
      const value = await this.get<T>(key);
      if (value !== undefined) return value;
    }
    return this.buildAndStore(key, options, versions, build);
  }

  private async buildAndStore<T>(key: string, options: CacheSetOptions, versions: Record<string, string>, build: () => Promise<T>): Promise<T> {
    const value = await build();
    recordDependencies(versions);
    if (value !== undefined) {
      await this.store(key, value, options, versions).catch((err: unknown) => this.warn(err, 'cache set failed', key));
    }
    return value;
  }

  private async store(key: string, value: unknown, options: CacheSetOptions, versions: Record<string, string>): Promise<void> {
    await this.driver.set(entryKey(key), encodeEntry({ v: value, t: versions }), options.ttl ?? 0);
  }

  /** Current versions of the global tag and `tags`, creating missing version keys. */
  private async versions(tags: string[]): Promise<Record<string, string>> {
    await this.ready();
    const names = [GLOBAL_TAG_KEY, ...new Set(tags)].map((t, i) => (i === 0 ? t : tagKey(t)));
    const found = await this.driver.getMany(names);
    const out: Record<string, string> = {};
    for (const name of names) {
      let version = found.get(name);
      if (version === undefined) {
        const fresh = freshVersion();
        version = (await this.driver.add(name, fresh, 0)) ? fresh : await this.driver.get(name);
        if (version === undefined) throw new Error(`cache tag version "${name}" vanished`);
      }
      out[name] = version;
    }
    return out;
  }

  /** Makes every entry holding this version key stale. */
  private async bump(name: string): Promise<void> {
    const next = await this.driver.incr(name, 1);
    // Missing key: entries that referenced it are stale already; a new unique value keeps it so.
    if (next === undefined) await this.driver.set(name, freshVersion(), 0);
  }

  private async tryLock(key: string, token: string): Promise<boolean> {
    try {
      return await this.driver.add(lockKey(key), token, this.lockTtl);
    } catch (err) {
      this.warn(err, 'cache lock failed', key);
      return true; // no cache to guard: just build
    }
  }

  private async unlock(key: string, token: string): Promise<void> {
    try {
      if ((await this.driver.get(lockKey(key))) === token) await this.driver.delete(lockKey(key));
    } catch (err) {
      this.warn(err, 'cache unlock failed', key);
    }
  }

  /** Throws while an invalidation is pending and the global bump cannot be made yet. */
  private async ready(): Promise<void> {
    if (this.pending && !(await this.settle())) throw new CacheUnavailableError(this.driver.name, 'invalidations are pending');
  }

  private invalidationFailed(err: unknown, key: string): void {
    this.failedInvalidations++;
    this.missed = true;
    if (!this.pending) this.marker?.set();
    this.pending = true;
    this.warn(err, 'cache invalidation failed; every entry is dropped once the cache answers', key);
  }

  /** Bumps the global tag once for all waiting callers; true when nothing is pending any more. */
  private settle(): Promise<boolean> {
    this.settling ??= (async () => {
      const seen = this.failedInvalidations;
      const topology = this.topologyChange;
      try {
        await this.bump(GLOBAL_TAG_KEY);
      } catch {
        return false;
      } finally {
        this.settling = undefined;
      }
      if (this.topologyChange !== topology) return false; // changed again meanwhile: another settle follows
      this.topologyChange = undefined;
      if (this.failedInvalidations === seen) {
        this.pending = false;
        if (this.missed || this.marker?.exists()) {
          this.missed = false;
          this.marker?.clear();
          this.log?.info({ driver: this.driver.name }, 'cache cleared after invalidations missed during an outage');
        } else this.log?.info({ driver: this.driver.name, reason: topology }, 'cache generation dropped: memcached servers changed');
      }
      return !this.pending;
    })();
    return this.settling;
  }

  /** Failures of an unreachable cache are logged by the driver, once per state change. */
  private warn(err: unknown, msg: string, key: string): void {
    if (isCacheUnavailable(err)) return;
    this.log?.warn({ err, key, driver: this.driver.name }, msg);
  }
}

/** A version no earlier incarnation of the key can have reached (µs clock + random). */
function freshVersion(): string {
  return String(Date.now() * 1000 + Math.floor(Math.random() * 1000));
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
