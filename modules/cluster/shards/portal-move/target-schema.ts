import type { PortalConfig } from '../../../../core/config/types.js';
import { Kernel } from '../../../../core/kernel.js';
import { silentLogger } from '../../../../core/log/logger.js';
import type { ModuleDefinition } from '../../../../core/modules/types.js';
import { createRuntimeTables } from './runtime-tables.js';
import type { SqliteSource } from './sqlite-source.js';

/**
 * Creates the portal's schema on the target by running the modules' own migrations there (the
 * kernel's bootstrap tables first), so the target holds MariaDB's schema, not a translation of
 * SQLite's. Only the modules whose tables live in the moving database; nothing is seeded.
 */
export async function createTargetSchema(config: PortalConfig, targetUrl: string, modules: ReadonlySet<string>, source: SqliteSource, definitions?: ModuleDefinition[]): Promise<void> {
  const targetConfig: PortalConfig = { ...config, db: { ...config.db, url: targetUrl, modules: {}, replicas: {} }, cache: { ...config.cache, driver: 'memory' } };
  const kernel = await Kernel.boot(targetConfig, { log: silentLogger(), activate: false, ...(definitions ? { definitions } : {}) });
  try {
    for (const def of kernel.modules.available.values()) {
      if (modules.has(def.id)) await kernel.migrator.up(def);
    }
    await createRuntimeTables(source, kernel.connections, modules);
  } finally {
    await kernel.close();
  }
}
