import { loadConfig } from '../../core/config/load-config.js';
import type { PortalConfig } from '../../core/config/types.js';
import { Kernel } from '../../core/kernel.js';
import { createLogger, silentLogger, type Logger } from '../../core/log/logger.js';
import { probeDatabase } from '../../installer/database.js';
import { installErrors } from '../../installer/errors.js';
import { cliErrors } from './errors.js';

/** Silent, or JSON logs on stderr with PORTAL_DEBUG=1. */
export function cliLogger(): Logger {
  const debug = process.env.PORTAL_DEBUG && process.env.PORTAL_DEBUG !== '0';
  return debug ? createLogger({ level: 'debug', destination: 2 }) : silentLogger();
}

/** The effective configuration (the default SQLite file sits in the var dir). */
export function loadPortalConfig(): Promise<PortalConfig> {
  return loadConfig();
}

/** Throws NOT_INSTALLED (one clear line) unless the configured DB holds an installed portal. */
export async function assertInstalled(config: PortalConfig): Promise<void> {
  const probe = await probeDatabase(config.db.url);
  if (!probe.reachable) throw installErrors.DB_UNREACHABLE(probe.error ?? 'the database does not answer');
  if (!probe.installed) throw cliErrors.NOT_INSTALLED();
}

/** Boots the kernel on the installed portal, runs `fn`, and always closes the kernel. */
export async function withKernel<T>(fn: (kernel: Kernel) => Promise<T>): Promise<T> {
  const config = await loadPortalConfig();
  await assertInstalled(config);
  const kernel = await Kernel.boot(config, { log: cliLogger() });
  try {
    return await fn(kernel);
  } finally {
    await kernel.close();
  }
}
