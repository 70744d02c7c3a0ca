import { createHash } from 'node:crypto';
import type Memcached from 'memcached';
import { lazyRequire } from '../lazy.js';

const loadMemcached = lazyRequire<typeof Memcached>('memcached');
import type { Logger } from '../log/logger.js';
import type { CacheDriver } from '../services.js';

/** memcached reads lifetimes above 30 days as absolute unix timestamps. */
export const MEMCACHED_MAX_TTL = 30 * 24 * 3600;
const MAX_KEY_BYTES = 250;
const SAFE_KEY = /^[\x21-\x7e]+$/;

export interface MemcachedDriverOptions {
  servers: string[];
  /** Prepended to every key so several portals can share one memcached. */
  prefix: string;
  log?: Logger;
  /** Milliseconds before a command or connect attempt is given up. */
  timeoutMs?: number;
}

/**
 * CacheDriver on the `memcached` package. Keys are prefixed; long or unsafe keys are
 * replaced by their sha1 so every key is valid for the memcached protocol.
 */
export class MemcachedDriver implements CacheDriver {
  readonly name = 'memcached' as const;
  private readonly client: Memcached;
  private readonly prefix: string;

  constructor(options: MemcachedDriverOptions) {
    if (options.servers.length === 0) throw new Error('memcached driver needs at least one server (cache.servers)');
    this.prefix = safePrefix(options.prefix);
    const timeout = options.timeoutMs ?? 2000;
    const Client = loadMemcached();
    this.client = new Client(options.servers, {
      timeout,
      idle: 30_000,
      retries: 2,
      retry: 2000,
      failures: 3,
      reconnect: 5000,
      remove: false,
      keyCompression: false,
    });
    const log = options.log;
    if (log) {
      this.client.on('issue', (d) => log.warn({ server: d.server, messages: d.messages }, 'memcached issue'));
      this.client.on('failure', (d) => log.error({ server: d.server, messages: d.messages }, 'memcached server failed'));
    }
  }

  /** The protocol key for a logical key: prefix + key, or prefix + "#" + sha1(key) when unsafe. */
  key(key: string): string {
    const full = this.prefix + key;
    if (!key.startsWith('#') && SAFE_KEY.test(full) && Buffer.byteLength(full) <= MAX_KEY_BYTES) return full;
    return `${this.prefix}#${createHash('sha1').update(key).digest('hex')}`;
  }

  async get(key: string): Promise<string | undefined> {
    const data = await this.call<unknown>((cb) => this.client.get(this.key(key), cb));
    return asString(data);
  }

  async getMany(keys: string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    if (keys.length === 0) return out;
    const byFull = new Map<string, string>();
    for (const k of keys) byFull.set(this.key(k), k);
    const data = await this.call<Record<string, unknown> | undefined>((cb) => this.client.getMulti([...byFull.keys()], cb));
    for (const [full, raw] of Object.entries(data ?? {})) {
      const logical = byFull.get(full);
      const value = asString(raw);
      if (logical !== undefined && value !== undefined) out.set(logical, value);
    }
    return out;
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    await this.call((cb) => this.client.set(this.key(key), value, clampTtl(ttlSeconds), cb));
  }

  async add(key: string, value: string, ttlSeconds: number): Promise<boolean> {
    try {
      const stored = await this.call<boolean>((cb) => this.client.add(this.key(key), value, clampTtl(ttlSeconds), cb));
      return stored !== false;
    } catch (err) {
      if ((err as { notStored?: boolean }).notStored) return false;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    await this.call((cb) => this.client.del(this.key(key), cb));
  }

  async incr(key: string, by: number): Promise<number | undefined> {
    const result = await this.call<number | boolean>((cb) => this.client.incr(this.key(key), by, cb));
    return typeof result === 'number' ? result : undefined;
  }

  /** Flushes the whole memcached server(s), including other portals' keys. */
  async flush(): Promise<void> {
    await this.call((cb) => this.client.flush(cb));
  }

  async ping(): Promise<void> {
    await this.call((cb) => this.client.version(cb));
  }

  async close(): Promise<void> {
    this.client.end();
  }

  private call<T>(run: (cb: (err: unknown, data: T) => void) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      run((err, data) => {
        if (err) reject(toError(err));
        else resolve(data);
      });
    });
  }
}

function clampTtl(ttlSeconds: number): number {
  if (!Number.isFinite(ttlSeconds) || ttlSeconds <= 0) return 0;
  return Math.min(Math.ceil(ttlSeconds), MEMCACHED_MAX_TTL);
}

function safePrefix(prefix: string): string {
  if (prefix === '' || (SAFE_KEY.test(prefix) && prefix.length <= 64 && !prefix.includes('#'))) return prefix;
  return `${createHash('sha1').update(prefix).digest('hex').slice(0, 16)}:`;
}

function asString(data: unknown): string | undefined {
  if (typeof data === 'string') return data;
  if (typeof data === 'number') return String(data);
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  return undefined; // a miss comes back as undefined or false
}

function toError(err: unknown): Error {
  if (err instanceof Error) return err;
  if (Array.isArray(err)) return toError(err[0]);
  return new Error(`memcached: ${String(err)}`);
}
