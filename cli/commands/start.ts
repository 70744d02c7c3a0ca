import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { projectRoot } from '../../core/config/paths.js';
import type { PortalConfig } from '../../core/config/types.js';
import { Kernel } from '../../core/kernel.js';
import { createLogger, portalLogFile } from '../../core/log/logger.js';
import { SHUTDOWN_DRAIN } from '../../core/http/drain.js';
import { installPortal } from '../../installer/install.js';
import { probeDatabase } from '../../installer/database.js';
import { installErrors } from '../../installer/errors.js';
import { cliErrors } from '../utils/errors.js';
import { cliLogger, loadPortalConfig } from '../utils/kernel.js';
import { line, note, printGeneratedPassword } from '../utils/output.js';
import { createProgressUi } from '../utils/progress.js';
import { APP_NAME, call, describeApp, withPm2 } from '../utils/pm2.js';
import { intOption } from '../utils/parse.js';
import { runState } from '../utils/run-state.js';

export function startCommand(): Command {
  return new Command('start')
    .description('start the portal (installs it with defaults on the first run)')
    .option('--daemon', 'run in the background under pm2 (see `portal status`, `logs`, `reload`, `stop`)')
    .option('--instances <n>', 'processes under pm2 (more than 1 needs memcached; with memcached they run in cluster mode, which `portal reload` replaces without downtime)', intOption(1, 64), 1)
    .addHelpText(
      'after',
      `
On a fresh var dir the portal is installed first: SQLite in var/portal.db, the memory
cache, and an administrator from PORTAL_ADMIN_LOGIN / PORTAL_ADMIN_PASSWORD /
PORTAL_ADMIN_EMAIL, else "admin" with a generated password printed once. Later starts
reuse that install. The HTTP address comes from the config (PORTAL_HTTP_HOST,
PORTAL_HTTP_PORT).`,
    )
    .action(async (flags: { daemon?: boolean; instances: number }) => {
      let config = await loadPortalConfig();
      if (flags.instances > 1 && !flags.daemon) throw cliErrors.INPUT_INVALID('--instances needs --daemon (several processes run under pm2)');
      if (flags.instances > 1) assertSharedCache(config);
      if (await installIfNeeded(config)) config = await loadPortalConfig();
      if (flags.daemon) await startDaemon(config, flags.instances);
      else await startForeground(config);
    });
}

/** State other processes need (sessions, cache, locks) cannot live in one process's memory. */
function assertSharedCache(config: PortalConfig): void {
  if (config.cache.driver !== 'memory') return;
  throw cliErrors.SHARED_CACHE_REQUIRED(
    'several instances cannot share the in-process memory cache; configure memcached (PORTAL_CACHE=memcached://host:port or `portal install --force --cache memcached://host:port`)',
  );
}

/** First run: install with the embedded defaults; true when it installed. */
async function installIfNeeded(config: PortalConfig): Promise<boolean> {
  const probe = await probeDatabase(config.db.url);
  if (probe.installed) return false;
  if (!probe.reachable) throw installErrors.DB_UNREACHABLE(probe.error ?? 'the database does not answer');
  note('The portal is not installed here yet; installing it with the defaults.');
  const result = await installPortal({}, createProgressUi(), cliLogger());
  line(`Portal installed (modules: ${result.modules.join(', ')}).`);
  if (result.generatedPassword) printGeneratedPassword(result.adminLogin, result.generatedPassword);
  return true;
}

/** Under pm2 the process gets pm2's own variables (pm_id); its stdout then goes to pm2, not to a terminal. */
const underPm2 = (): boolean => process.env.pm_id !== undefined;

async function startForeground(config: PortalConfig): Promise<void> {
  const { startServer } = await import('../../core/http/server.js');
  // One place for the logs in both modes: the log file; a terminal gets the same lines too.
  const destination = underPm2() ? [portalLogFile(config)] : [portalLogFile(config), 1];
  const kernel = await Kernel.boot(config, { log: createLogger({ level: config.log.level, destination }) });
  let server: Awaited<ReturnType<typeof startServer>>;
  try {
    await warnPendingMigrations(kernel);
    server = await startServer(kernel);
  } catch (err) {
    await kernel.close();
    throw listenError(err, config);
  }
  runState.keepAlive = true;
  if (!underPm2()) line(`Portal is running at ${server.url}`);
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) process.exit(1); // a second Ctrl+C does not wait
    stopping = true;
    kernel.log.info({ signal }, 'portal stopping: answering the requests in flight');
    void (async () => {
      await server.close(SHUTDOWN_DRAIN);
      await kernel.close();
      kernel.log.info('portal stopped');
      process.exit(0);
    })().catch((err: unknown) => {
      kernel.log.error({ err }, 'portal stop failed');
      process.exit(1);
    });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  // pm2 sends 'shutdown' instead of a signal with shutdown_with_message (and on Windows).
  process.on('message', (msg) => msg === 'shutdown' && stop('shutdown'));
  process.send?.('ready'); // pm2 wait_ready: reload switches over only once this instance listens
}

/** A port in use (or not ours to take) is the operator's to fix: one line saying which and how. */
function listenError(err: unknown, config: PortalConfig): unknown {
  const code = (err as NodeJS.ErrnoException).code;
  const { host, port } = config.http;
  const fix = 'stop the program that holds it or choose another port with PORTAL_HTTP_PORT=<port>';
  if (code === 'EADDRINUSE') return cliErrors.PORT_IN_USE(`port ${port} on ${host} is already in use (another portal or program listens there); ${fix}`);
  if (code === 'EACCES') return cliErrors.LISTEN_FAILED(`port ${port} on ${host} needs more privileges than this user has; choose a port above 1023 with PORTAL_HTTP_PORT=<port>`);
  if (code === 'EADDRNOTAVAIL') return cliErrors.LISTEN_FAILED(`${host} is not an address of this machine; set PORTAL_HTTP_HOST to one of its addresses (or 0.0.0.0)`);
  return err;
}

async function warnPendingMigrations(kernel: Kernel): Promise<void> {
  let count = 0;
  for (const def of kernel.modules.installedDefinitions()) count += (await kernel.migrator.pending(def)).length;
  if (count === 0) return;
  kernel.log.warn({ count }, 'migrations pending; run `portal migrate up`');
  if (!underPm2()) note(`portal: ${count} migration(s) pending; run \`portal migrate up\``);
}

/**
 * Cluster mode whenever the cache is shared (memcached), one instance too: pm2 reloads only
 * cluster instances without downtime (successor first). With the in-process cache, one process
 * in fork mode: a successor next to it would keep a stale cache, so reload is a restart there.
 */
function clusterMode(config: PortalConfig, instances: number): boolean {
  return instances > 1 || config.cache.driver !== 'memory';
}

async function startDaemon(config: PortalConfig, instances: number): Promise<void> {
  const logFile = portalLogFile(config);
  mkdirSync(path.dirname(logFile), { recursive: true });
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('PORTAL_') || k === 'NODE_ENV')) as Record<string, string>;
  await withPm2(async (pm2) => {
    if ((await describeApp(pm2)).length > 0) {
      throw cliErrors.INPUT_INVALID('the portal already runs under pm2; use `portal reload` or `portal stop` first');
    }
    await call((cb) =>
      pm2.start(
        {
          name: APP_NAME,
          script: path.join(projectRoot, 'bin/portal.js'),
          args: ['start'],
          cwd: projectRoot,
          exec_mode: clusterMode(config, instances) ? 'cluster' : 'fork',
          instances,
          env,
          // Reload starts an instance's successor, waits for its 'ready' (sent once it listens),
          // then sends the old one SIGINT: it drains (SHUTDOWN_DRAIN) and exits; SIGKILL only after kill_timeout.
          wait_ready: true,
          listen_timeout: 30_000,
          kill_timeout: SHUTDOWN_DRAIN.timeoutMs + 5000,
          // Whatever a process prints besides the JSON log (a crash's stack trace) goes to the same file.
          output: logFile,
          error: logFile,
          merge_logs: true,
        },
        cb,
      ),
    );
  });
  const host = config.http.host.includes(':') ? `[${config.http.host}]` : config.http.host;
  line(`Portal is running under pm2 (${instances} instance${instances > 1 ? 's' : ''}) at http://${host}:${config.http.port}`);
  line('See `portal status`, `portal logs`; stop it with `portal stop`.');
}
