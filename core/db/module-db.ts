import type { Knex } from 'knex';
import { dialectOf, type Dialect } from './connections.js';
import { fixedRoutes, type DbRoutes } from './routes.js';

/** A transaction scoped to one module's tables; callbacks added with onCommit run after COMMIT. */
export interface ModuleTx {
  readonly knex: Knex.Transaction;
  /** A query on this module's table `name` inside the transaction. */
  table(name: string): Knex.QueryBuilder;
  onCommit(callback: () => Promise<void> | void): void;
}

/** Table names are prefixed with the module id: module "forum", table "topics" -> forum_topics. */
export function tablePrefix(moduleId: string): string {
  return `${moduleId.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_`;
}

/**
 * A module's own database handle. It reaches only the module's tables (every name is
 * prefixed), on the server that holds them; reads may go to a replica, writes never do.
 */
export class ModuleDb {
  readonly prefix: string;
  readonly dialect: Dialect;

  constructor(
    readonly moduleId: string,
    private readonly routes: DbRoutes,
  ) {
    this.prefix = tablePrefix(moduleId);
    this.dialect = dialectOf(routes.writer(moduleId));
  }

  private get writer(): Knex {
    return this.routes.writer(this.moduleId);
  }

  private get reader(): Knex {
    return this.routes.reader(this.moduleId);
  }

  /** Full table name of the module's table `name`. */
  table(name: string): string {
    return this.prefix + name;
  }

  /** A SELECT-side query on a replica when one is configured. */
  read(name: string): Knex.QueryBuilder {
    return this.reader(this.table(name));
  }

  /** A query on the primary, for INSERT/UPDATE/DELETE and reads that must see the latest write. */
  write(name: string): Knex.QueryBuilder {
    return this.writer(this.table(name));
  }

  /** Schema builder on the primary, for migrations. Pass `db.table(name)` as names. */
  get schema(): Knex.SchemaBuilder {
    return this.writer.schema;
  }

  /** Parameterized raw SQL on the primary (`?` placeholders only). */
  raw(sql: string, bindings: readonly Knex.RawBinding[] = []): Knex.Raw {
    return this.writer.raw(sql, bindings as Knex.RawBinding[]);
  }

  /** Runs `fn` in a transaction; onCommit callbacks run only if it commits. */
  async transaction<T>(fn: (tx: ModuleTx) => Promise<T>): Promise<T> {
    const callbacks: (() => Promise<void> | void)[] = [];
    // The primary is resolved once per transaction: every statement of it runs on one connection.
    const result = await this.writer.transaction(async (trx) => {
      const tx: ModuleTx = {
        knex: trx,
        table: (name) => trx(this.table(name)),
        onCommit: (cb) => void callbacks.push(cb),
      };
      return fn(tx);
    });
    this.routes.committed?.(this.moduleId);
    for (const cb of callbacks) await cb();
    return result;
  }

  /** The same handle bound to a transaction, so migrations run atomically on SQLite. */
  withKnex(knex: Knex): ModuleDb {
    return new ModuleDb(this.moduleId, fixedRoutes(knex));
  }

  /** Whether the module's table exists (used by install/uninstall and doctor). */
  hasTable(name: string): Promise<boolean> {
    return this.writer.schema.hasTable(this.table(name));
  }
}

/** Rows from SQLite and MySQL both give 0/1 for booleans; this turns them into booleans. */
export function toBool(v: unknown): boolean {
  return v === true || v === 1 || v === '1';
}

/** Timestamps are stored as UTC epoch milliseconds (BIGINT), whatever the server's time zone. */
export function toDate(v: unknown): Date | null {
  if (v === null || v === undefined) return null;
  return new Date(Number(v));
}
