import { createHash } from 'node:crypto';
import type { Logger } from '../log/logger.js';
import type { CacheDriver } from '../services.js';
import { CacheCommandError } from './memcached/errors.js';
import { HashRing } from './memcached/hash-ring.js';
import { MemcachedServer } from './memcached/server.js';

/** memcached reads lifetimes above 30 days as absolute unix timestamps. */
export const MEMCACHED_MAX_TTL = 30 * 24 * 3600;
const MAX_KEY_BYTES = 250;
const SAFE_KEY = /^[\x21-\x7e]+$/;
const CRLF = Buffer.from('\r\n');

export interface MemcachedDriverOptions {
  servers: string[];
  /** Prepended to every key so several portals can share one memcached. */
  prefix: string;
  log?: Logger;
  /** Milliseconds before a connect attempt or a reply is given up (then the server is marked down). */
  timeoutMs?: number;
  /** Milliseconds between background probes of a server that is down. */
  retryMs?: number;
}

/**
 * CacheDriver on memcached's text protocol (our own client, see docs/decisions.md). Keys
 * are prefixed; long or unsafe keys are replaced by their sha1 so every key is valid for
 * the protocol. Keys are spread over the servers by consistent hashing; a server that is
 * down fails its commands at once (CacheUnavailableError) until a probe finds it again.
 * One log line when a server goes down and one when it is back.
 */
export class MemcachedDriver implements CacheDriver {
  readonly name = 'memcached' as const;
  private readonly prefix: string;
  private readonly servers: MemcachedServer[];
  private readonly ring: HashRing<MemcachedServer>;
  private readonly recoverListeners: (() => void)[] = [];

  constructor(options: MemcachedDriverOptions) {
    if (options.servers.length === 0) throw new Error('memcached driver needs at least one server (cache.servers)');
    this.prefix = safePrefix(options.prefix);
    const log = options.log;
    const hooks = {
      onDown: (server: string, reason: string) => log?.warn({ server, reason }, 'memcached down: the cache is skipped until it answers again'),
      onUp: (server: string, downMs: number) => {
        log?.info({ server, downMs }, 'memcached up again');
        for (const listener of this.recoverListeners) listener();
      },
    };
    this.servers = [...new Set(options.servers)].map(
      (address) => new MemcachedServer({ address, timeoutMs: options.timeoutMs ?? 1000, retryMs: options.retryMs ?? 2000, hooks }),
    );
    this.ring = new HashRing(this.servers.map((node) => ({ name: node.name, node })));
  }

  /** The protocol key for a logical key: prefix + key, or prefix + "#" + sha1(key) when unsafe. */
  key(key: string): string {
    const full = this.prefix + key;
    if (!key.startsWith('#') && SAFE_KEY.test(full) && Buffer.byteLength(full) <= MAX_KEY_BYTES) return full;
    return `${this.prefix}#${createHash('sha1').update(key).digest('hex')}`;
  }

  /** Called whenever a server that was down answers again. */
  onRecover(listener: () => void): void {
    this.recoverListeners.push(listener);
  }

  async get(key: string): Promise<string | undefined> {
    const full = this.key(key);
    const values = await this.ring.get(full).send('values', `get ${full}\r\n`);
    return values.get(full)?.toString('utf8');
  }

  async getMany(keys: string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    const byServer = new Map<MemcachedServer, Map<string, string>>();
    for (const logical of keys) {
      const full = this.key(logical);
      const server = this.ring.get(full);
      let group = byServer.get(server);
      if (!group) byServer.set(server, (group = new Map()));
      group.set(full, logical);
    }
    await Promise.all(
      [...byServer].map(async ([server, group]) => {
        const values = await server.send('values', `get ${[...group.keys()].join(' ')}\r\n`);
        for (const [full, data] of values) {
          const logical = group.get(full);
          if (logical !== undefined) out.set(logical, data.toString('utf8'));
        }
      }),
    );
    return out;
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    await this.store('set', key, value, ttlSeconds, ['STORED']);
  }

  async add(key: string, value: string, ttlSeconds: number): Promise<boolean> {
    return (await this.store('add', key, value, ttlSeconds, ['STORED', 'NOT_STORED'])) === 'STORED';
  }

  async delete(key: string): Promise<void> {
    await this.line(key, (full) => `delete ${full}\r\n`, ['DELETED', 'NOT_FOUND']);
  }

  async incr(key: string, by: number): Promise<number | undefined> {
    if (!Number.isSafeInteger(by) || by < 0) throw new Error(`memcached incr needs a non-negative integer, got ${by}`);
    const reply = await this.line(key, (full) => `incr ${full} ${by}\r\n`, undefined);
    if (reply === 'NOT_FOUND') return undefined;
    const n = Number(reply.trim());
    if (!Number.isSafeInteger(n)) throw new CacheCommandError(this.ring.get(this.key(key)).name, reply);
    return n;
  }

  /** Flushes the whole memcached server(s), including other portals' keys. */
  async flush(): Promise<void> {
    await Promise.all(this.servers.map((s) => expect(s, s.send('line', 'flush_all\r\n'), ['OK'])));
  }

  /** Every server answers `version`; a server marked down fails at once. */
  async ping(): Promise<void> {
    await Promise.all(
      this.servers.map(async (s) => {
        const reply = await s.send('line', 'version\r\n');
        if (!reply.startsWith('VERSION')) throw new CacheCommandError(s.name, reply);
      }),
    );
  }

  async close(): Promise<void> {
    for (const s of this.servers) s.close();
  }

  private async store(verb: 'set' | 'add', key: string, value: string, ttlSeconds: number, ok: string[]): Promise<string> {
    const full = this.key(key);
    const data = Buffer.from(value, 'utf8');
    const header = Buffer.from(`${verb} ${full} 0 ${clampTtl(ttlSeconds)} ${data.length}\r\n`, 'latin1');
    const server = this.ring.get(full);
    return expect(server, server.send('line', Buffer.concat([header, data, CRLF])), ok);
  }

  private async line(key: string, command: (full: string) => string, ok: string[] | undefined): Promise<string> {
    const full = this.key(key);
    const server = this.ring.get(full);
    const reply = server.send('line', command(full));
    return ok ? expect(server, reply, ok) : reply;
  }
}

async function expect(server: MemcachedServer, reply: Promise<string>, ok: string[]): Promise<string> {
  const line = await reply;
  if (!ok.includes(line)) throw new CacheCommandError(server.name, line);
  return line;
}

function clampTtl(ttlSeconds: number): number {
  if (!Number.isFinite(ttlSeconds) || ttlSeconds <= 0) return 0;
  return Math.min(Math.ceil(ttlSeconds), MEMCACHED_MAX_TTL);
}

function safePrefix(prefix: string): string {
  if (prefix === '' || (SAFE_KEY.test(prefix) && prefix.length <= 64 && !prefix.includes('#'))) return prefix;
  return `${createHash('sha1').update(prefix).digest('hex').slice(0, 16)}:`;
}
