import path from 'node:path';
import type { Knex } from 'knex';
import type { PortalConfig } from './config/types.js';
import { gateFile } from './db/write-gate.js';
import { ConnectionManager } from './db/connections.js';
import { ModuleDb } from './db/module-db.js';
import { coreErrors } from './errors/codes.js';
import { EventBus } from './events/event-bus.js';
import { createLogger, type Logger } from './log/logger.js';
import { LockService } from './locks/lock-service.js';
import { SecretStore } from './security/secrets.js';
import { Migrator } from './migrations/migrator.js';
import { discoverModules, validateDefinition } from './modules/discover.js';
import { ModuleManager, MODULES_TAG, type ModuleLifecycle } from './modules/module-manager.js';
import { runAsModule } from './modules/owner.js';
import type { ModuleApis, ModuleContext, ModuleDefinition } from './modules/types.js';
import { createCache } from './cache/create-cache.js';
import type { Cache } from './services.js';
import { AgentService } from './agents/agent-service.js';
import { UserService } from './users/user-service.js';
import { GroupService } from './users/group-service.js';
import { TokenService } from './users/token-service.js';
import { RightsService } from './rights/rights-service.js';
import { SessionStore } from './sessions/session-store.js';
import { OptionService } from './options/option-service.js';
import { MailService } from './mail/mail-service.js';
import { FileService } from './files/file-service.js';
import { SiteService } from './sites/site-service.js';
import { Translator } from './i18n/translator.js';
import { ComponentRenderer, type TemplateRoots } from './components/renderer.js';
import { discoverComponents } from './components/registry.js';
import { assertNoRestoreInProgress } from './backup/restore-marker.js';
import type { AnyComponent } from './components/types.js';

export interface BootOptions {
  log?: Logger;
  /** Module manifests to use instead of discovering dist/modules (tests). */
  definitions?: ModuleDefinition[];
  /** Components to use instead of discovering dist/components (tests). */
  components?: AnyComponent[];
  /** Where site templates and component templates live (tests use fixtures). */
  templateRoots?: TemplateRoots;
  /** Activate installed modules (default true). The installer boots without. */
  activate?: boolean;
  /** Boot although a restore has not finished (only the restore itself does). */
  duringRestore?: boolean;
}

declare module './kernel-handle.js' {
  /** The handle module code gets is the kernel itself. */
  // eslint-disable-next-line @typescript-eslint/no-empty-interface
  interface PortalKernel extends Kernel {}
}

/**
 * The kernel: owns connections, the event bus, cache, locks and the services of the
 * main module, and boots the installed modules in dependency order.
 */
export class Kernel {
  readonly connections: ConnectionManager;
  readonly events: EventBus;
  readonly cache: Cache;
  readonly locks: LockService;
  /** Server-side keys shared by every node (CSRF tokens of anonymous visitors, device cookies). */
  readonly secrets: SecretStore;
  readonly migrator: Migrator;
  readonly modules: ModuleManager;
  readonly agents: AgentService;
  readonly users: UserService;
  readonly groups: GroupService;
  readonly tokens: TokenService;
  readonly rights: RightsService;
  readonly sessions: SessionStore;
  readonly options: OptionService;
  readonly mail: MailService;
  readonly files: FileService;
  readonly sites: SiteService;
  readonly i18n: Translator;
  readonly components: ComponentRenderer;

  private readonly apis = new Map<string, unknown>();
  private readonly contexts = new Map<string, ModuleContext>();
  private readonly agentDefs = new Map<string, Map<string, import('./services.js').AgentDefinition>>();
  private lastSync = 0;

  private constructor(
    readonly config: PortalConfig,
    readonly log: Logger,
    definitions: ModuleDefinition[],
    components: AnyComponent[],
    templateRoots?: TemplateRoots,
  ) {
    this.connections = new ConnectionManager(config.db, log, gateFile(config.paths.var));
    // Replicas serve reads only while their replication is healthy (core/db/replica-health.ts).
    if (this.connections.replicaUrls().length > 0) this.connections.watchReplicas();
    this.events = new EventBus(log);
    this.cache = createCache(config.cache, log, { markerFile: path.join(config.paths.var, 'cache-invalidations-pending') });
    this.locks = new LockService(this.connections.main());
    this.secrets = new SecretStore(this.connections.main());
    this.migrator = new Migrator(this.connections.main(), this.locks, (id) => this.db(id));
    const mainDb = this.db('main');
    this.i18n = new Translator();
    this.groups = new GroupService({ db: mainDb, events: this.events, cache: this.cache });
    this.users = new UserService({ db: mainDb, events: this.events, cache: this.cache, log, security: config.security, groups: this.groups, secrets: this.secrets });
    this.tokens = new TokenService({ db: mainDb, users: this.users });
    this.rights = new RightsService({ db: mainDb, cache: this.cache, groups: this.groups });
    this.sessions = new SessionStore({ db: mainDb, ttlSeconds: config.security.sessionTtlSeconds });
    this.options = new OptionService({ db: mainDb, cache: this.cache });
    this.mail = new MailService({ db: mainDb, log, config: config.mail });
    this.files = new FileService({ db: mainDb, uploadDir: config.paths.upload, maxBytes: config.security.uploadMaxBytes, cache: this.cache });
    this.sites = new SiteService({ db: mainDb, cache: this.cache });
    this.agents = new AgentService({
      db: mainDb,
      log,
      owner: this.locks.owner,
      resolve: (module, name) => this.agentDefs.get(module)?.get(name),
    });
    this.modules = new ModuleManager(definitions, this.connections.main(), this.migrator, this.lifecycle(), log);
    this.components = new ComponentRenderer(
      { kernel: this, cache: this.cache, i18n: this.i18n, modules: this.modules, sessions: this.sessions },
      components,
      templateRoots,
    );
  }

  static async boot(config: PortalConfig, options: BootOptions = {}): Promise<Kernel> {
    if (!options.duringRestore) assertNoRestoreInProgress(config.paths.var);
    const log = options.log ?? createLogger({ level: config.log.level });
    const definitions = options.definitions ?? (await discoverModules());
    for (const def of definitions) validateDefinition(def);
    const components = options.components ?? (await discoverComponents());
    const kernel = new Kernel(config, log, definitions, components, options.templateRoots);
    try {
      await kernel.ensureBootstrapTables();
      await kernel.modules.refresh();
      if (options.activate !== false) {
        for (const def of kernel.modules.installedDefinitions()) await kernel.activate(def);
      }
    } catch (err) {
      await kernel.close();
      throw err;
    }
    return kernel;
  }

  /** The module's own DB handle: its tables, on the server that holds them. */
  db(moduleId: string): ModuleDb {
    return new ModuleDb(moduleId, this.connections);
  }

  /** The main connection, for kernel bookkeeping only. */
  get mainKnex(): Knex {
    return this.connections.main();
  }

  isInstalled(): boolean {
    return this.modules.isInstalled('main');
  }

  /** A module's typed API; throws when the module is not installed here. */
  api<K extends keyof ModuleApis & string>(id: K): ModuleApis[K] {
    if (!this.apis.has(id)) throw coreErrors.MODULE_NOT_INSTALLED(id);
    return this.apis.get(id) as ModuleApis[K];
  }

  context(moduleId: string): ModuleContext {
    let ctx = this.contexts.get(moduleId);
    if (!ctx) {
      const def = this.modules.definition(moduleId);
      this.i18n.register(moduleId, def.lang);
      ctx = {
        id: moduleId,
        db: this.db(moduleId),
        events: this.events.forModule(moduleId),
        cache: this.cache,
        log: this.log.child({ module: moduleId }),
        kernel: this,
        option: <T>(name: string, siteId?: string) => this.options.get<T>(moduleId, name, siteId),
        t: (key, language, params) => this.i18n.t(moduleId, key, language, params),
      };
      this.contexts.set(moduleId, ctx);
    }
    return ctx;
  }

  /**
   * Picks up modules installed or uninstalled by another process or node.
   * Cheap enough to call per request; hits the DB at most every `everyMs`.
   */
  async syncModules(everyMs = 2000): Promise<void> {
    if (Date.now() - this.lastSync < everyMs) return;
    this.lastSync = Date.now();
    await this.modules.refresh();
    for (const def of this.modules.available.values()) {
      const installed = this.modules.isInstalled(def.id);
      if (installed && !this.apis.has(def.id)) await this.activate(def);
      if (!installed && this.apis.has(def.id)) await this.deactivate(def);
    }
  }

  async close(): Promise<void> {
    await this.agents.stop();
    await this.mail.close().catch(() => undefined);
    await this.cache.close().catch(() => undefined);
    await this.connections.close();
  }

  private async ensureBootstrapTables(): Promise<void> {
    const knex = this.connections.main();
    await LockService.ensureTable(knex);
    await SecretStore.ensureTable(knex);
    await Migrator.ensureTable(knex);
    await ModuleManager.ensureTable(knex);
  }

  private async activate(def: ModuleDefinition): Promise<void> {
    const ctx = this.context(def.id);
    if (def.rights) this.rights.registerModule(def.id, def.rights);
    if (def.options) this.options.register(def.id, def.options);
    this.agentDefs.set(def.id, new Map((def.agents?.(ctx) ?? []).map((a) => [a.name, a])));
    const api = def.setup ? await runAsModule(def.id, () => def.setup!(ctx)) : {};
    this.apis.set(def.id, api);
  }

  private async deactivate(def: ModuleDefinition): Promise<void> {
    this.events.removeModule(def.id);
    this.rights.removeCheckersOf(def.id);
    this.users.providers.removeModule(def.id);
    this.apis.delete(def.id);
    this.agentDefs.delete(def.id);
  }

  /** Writes what a manifest declares into the DB: rights defaults, mail event types, agents. */
  private async syncDeclarations(def: ModuleDefinition): Promise<void> {
    const ctx = this.context(def.id);
    if (def.rights) {
      this.rights.registerModule(def.id, def.rights);
      await this.rights.writeDefaults(def.id);
    }
    if (def.mailEvents) await this.mail.registerEvents(def.id, def.mailEvents);
    const agents = def.agents?.(ctx) ?? [];
    this.agentDefs.set(def.id, new Map(agents.map((a) => [a.name, a])));
    await this.agents.sync(def.id, agents);
  }

  private lifecycle(): ModuleLifecycle {
    return {
      afterInstall: async (def) => {
        // install() first: the main module creates the groups that rights defaults refer to.
        await def.install?.(this.context(def.id));
        await this.syncDeclarations(def);
      },
      afterUpgrade: (def) => this.syncDeclarations(def),
      beforeUninstall: async (def, dropData) => {
        await def.uninstall?.(this.context(def.id), { dropData });
        await this.agents.removeModule(def.id);
        if (dropData) {
          await this.mail.removeModule(def.id);
          await this.options.removeModule(def.id);
          await this.rights.removeModule(def.id);
        }
      },
      activate: async (def) => {
        await this.activate(def);
        await this.cache.invalidateTags(MODULES_TAG);
      },
      deactivate: async (def) => {
        await this.deactivate(def);
        await this.cache.invalidateTags(MODULES_TAG);
      },
    };
  }
}
