import type { CacheDriver } from '../services.js';

interface MemoryEntry {
  value: string;
  /** Epoch ms; 0 = never. */
  expiresAt: number;
  /** Value of the driver's use counter when the entry was last moved to the recent end. */
  used: number;
}

/**
 * In-process cache driver: per-entry TTL and LRU eviction beyond `maxEntries`.
 * Only one process sees it, so it suits single-node installs and tests.
 */
export class MemoryDriver implements CacheDriver {
  readonly name = 'memory' as const;
  /** Map order is recency order: the first key is the least recently used. */
  private readonly entries = new Map<string, MemoryEntry>();
  private readonly maxEntries: number;
  /** Counts writes and moves; an entry moved within the last quarter of capacity stays put. */
  private uses = 0;

  constructor(options: { maxEntries?: number } = {}) {
    this.maxEntries = Math.max(1, Math.floor(options.maxEntries ?? 50_000));
  }

  /** Number of live-or-not-yet-swept entries (for tests and stats). */
  get size(): number {
    return this.entries.size;
  }

  async get(key: string): Promise<string | undefined> {
    return this.read(key);
  }

  async getMany(keys: string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const key of keys) {
      const value = this.read(key);
      if (value !== undefined) out.set(key, value);
    }
    return out;
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    this.write(key, value, ttlSeconds);
  }

  async add(key: string, value: string, ttlSeconds: number): Promise<boolean> {
    if (this.read(key) !== undefined) return false;
    this.write(key, value, ttlSeconds);
    return true;
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(key);
  }

  async incr(key: string, by: number): Promise<number | undefined> {
    const entry = this.live(key);
    if (!entry) return undefined;
    const current = Number(entry.value);
    if (!Number.isSafeInteger(current)) throw new Error(`cache value of "${key}" is not an integer`);
    const next = current + by;
    entry.value = String(next);
    return next;
  }

  async flush(): Promise<void> {
    this.entries.clear();
  }

  async ping(): Promise<void> {
    // always reachable
  }

  async close(): Promise<void> {
    this.entries.clear();
  }

  private read(key: string): string | undefined {
    const entry = this.live(key);
    if (!entry) return undefined;
    // Touch: move to the most recently used end, unless it is already among the recent
    // entries; hot keys (tag versions) are read on every request and need no move.
    if (this.uses - entry.used > this.maxEntries / 4) {
      this.entries.delete(key);
      entry.used = ++this.uses;
      this.entries.set(key, entry);
    }
    return entry.value;
  }

  private live(key: string): MemoryEntry | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt !== 0 && entry.expiresAt <= Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  private write(key: string, value: string, ttlSeconds: number): void {
    const expiresAt = ttlSeconds > 0 ? Date.now() + ttlSeconds * 1000 : 0;
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt, used: ++this.uses });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }
}
