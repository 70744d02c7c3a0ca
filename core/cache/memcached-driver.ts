import { createHash } from 'node:crypto';
import type { Logger } from '../log/logger.js';
import type { CacheDriver } from '../services.js';
import { CacheCommandError } from './memcached/errors.js';
import { HashRing } from './memcached/hash-ring.js';
import { MemcachedServer, normalizeAddress } from './memcached/server.js';

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
  /** Milliseconds before a connect attempt or a reply is given up (then the server is marked down). Default 250. */
  timeoutMs?: number;
  /** Milliseconds between background probes of a server that is down. Default 2000. */
  retryMs?: number;
}

/** What `stats()` tells about one server. */
export interface MemcachedServerState {
  address: string;
  up: boolean;
  /** Commands that failed because the server could not be reached. */
  failures: number;
}

/**
 * CacheDriver on memcached's text protocol (our own client, see docs/decisions.md). Keys
 * are prefixed; long or unsafe keys are replaced by their sha1 so every key is valid for
 * the protocol. Keys are spread over the servers by consistent hashing. A server that
 * stops answering (refused, or no reply within `timeoutMs`) fails the commands waiting
 * on it once, is then ejected from the ring (its keys move to the next servers) and is
 * probed in the background every `retryMs` until it answers, when it takes its keys
 * back. Each such change of the live set is announced (`onTopologyChange`) so the tagged
 * cache drops the generation: a key that moved may find an old copy where it lands.
 * The server list can change at runtime (`setServers`). One log line when a server goes
 * down and one when it is back.
 */
export class MemcachedDriver implements CacheDriver {
  readonly name = 'memcached' as const;
  private readonly prefix: string;
  private readonly log: Logger | undefined;
  private readonly timeoutMs: number;
  private readonly retryMs: number;
  private servers: MemcachedServer[] = [];
  /** Every configured server: used when none is up, so commands fail at once. */
  private ring!: HashRing<MemcachedServer>;
  /** The servers that are up; undefined when none is. */
  private live: HashRing<MemcachedServer> | undefined;
  private readonly failures = new Map<MemcachedServer, number>();
  private readonly recoverListeners: (() => void)[] = [];
  private readonly topologyListeners: ((reason: string) => void)[] = [];
  private closed = false;

  constructor(options: MemcachedDriverOptions) {
    if (options.servers.length === 0) throw new Error('memcached driver needs at least one server (cache.servers)');
    this.prefix = safePrefix(options.prefix);
    this.log = options.log;
    this.timeoutMs = options.timeoutMs ?? 250;
    this.retryMs = options.retryMs ?? 2000;
    this.replaceServers(options.servers);
  }

  /**
   * Replaces the server list without a restart (a cache node added or removed in the
   * cluster registry). Servers kept keep their connection and state; removed ones are
   * closed; about 1/n of the keys move, and the tagged cache drops the generation.
   */
  setServers(list: string[]): void {
    if (list.length === 0) throw new Error('memcached driver needs at least one server (cache.servers)');
    const before = this.servers.map((s) => s.name).sort().join(',');
    this.replaceServers(list);
    const after = this.servers.map((s) => s.name).sort().join(',');
    if (before !== after) {
      this.log?.info({ servers: after.split(',') }, 'memcached server list changed');
      this.announce('server list changed');
    }
  }

  /** The configured servers, whether each is up, and how many commands failed on it. */
  stats(): MemcachedServerState[] {
    return this.servers.map((s) => ({ address: s.name, up: s.isUp, failures: this.failures.get(s) ?? 0 }));
  }

  /** Called whenever the live set of servers changes (a server ejected or back, the list changed). */
  onTopologyChange(listener: (reason: string) => void): void {
    this.topologyListeners.push(listener);
  }

  private replaceServers(list: string[]): void {
    const wanted = [...new Set(list.map((a) => normalizeAddress(a)))];
    const kept = new Map(this.servers.map((s) => [s.name, s]));
    const next = wanted.map((address) => kept.get(address) ?? this.newServer(address));
    for (const old of this.servers) if (!next.includes(old)) {
      old.close();
      this.failures.delete(old);
    }
    this.servers = next;
    this.ring = new HashRing(next.map((node) => ({ name: node.name, node })));
    this.rebuildLive();
  }

  private newServer(address: string): MemcachedServer {
    const server: MemcachedServer = new MemcachedServer({
      address,
      timeoutMs: this.timeoutMs,
      retryMs: this.retryMs,
      hooks: {
        onDown: (name: string, reason: string) => {
          this.log?.warn({ server: name, reason }, 'memcached down: the cache is skipped until it answers again');
          this.changed(server, `${name} down`);
        },
        onUp: (name: string, downMs: number) => {
          this.log?.info({ server: name, downMs }, 'memcached up again');
          this.changed(server, `${name} back`);
          for (const listener of this.recoverListeners) listener();
        },
        onFailure: () => this.failures.set(server, (this.failures.get(server) ?? 0) + 1),
      },
    });
    return server;
  }

  /** A server went down or came back: rebuild the live ring and announce it when keys moved. */
  private changed(server: MemcachedServer, reason: string): void {
    if (this.closed || !this.servers.includes(server)) return;
    this.rebuildLive();
    if (this.servers.length > 1) this.announce(reason);
  }

  private announce(reason: string): void {
    for (const listener of this.topologyListeners) listener(reason);
  }

  private rebuildLive(): void {
    const up = this.servers.filter((s) => s.isUp);
    this.live = up.length === 0 ? undefined : up.length === this.servers.length ? this.ring : new HashRing(up.map((node) => ({ name: node.name, node })));
  }

  /** The server a protocol key lives on now: its place among the live servers. */
  private pick(full: string): MemcachedServer {
    return (this.live ?? this.ring).get(full);
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
    const values = await this.pick(full).send('values', `get ${full}\r\n`);
    return values.get(full)?.toString('utf8');
  }

  async getMany(keys: string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    const byServer = new Map<MemcachedServer, Map<string, string>>();
    for (const logical of keys) {
      const full = this.key(logical);
      const server = this.pick(full);
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
    if (!Number.isSafeInteger(n)) throw new CacheCommandError(this.pick(this.key(key)).name, reply);
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
    this.closed = true;
    for (const s of this.servers) s.close();
  }

  private async store(verb: 'set' | 'add', key: string, value: string, ttlSeconds: number, ok: string[]): Promise<string> {
    const full = this.key(key);
    const data = Buffer.from(value, 'utf8');
    const header = Buffer.from(`${verb} ${full} 0 ${clampTtl(ttlSeconds)} ${data.length}\r\n`, 'latin1');
    const server = this.pick(full);
    return expect(server, server.send('line', Buffer.concat([header, data, CRLF])), ok);
  }

  private async line(key: string, command: (full: string) => string, ok: string[] | undefined): Promise<string> {
    const full = this.key(key);
    const server = this.pick(full);
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
