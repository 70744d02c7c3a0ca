import type { Knex } from 'knex';
import { coreErrors } from '../errors/codes.js';
import type { Logger } from '../log/logger.js';
import type { Migrator, MigrationProgress } from '../migrations/migrator.js';
import { checkDependencies, resolveOrder } from './resolve-order.js';
import type { ModuleDefinition } from './types.js';

export const MODULES_TABLE = 'main_modules';
/** Cache tag bumped whenever the set of installed modules changes. */
export const MODULES_TAG = 'main:modules';

export interface InstalledModule {
  id: string;
  version: string;
  installedAt: Date;
}

export interface ModuleLifecycle {
  /** Runs after migrations on install: rights defaults, agents, mail events, def.install. */
  afterInstall(def: ModuleDefinition): Promise<void>;
  /** Runs after an upgrade applied new migrations or a new version: re-syncs agents, mail events, rights defaults. */
  afterUpgrade(def: ModuleDefinition): Promise<void>;
  /** Runs before tables are dropped on uninstall. */
  beforeUninstall(def: ModuleDefinition, dropData: boolean): Promise<void>;
  /** Boots the module in this process (setup, listeners). */
  activate(def: ModuleDefinition): Promise<void>;
  deactivate(def: ModuleDefinition): Promise<void>;
}

/** Knows which modules exist (code) and which are installed (DB), and moves them between the two. */
export class ModuleManager {
  private installed = new Map<string, InstalledModule>();
  readonly available: ReadonlyMap<string, ModuleDefinition>;

  constructor(
    definitions: ModuleDefinition[],
    private readonly main: Knex,
    private readonly migrator: Migrator,
    private readonly lifecycle: ModuleLifecycle,
    private readonly log: Logger,
  ) {
    this.available = new Map(resolveOrder(definitions).map((d) => [d.id, d]));
  }

  static async ensureTable(knex: Knex): Promise<void> {
    if (await knex.schema.hasTable(MODULES_TABLE)) return;
    await knex.schema
      .createTable(MODULES_TABLE, (t) => {
        t.string('id', 64).primary();
        t.string('version', 32).notNullable();
        t.bigInteger('installed_at').notNullable();
        t.bigInteger('updated_at').notNullable();
      })
      .catch(async (err: unknown) => {
        if (!(await knex.schema.hasTable(MODULES_TABLE))) throw err;
      });
  }

  /** Reloads the installed set from the DB; returns true when it changed. */
  async refresh(): Promise<boolean> {
    const rows = await this.main(MODULES_TABLE).select('id', 'version', 'installed_at');
    const next = new Map<string, InstalledModule>(
      rows.map((r) => [String(r.id), { id: String(r.id), version: String(r.version), installedAt: new Date(Number(r.installed_at)) }]),
    );
    const changed = next.size !== this.installed.size || [...next.keys()].some((id) => !this.installed.has(id));
    this.installed = next;
    return changed;
  }

  isInstalled(id: string): boolean {
    return this.installed.has(id);
  }

  listInstalled(): InstalledModule[] {
    return [...this.installed.values()];
  }

  /** Installed modules in dependency order, with their code. */
  installedDefinitions(): ModuleDefinition[] {
    return [...this.available.values()].filter((d) => this.installed.has(d.id));
  }

  definition(id: string): ModuleDefinition {
    const def = this.available.get(id);
    if (!def) throw coreErrors.MODULE_NOT_FOUND(id);
    return def;
  }

  /** Installs a module: checks dependencies, migrates, seeds, records, boots. */
  async install(id: string, onProgress?: MigrationProgress): Promise<void> {
    const def = this.definition(id);
    await this.refresh();
    if (this.installed.has(id)) throw coreErrors.MODULE_ALREADY_INSTALLED(id);
    checkDependencies(def, this.installedVersions());
    await this.migrator.up(def, onProgress);
    await this.lifecycle.afterInstall(def);
    const now = Date.now();
    await this.main(MODULES_TABLE).insert({ id, version: def.version, installed_at: now, updated_at: now });
    this.installed.set(id, { id, version: def.version, installedAt: new Date(now) });
    await this.lifecycle.activate(def);
    this.log.info({ module: id, version: def.version }, 'module installed');
  }

  /** Applies new migrations of installed modules whose code is newer (upgrade). */
  async upgrade(onProgress?: MigrationProgress): Promise<string[]> {
    await this.refresh();
    const upgraded: string[] = [];
    for (const def of this.installedDefinitions()) {
      const applied = await this.migrator.up(def, onProgress);
      const row = this.installed.get(def.id)!;
      if (applied.length > 0 || row.version !== def.version) {
        await this.lifecycle.afterUpgrade(def);
        await this.main(MODULES_TABLE).where({ id: def.id }).update({ version: def.version, updated_at: Date.now() });
        row.version = def.version;
        upgraded.push(def.id);
      }
    }
    return upgraded;
  }

  /**
   * Uninstalls a module. Its tables and data stay unless `dropData`; then its
   * migrations are reverted. Refuses while another installed module depends on it.
   */
  async uninstall(id: string, opts: { dropData?: boolean } = {}, onProgress?: MigrationProgress): Promise<void> {
    const def = this.definition(id);
    await this.refresh();
    if (!this.installed.has(id)) throw coreErrors.MODULE_NOT_INSTALLED(id);
    if (def.required) throw coreErrors.MODULE_IN_USE(`module "${id}" is required by the kernel and cannot be uninstalled`);
    const dependants = this.installedDefinitions().filter((d) => d.id !== id && d.dependencies && id in d.dependencies);
    if (dependants.length > 0) {
      throw coreErrors.MODULE_IN_USE(`module "${id}" is needed by ${dependants.map((d) => `"${d.id}"`).join(', ')}; uninstall those first`);
    }
    const dropData = Boolean(opts.dropData);
    await this.lifecycle.deactivate(def);
    await this.lifecycle.beforeUninstall(def, dropData);
    if (dropData) await this.migrator.down(def, { all: true }, onProgress);
    await this.main(MODULES_TABLE).where({ id }).delete();
    this.installed.delete(id);
    this.log.info({ module: id, dropData }, 'module uninstalled');
  }

  private installedVersions(): Map<string, { version: string }> {
    const out = new Map<string, { version: string }>();
    for (const m of this.installed.values()) {
      // The running code's version is what the dependant will talk to.
      out.set(m.id, { version: this.available.get(m.id)?.version ?? m.version });
    }
    return out;
  }
}
