import type { Knex } from 'knex';

/**
 * Where a module's queries go, asked on every query and transaction (not once at boot), so a
 * change of the registry (a replica out of the pool, a module moved to its own server) takes
 * effect on the next query without a restart.
 */
export interface DbRoutes {
  /** The primary that holds the module's tables. */
  writer(moduleId: string): Knex;
  /** A connection for plain reads: a replica when one is in the pool, else the primary. */
  reader(moduleId: string): Knex;
  /** Told after a transaction of the module committed, so the session reads its own writes. */
  committed?(moduleId: string): void;
}

/** Routes that always answer the same connection (a migration's transaction, a tool's own handle). */
export function fixedRoutes(knex: Knex): DbRoutes {
  return { writer: () => knex, reader: () => knex };
}
