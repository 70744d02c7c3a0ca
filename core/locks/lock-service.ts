import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { Knex } from 'knex';
import { coreErrors } from '../errors/codes.js';

export const LOCKS_TABLE = 'main_locks';

export interface Lease {
  name: string;
  owner: string;
  expiresAt: number;
}

/**
 * Cluster-wide leases in the main database: whoever holds an unexpired row owns the
 * lock. A crashed holder's lease simply runs out, so no lock is held forever.
 */
export class LockService {
  readonly owner: string;

  constructor(private readonly knex: Knex, owner?: string) {
    this.owner = owner ?? `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  }

  static async ensureTable(knex: Knex): Promise<void> {
    if (await knex.schema.hasTable(LOCKS_TABLE)) return;
    await knex.schema.createTable(LOCKS_TABLE, (t) => {
      t.string('name', 190).primary();
      t.string('owner', 190).notNullable();
      t.bigInteger('expires_at').notNullable();
    }).catch(async (err: unknown) => {
      if (!(await knex.schema.hasTable(LOCKS_TABLE))) throw err;
    });
  }

  /** Takes the lock if free or expired; returns null when someone else holds it. */
  async acquire(name: string, ttlMs: number): Promise<Lease | null> {
    const now = Date.now();
    const expiresAt = now + ttlMs;
    const taken = await this.knex(LOCKS_TABLE)
      .where({ name })
      .andWhere((q) => q.where('expires_at', '<', now).orWhere('owner', this.owner))
      .update({ owner: this.owner, expires_at: expiresAt });
    if (taken === 1) return { name, owner: this.owner, expiresAt };
    try {
      await this.knex(LOCKS_TABLE).insert({ name, owner: this.owner, expires_at: expiresAt });
      return { name, owner: this.owner, expiresAt };
    } catch {
      return null; // the row exists and is held by another owner
    }
  }

  /** Extends a held lease; false when it was lost meanwhile. */
  async extend(lease: Lease, ttlMs: number): Promise<boolean> {
    const expiresAt = Date.now() + ttlMs;
    const n = await this.knex(LOCKS_TABLE).where({ name: lease.name, owner: lease.owner }).update({ expires_at: expiresAt });
    if (n === 1) lease.expiresAt = expiresAt;
    return n === 1;
  }

  async release(lease: Lease): Promise<void> {
    await this.knex(LOCKS_TABLE).where({ name: lease.name, owner: lease.owner }).delete();
  }

  /** Who holds a lock now, if anyone. */
  async holder(name: string): Promise<Lease | null> {
    const row = await this.knex(LOCKS_TABLE).where({ name }).andWhere('expires_at', '>=', Date.now()).first();
    return row ? { name, owner: String(row.owner), expiresAt: Number(row.expires_at) } : null;
  }

  /**
   * Runs `fn` holding the lock, renewing it while `fn` runs. Waits up to `waitMs`
   * for the lock, then throws MIGRATION_LOCKED-style CONFLICT with `busyMessage`.
   */
  async withLock<T>(name: string, fn: () => Promise<T>, opts: { ttlMs?: number; waitMs?: number; busyMessage?: string } = {}): Promise<T> {
    const ttlMs = opts.ttlMs ?? 60_000;
    const deadline = Date.now() + (opts.waitMs ?? 0);
    let lease = await this.acquire(name, ttlMs);
    while (!lease && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      lease = await this.acquire(name, ttlMs);
    }
    if (!lease) throw coreErrors.CONFLICT(opts.busyMessage ?? `lock "${name}" is held by another process`);
    const held = lease;
    const renew = setInterval(() => void this.extend(held, ttlMs).catch(() => undefined), Math.max(1000, ttlMs / 3));
    renew.unref();
    try {
      return await fn();
    } finally {
      clearInterval(renew);
      await this.release(held).catch(() => undefined);
    }
  }
}
