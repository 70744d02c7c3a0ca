import { Command } from 'commander';
import { redact } from '../../core/db/db-url.js';
import { coreErrors } from '../../core/errors/codes.js';
import { discoverModules } from '../../core/modules/discover.js';
import {
  DEFAULT_ADMIN_EMAIL,
  DEFAULT_ADMIN_LOGIN,
  findExistingInstall,
  installPortal,
  resolveInstallConfig,
  type InstallOptions,
  type InstallResult,
} from '../../installer/install.js';
import { parseModuleList, STANDARD_MODULES, standardModules } from '../../installer/plan-modules.js';
import { cliLogger } from '../utils/kernel.js';
import type { DemoUsers } from '../../installer/demo.js';
import { line, printGeneratedPassword, printJson, printSecretBox } from '../utils/output.js';
import { createProgressUi } from '../utils/progress.js';
import { ask, askNewPassword, isInteractive } from '../utils/prompt.js';

interface InstallFlags {
  db?: string;
  cache?: string;
  adminLogin?: string;
  adminEmail?: string;
  adminPassword?: string;
  adminName?: string;
  adminLastName?: string;
  siteName?: string;
  language?: string;
  modules?: string;
  demo?: boolean;
  yes?: boolean;
  force?: boolean;
  json?: boolean;
}

export function installCommand(): Command {
  return new Command('install')
    .description('install the portal: database, var/settings.json, the main module and an administrator')
    .option('--db <url>', 'database: sqlite:<path> or mysql://user:pass@host:port/db (default: sqlite:var/portal.db)')
    .option('--cache <url>', 'cache: memory or memcached://host:port[,host:port] (default: memory)')
    .option('--admin-login <login>', 'administrator login (default: admin)')
    .option('--admin-email <email>', `administrator e-mail (default: ${DEFAULT_ADMIN_EMAIL})`)
    .option('--admin-password <password>', 'administrator password (default: asked, else generated and shown once)')
    .option('--admin-name <name>', "administrator's first name, shown in the header (default: asked, else Administrator)")
    .option('--admin-last-name <name>', "administrator's last name")
    .option('--site-name <name>', 'name of the default site')
    .option('--language <lang>', 'language of the default site and of the demo content: en or ru (default: en)')
    .option('--modules <ids>', `modules to install besides main, comma-separated (dependencies come along; default: ${STANDARD_MODULES.join(', ')}; "" for main alone)`)
    .option('--demo', 'add a "demo" group with a few sample employees (one generated password, printed once), demo news on the home page and /news/, and a forum with a few topics (the forum module comes along)')
    .option('-y, --yes', 'ask nothing: use the flags, PORTAL_* variables and defaults')
    .option('--force', 'run over an installed portal (see below); never drops data')
    .option('--json', 'print the result as JSON (the generated password included)')
    .addHelpText(
      'after',
      `
Without a terminal (scripts, CI, containers) nothing is asked: flags, then the
PORTAL_DB_URL, PORTAL_CACHE, PORTAL_ADMIN_LOGIN, PORTAL_ADMIN_EMAIL and
PORTAL_ADMIN_PASSWORD variables, then defaults. A generated administrator password
is printed once.

An installed portal (main module in the DB, or var/settings.json pointing at an
installed DB) is refused. With --force the install steps are re-run idempotently
over it: pending migrations are applied, missing modules installed, the
administrator made active and a member of "administrators" (their password changes
only when one is given). No table or row is dropped.`,
    )
    .action(async (flags: InstallFlags) => {
      const opts = await gatherOptions(flags);
      const result = await installPortal(opts, createProgressUi(), cliLogger());
      report(result, Boolean(flags.json));
    });
}

async function gatherOptions(flags: InstallFlags): Promise<InstallOptions> {
  const env = process.env;
  const opts: InstallOptions = {
    dbUrl: flags.db,
    cache: flags.cache,
    adminLogin: flags.adminLogin,
    adminEmail: flags.adminEmail,
    adminPassword: flags.adminPassword,
    adminName: flags.adminName,
    adminLastName: flags.adminLastName,
    siteName: flags.siteName,
    siteLanguage: flags.language,
    modules: flags.modules !== undefined ? parseModuleList(flags.modules) : undefined,
    demo: flags.demo,
    force: flags.force,
  };
  if (flags.yes || flags.json || !isInteractive()) return opts;

  if (!opts.dbUrl && !env.PORTAL_DB_URL) {
    const current = (await resolveInstallConfig(opts)).db.url;
    const answer = await ask('Database URL (sqlite:<path> or mysql://user:pass@host:port/db)', redact(current));
    if (answer !== redact(current)) opts.dbUrl = answer;
  }
  const config = await resolveInstallConfig(opts);
  const existing = await findExistingInstall(config);
  if (existing && !opts.force) {
    throw coreErrors.ALREADY_INSTALLED(`the portal is already installed in ${redact(existing)}; pass --force to re-run the install steps over it (keeps all data)`);
  }
  if (!opts.cache && !env.PORTAL_CACHE) {
    const current = config.cache.driver === 'memory' ? 'memory' : `memcached://${config.cache.servers.join(',')}`;
    opts.cache = await ask('Cache (memory, or memcached://host:port for several processes)', current);
  }
  opts.siteName ??= await ask('Site name', config.site.name);
  opts.siteLanguage ??= await ask('Site language (en or ru)', config.site.language);
  if (opts.demo === undefined) opts.demo = /^y(es)?$/i.test(await ask('Add demo employees, news and a forum? (y/N)', 'n'));
  if (opts.modules === undefined) {
    const others = (await discoverModules()).map((d) => d.id).filter((id) => id !== 'main');
    const standard = standardModules(new Map(others.map((id) => [id, true])), { demo: opts.demo }).join(',');
    if (others.length) opts.modules = parseModuleList(await ask(`Modules to install besides main (${others.join(', ')})`, standard));
  }
  if (!opts.adminLogin && !env.PORTAL_ADMIN_LOGIN) opts.adminLogin = await ask('Administrator login', DEFAULT_ADMIN_LOGIN);
  if (!opts.adminEmail && !env.PORTAL_ADMIN_EMAIL) opts.adminEmail = await ask('Administrator e-mail', DEFAULT_ADMIN_EMAIL);
  if (!opts.adminName && !env.PORTAL_ADMIN_NAME) opts.adminName = await ask("Administrator's first name (shown in the header)", existing ? '' : 'Administrator');
  if (!opts.adminLastName && !env.PORTAL_ADMIN_LAST_NAME) opts.adminLastName = await ask("Administrator's last name", '');
  if (!opts.adminPassword && !env.PORTAL_ADMIN_PASSWORD) {
    opts.adminPassword = await askNewPassword(existing ? 'New administrator password (empty: keep the current one)' : 'Administrator password', opts.adminLogin ?? env.PORTAL_ADMIN_LOGIN);
  }
  return opts;
}

function report(result: InstallResult, json: boolean): void {
  if (json) {
    const { config: _config, ...rest } = result;
    printJson({ ...rest, dbUrl: redact(result.dbUrl) });
    return;
  }
  line(
    result.reinstalled
      ? `Install steps re-run over the existing portal; no data was dropped (modules: ${result.modules.join(', ')}).`
      : `Portal installed (modules: ${result.modules.join(', ')}).`,
  );
  line(`  database: ${redact(result.dbUrl)}${result.createdDatabase ? ' (created)' : ''}`);
  line(`  settings: ${result.settingsFile}`);
  line(`  admin:    ${result.adminLogin}`);
  if (result.generatedPassword) printGeneratedPassword(result.adminLogin, result.generatedPassword);
  if (result.demoUsers) printDemoUsers(result.demoUsers);
  line('Start it with `portal start` (or `npm start`).');
}

/** How the demo employees sign in: the shared password of the new ones, shown once. */
function printDemoUsers(demo: DemoUsers): void {
  if (demo.password) {
    printSecretBox(
      'Demo employees: the password is shown ONCE',
      [['logins', demo.created.join(', ')], ['password', demo.password]],
      'Each signs in at /auth/login/ with this password; change one with `portal user passwd <login>`.',
    );
  }
  if (demo.existing.length) line(`Demo employees already there keep their passwords (${demo.existing.join(', ')}); set one with \`portal user passwd <login>\`.`);
}
