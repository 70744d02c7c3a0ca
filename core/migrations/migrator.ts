import type { Knex } from 'knex';
import { coreErrors } from '../errors/codes.js';
import { PortalError } from '../errors/portal-error.js';
import type { LockService } from '../locks/lock-service.js';
import type { ModuleDb } from '../db/module-db.js';
import type { Migration, ModuleDefinition } from '../modules/types.js';

export const MIGRATIONS_TABLE = 'main_migrations';
const LOCK_NAME = 'migrations';

export interface MigrationStatus {
  module: string;
  name: string;
  applied: boolean;
  batch: number | null;
  appliedAt: Date | null;
}

export interface MigrationProgress {
  (event: { module: string; name: string; direction: 'up' | 'down'; index: number; total: number }): void;
}

/**
 * Per-module migrations, tracked per module in the main DB. A cluster-wide lease
 * keeps two nodes from migrating at once; each migration is its own transaction.
 */
export class Migrator {
  constructor(
    private readonly main: Knex,
    private readonly locks: LockService,
    private readonly dbFor: (moduleId: string) => ModuleDb,
  ) {}

  static async ensureTable(knex: Knex): Promise<void> {
    if (await knex.schema.hasTable(MIGRATIONS_TABLE)) return;
    await knex.schema
      .createTable(MIGRATIONS_TABLE, (t) => {
        t.string('module', 64).notNullable();
        t.string('name', 190).notNullable();
        t.integer('batch').notNullable();
        t.bigInteger('applied_at').notNullable();
        t.primary(['module', 'name']);
      })
      .catch(async (err: unknown) => {
        if (!(await knex.schema.hasTable(MIGRATIONS_TABLE))) throw err;
      });
  }

  async status(defs: ModuleDefinition[]): Promise<MigrationStatus[]> {
    const rows = await this.main(MIGRATIONS_TABLE).select('module', 'name', 'batch', 'applied_at');
    const applied = new Map(rows.map((r) => [`${r.module}/${r.name}`, r]));
    const out: MigrationStatus[] = [];
    for (const def of defs) {
      for (const m of sorted(def.migrations ?? [])) {
        const row = applied.get(`${def.id}/${m.name}`);
        out.push({
          module: def.id,
          name: m.name,
          applied: Boolean(row),
          batch: row ? Number(row.batch) : null,
          appliedAt: row ? new Date(Number(row.applied_at)) : null,
        });
      }
    }
    return out;
  }

  async pending(def: ModuleDefinition): Promise<Migration[]> {
    const done = new Set((await this.main(MIGRATIONS_TABLE).where({ module: def.id }).pluck('name')).map(String));
    return sorted(def.migrations ?? []).filter((m) => !done.has(m.name));
  }

  /** Applies a module's pending migrations as one batch; returns their names. */
  async up(def: ModuleDefinition, onProgress?: MigrationProgress): Promise<string[]> {
    return this.locked(async () => {
      const todo = await this.pending(def);
      if (todo.length === 0) return [];
      const batch = await this.nextBatch(def.id);
      const db = this.dbFor(def.id);
      for (const [index, m] of todo.entries()) {
        onProgress?.({ module: def.id, name: m.name, direction: 'up', index, total: todo.length });
        await this.apply(db, m, 'up');
        await this.main(MIGRATIONS_TABLE).insert({ module: def.id, name: m.name, batch, applied_at: Date.now() });
      }
      return todo.map((m) => m.name);
    });
  }

  /**
   * Reverts a module's latest batch (or everything with `all`), newest first.
   * Returns the names reverted.
   */
  async down(def: ModuleDefinition, opts: { all?: boolean } = {}, onProgress?: MigrationProgress): Promise<string[]> {
    return this.locked(async () => {
      const rows = await this.main(MIGRATIONS_TABLE).where({ module: def.id }).select('name', 'batch');
      if (rows.length === 0) return [];
      const lastBatch = Math.max(...rows.map((r) => Number(r.batch)));
      const names = new Set(rows.filter((r) => opts.all || Number(r.batch) === lastBatch).map((r) => String(r.name)));
      const byName = new Map((def.migrations ?? []).map((m) => [m.name, m]));
      const todo = [...names].sort().reverse();
      const db = this.dbFor(def.id);
      for (const [index, name] of todo.entries()) {
        const m = byName.get(name);
        if (!m) throw coreErrors.MIGRATION_FAILED(`migration "${def.id}/${name}" is recorded but its code is gone; cannot revert it`);
        onProgress?.({ module: def.id, name, direction: 'down', index, total: todo.length });
        await this.apply(db, m, 'down');
        await this.main(MIGRATIONS_TABLE).where({ module: def.id, name }).delete();
      }
      return todo;
    });
  }

  private async apply(db: ModuleDb, m: Migration, direction: 'up' | 'down'): Promise<void> {
    try {
      if (m.transaction === false || db.dialect === 'mysql') {
        // MySQL commits DDL implicitly, so a transaction would only pretend.
        await m[direction](db);
      } else {
        await db.transaction(async (tx) => m[direction](db.withKnex(tx.knex)));
      }
    } catch (err) {
      if (err instanceof PortalError) throw err;
      throw coreErrors.MIGRATION_FAILED(`migration ${db.moduleId}/${m.name} (${direction}) failed: ${(err as Error).message}`);
    }
  }

  private async nextBatch(moduleId: string): Promise<number> {
    const row = await this.main(MIGRATIONS_TABLE).where({ module: moduleId }).max({ b: 'batch' }).first();
    return Number(row?.b ?? 0) + 1;
  }

  private locked<T>(fn: () => Promise<T>): Promise<T> {
    return this.locks.withLock(LOCK_NAME, fn, {
      ttlMs: 120_000,
      waitMs: 30_000,
      busyMessage: 'another process is running migrations; try again when it has finished',
    });
  }
}

function sorted(list: Migration[]): Migration[] {
  return [...list].sort((a, b) => a.name.localeCompare(b.name));
}
