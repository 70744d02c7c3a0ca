import { applyCacheUrl, loadConfig, readSettingsFile } from '../core/config/load-config.js';
import type { PortalConfig } from '../core/config/types.js';
import { parseDbUrl, redact } from '../core/db/db-url.js';
import { coreErrors } from '../core/errors/codes.js';
import { PortalError } from '../core/errors/portal-error.js';
import { Kernel } from '../core/kernel.js';
import { silentLogger, type Logger } from '../core/log/logger.js';
import { discoverModules } from '../core/modules/discover.js';
import { resolveOrder } from '../core/modules/resolve-order.js';
import type { ModuleDefinition } from '../core/modules/types.js';
import { checkPasswordPolicy } from '../core/users/passwords.js';
import { validateEmail, validateLogin } from '../core/users/user-validation.js';
import { ensureAdmin, type AdminInput } from './admin.js';
import { ensureMysqlDatabase, probeDatabase } from './database.js';
import { installDemoData, type DemoUsers } from './demo.js';
import { installDemoNews } from './demo-news.js';
import { installDemoForum } from './demo-forum.js';
import { describeFailures, runDoctor } from './doctor.js';
import { installErrors } from './errors.js';
import { planInstall, standardModules } from './plan-modules.js';
import { settingsFrom, writeSettings } from './settings.js';
import { silentUi, type InstallOptions, type InstallResult, type InstallUi } from './types.js';

export type { InstallOptions, InstallResult, InstallUi } from './types.js';

export const DEFAULT_ADMIN_LOGIN = 'admin';
export const DEFAULT_ADMIN_EMAIL = 'admin@example.com';

/**
 * Installs the portal: checks the environment, creates the database when it can,
 * writes var/settings.json, installs main and the chosen modules, and sets up the
 * administrator. Refuses an installed portal unless `force`, which re-runs the steps
 * idempotently (pending migrations, missing modules, admin) and never drops data.
 */
export async function installPortal(opts: InstallOptions = {}, ui: InstallUi = silentUi, log: Logger = silentLogger()): Promise<InstallResult> {
  const env = opts.env ?? process.env;
  const config = await resolveInstallConfig(opts);
  const admin = resolveAdmin(opts, env);
  const definitions = opts.definitions ?? (await discoverModules());
  const available = new Map(resolveOrder(definitions).map((d) => [d.id, d]));
  planInstall(available, opts.modules ?? [], () => false); // unknown ids fail before anything is touched

  const existing = await findExistingInstall(config);
  if (existing && !opts.force) {
    throw coreErrors.ALREADY_INSTALLED(
      `the portal is already installed in ${redact(existing)}; pass --force to re-run the install steps over it (keeps all data)`,
    );
  }

  ui.step('Checking the environment');
  const checks = await runDoctor(config, { only: ['install'], definitions });
  for (const c of checks) if (c.status === 'warn') ui.warn(`${c.id}: ${c.message}`);
  const failed = describeFailures(checks);
  if (failed) throw installErrors.INSTALL_CHECKS_FAILED(`install checks failed: ${failed}`);

  let createdDatabase = false;
  for (const url of new Set([config.db.url, ...Object.values(config.db.modules)])) {
    if (parseDbUrl(url).client !== 'mysql') continue;
    const created = await ensureMysqlDatabase(url);
    if (created) ui.step(`Created database "${(parseDbUrl(url) as { database: string }).database}"`);
    if (url === config.db.url) createdDatabase = created;
  }

  const settingsFile = writeSettings(config.paths.var, settingsFrom(config));
  ui.step(`Wrote ${settingsFile}`);
  return runSteps({ config, definitions, admin, opts, ui, log, createdDatabase, settingsFile });
}

async function runSteps(s: {
  config: PortalConfig;
  definitions: ModuleDefinition[];
  admin: AdminInput;
  opts: InstallOptions;
  ui: InstallUi;
  log: Logger;
  createdDatabase: boolean;
  settingsFile: string;
}): Promise<InstallResult> {
  const { config, ui, opts } = s;
  const kernel = await Kernel.boot(config, { log: s.log, activate: false, definitions: s.definitions });
  try {
    // A shared cache may hold entries of an earlier install on another DB; trust none of them.
    await kernel.cache.clear();
    const progress = ui.migration.bind(ui);
    const reinstalled = kernel.isInstalled();
    const installedNow: string[] = [];
    if (reinstalled) {
      ui.step('Applying pending migrations of installed modules');
      const upgraded = await kernel.modules.upgrade(progress);
      ui.done();
      if (upgraded.length) ui.step(`Upgraded: ${upgraded.join(', ')}`);
      await kernel.groups.ensureSystemGroups(config.site.language);
      await kernel.sites.ensureDefault(config.site.name, config.site.language);
    } else {
      ui.step('Installing module main');
      await kernel.modules.install('main', progress);
      ui.done();
      installedNow.push('main');
    }
    // A fresh install without a module list gets the standard set; --force adds only what is asked.
    const wanted = opts.modules ?? (reinstalled ? [] : standardModules(kernel.modules.available, { demo: opts.demo }));
    for (const id of planInstall(kernel.modules.available, wanted, (m) => kernel.modules.isInstalled(m))) {
      ui.step(`Installing module ${id}`);
      await kernel.modules.install(id, progress);
      ui.done();
      installedNow.push(id);
    }
    ui.step(`Setting up the administrator "${s.admin.login}"`);
    const { generatedPassword } = await ensureAdmin(kernel, s.admin);
    let demoUsers: DemoUsers | undefined;
    if (opts.demo) {
      // Over an existing portal the installed modules are not running yet: the demo needs their APIs.
      await kernel.syncModules(0);
      demoUsers = await installDemoData(kernel);
      ui.step(`Added ${demoUsers.created.length} demo users`);
      const news = await installDemoNews(kernel);
      if (news.skipped) ui.warn(`No demo news: ${news.skipped}`);
      else ui.step(`Added ${news.elements} demo news${news.pages.length ? `; pages ${news.pages.join(', ')}` : ''}`);
      const forum = await installDemoForum(kernel);
      if (forum.skipped) ui.warn(`No demo forum: ${forum.skipped}`);
      else if (forum.topics) ui.step(`Added a demo forum with ${forum.topics} topics and ${forum.replies} replies`);
    }
    await kernel.modules.refresh();
    return {
      adminLogin: s.admin.login,
      ...(generatedPassword ? { generatedPassword } : {}),
      ...(demoUsers ? { demoUsers } : {}),
      dbUrl: config.db.url,
      modules: kernel.modules.installedDefinitions().map((d) => d.id),
      installedNow,
      createdDatabase: s.createdDatabase,
      reinstalled,
      settingsFile: s.settingsFile,
      config,
    };
  } finally {
    ui.done();
    await kernel.close();
  }
}

/**
 * The configuration an install would use: `opts.config` (or loadConfig) with the
 * DB URL, cache and site name of the options applied. Without a DB URL of its own,
 * the SQLite file is the one loadConfig puts under the var dir.
 */
export async function resolveInstallConfig(opts: InstallOptions = {}): Promise<PortalConfig> {
  const config = structuredClone(opts.config ?? (await loadConfig({ env: opts.env ?? process.env })));
  if (opts.dbUrl) config.db.url = opts.dbUrl;
  parseDbUrl(config.db.url);
  if (opts.cache) applyCacheUrl(config, opts.cache);
  if (opts.siteName !== undefined) {
    if (!opts.siteName.trim()) throw coreErrors.VALIDATION_FAILED('site name must not be empty');
    config.site.name = opts.siteName.trim();
  }
  if (opts.siteLanguage !== undefined) config.site.language = parseSiteLanguage(opts.siteLanguage);
  return config;
}

/** `en` or `ru` (any case, spaces around ignored); anything else is a validation error naming the choices. */
export function parseSiteLanguage(value: string): 'en' | 'ru' {
  const lang = value.trim().toLowerCase();
  if (lang === 'en' || lang === 'ru') return lang;
  throw coreErrors.VALIDATION_FAILED(`site language must be en or ru, got "${value}"`);
}

/**
 * The URL of an installed portal this install would run over: the target DB, or the
 * DB that var/settings.json points at. Null when neither holds an installed portal.
 */
export async function findExistingInstall(config: PortalConfig): Promise<string | null> {
  const urls = [config.db.url];
  const fromSettings = readSettingsFile(config.paths.var).db?.url;
  if (fromSettings && fromSettings !== config.db.url) urls.push(fromSettings);
  for (const url of urls) {
    const probe = await probeDatabase(url);
    if (probe.installed) return url;
  }
  return null;
}

/** Admin credentials: options, else PORTAL_ADMIN_* env, else defaults (password generated later). */
export function resolveAdmin(opts: InstallOptions, env: NodeJS.ProcessEnv): AdminInput {
  const login = (opts.adminLogin ?? env.PORTAL_ADMIN_LOGIN ?? DEFAULT_ADMIN_LOGIN).trim();
  const email = (opts.adminEmail ?? env.PORTAL_ADMIN_EMAIL ?? DEFAULT_ADMIN_EMAIL).trim();
  const password = opts.adminPassword || env.PORTAL_ADMIN_PASSWORD || undefined;
  const name = (opts.adminName ?? env.PORTAL_ADMIN_NAME ?? '').trim();
  const lastName = (opts.adminLastName ?? env.PORTAL_ADMIN_LAST_NAME ?? '').trim();
  try {
    validateLogin(login);
    validateEmail(email);
    if (password !== undefined) checkPasswordPolicy(password, login);
    if (name.length > 100 || lastName.length > 100) throw coreErrors.VALIDATION_FAILED('first and last name must be at most 100 characters each');
  } catch (err) {
    if (err instanceof PortalError) throw new PortalError(err.code, `administrator: ${err.message}`, { status: err.status, details: err.details });
    throw err;
  }
  return { login, email, ...(password !== undefined ? { password } : {}), ...(name ? { name } : {}), ...(lastName ? { lastName } : {}) };
}
