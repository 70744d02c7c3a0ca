import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { coreErrors } from '../errors/codes.js';
import { parseProxyEntry } from '../http/forwarded.js';
import { defaultConfig } from './defaults.js';
import { distRoot, resolveFromRoot } from './paths.js';
import type { PortalConfig, PortalConfigInput } from './types.js';

export const SETTINGS_FILE = 'settings.json';

export interface LoadConfigOptions {
  /** Use this instead of dist/portal.config.js (tests). */
  file?: PortalConfigInput;
  env?: NodeJS.ProcessEnv;
}

/**
 * Precedence, lowest first: built-in defaults, portal.config.ts, var/settings.json
 * (written by `portal install`), environment variables (PORTAL_*).
 */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<PortalConfig> {
  const env = options.env ?? process.env;
  const fromFile = options.file ?? (await importProjectConfig());
  let config = merge(defaultConfig(), fromFile);
  if (env.PORTAL_VAR_DIR) config.paths.var = env.PORTAL_VAR_DIR;
  const varDir = resolveFromRoot(config.paths.var);
  config.paths.var = varDir;
  if (!fromFile.paths?.upload || env.PORTAL_VAR_DIR) config.paths.upload = path.join(varDir, 'upload');
  config = merge(config, readSettingsFile(varDir));
  applyEnv(config, env);
  // The embedded default database lives in the var dir, wherever that is.
  if (!config.db.url) config.db.url = `sqlite:${path.join(varDir, 'portal.db')}`;
  config.paths.upload = resolveFromRoot(config.paths.upload);
  config.backup.dir = config.backup.dir ? resolveFromRoot(config.backup.dir) : path.join(config.paths.var, 'backups');
  validate(config);
  return config;
}

async function importProjectConfig(): Promise<PortalConfigInput> {
  const compiled = path.join(distRoot, 'portal.config.js');
  if (!existsSync(compiled)) return {};
  const mod = (await import(pathToFileURL(compiled).href)) as { default?: PortalConfigInput };
  return mod.default ?? {};
}

export function readSettingsFile(varDir: string): PortalConfigInput {
  const file = path.join(varDir, SETTINGS_FILE);
  if (!existsSync(file)) return {};
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as PortalConfigInput;
  } catch (err) {
    throw coreErrors.CONFIG_INVALID(`${file} is not valid JSON: ${(err as Error).message}`);
  }
}

function applyEnv(config: PortalConfig, env: NodeJS.ProcessEnv): void {
  if (env.PORTAL_DB_URL) config.db.url = env.PORTAL_DB_URL;
  if (env.PORTAL_HTTP_HOST) config.http.host = env.PORTAL_HTTP_HOST;
  const port = env.PORTAL_HTTP_PORT ?? env.PORT;
  if (port) config.http.port = parsePort(port, 'PORTAL_HTTP_PORT');
  if (env.PORTAL_PUBLIC_URL) config.http.publicUrl = env.PORTAL_PUBLIC_URL;
  if (env.PORTAL_TRUSTED_PROXIES !== undefined) config.http.trustedProxies = env.PORTAL_TRUSTED_PROXIES.split(',').map((s) => s.trim()).filter(Boolean);
  if (env.PORTAL_PAGE_CACHE_SECONDS !== undefined) config.http.pageCacheSeconds = parseSeconds(env.PORTAL_PAGE_CACHE_SECONDS, 'PORTAL_PAGE_CACHE_SECONDS');
  if (env.PORTAL_CACHE) applyCacheUrl(config, env.PORTAL_CACHE);
  if (env.PORTAL_SMTP_URL !== undefined) config.mail.smtpUrl = env.PORTAL_SMTP_URL;
  if (env.PORTAL_MAIL_FROM) config.mail.from = env.PORTAL_MAIL_FROM;
  if (env.PORTAL_LOG_LEVEL) config.log.level = env.PORTAL_LOG_LEVEL;
  if (env.PORTAL_AGENTS_IN_WEB) config.agents.runInWeb = env.PORTAL_AGENTS_IN_WEB !== '0';
  if (config.http.publicUrl?.startsWith('https:')) config.http.secureCookies = true;
}

/** `memory` or `memcached://host:port[,host:port]`. */
export function applyCacheUrl(config: PortalConfig, value: string): void {
  if (value === 'memory') {
    config.cache.driver = 'memory';
    config.cache.servers = [];
    return;
  }
  const m = /^memcached:\/\/(.+)$/.exec(value);
  if (!m) throw coreErrors.CONFIG_INVALID(`cache must be "memory" or "memcached://host:port", got "${value}"`);
  config.cache.driver = 'memcached';
  config.cache.servers = m[1]!.split(',').map((s) => s.trim()).filter(Boolean);
}

function parseSeconds(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw coreErrors.CONFIG_INVALID(`${name} must be a whole number of seconds, got "${value}"`);
  return n;
}

function parsePort(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw coreErrors.CONFIG_INVALID(`${name} must be a port number, got "${value}"`);
  return n;
}

function validate(config: PortalConfig): void {
  parsePort(String(config.http.port), 'http.port');
  validateHttp(config.http);
  if (config.cache.driver === 'memcached' && config.cache.servers.length === 0) {
    throw coreErrors.CONFIG_INVALID('cache.driver is memcached but cache.servers is empty');
  }
  if (!['memory', 'memcached'].includes(config.cache.driver)) {
    throw coreErrors.CONFIG_INVALID(`cache.driver must be "memory" or "memcached", got "${String(config.cache.driver)}"`);
  }
}

function validateHttp(http: PortalConfig['http']): void {
  if (http.publicUrl !== undefined && http.publicUrl !== '') {
    let url: URL | null = null;
    try {
      url = new URL(http.publicUrl);
    } catch {
      url = null;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      throw coreErrors.CONFIG_INVALID(`http.publicUrl must be an http:// or https:// URL, got "${http.publicUrl}"`);
    }
  }
  if (!Array.isArray(http.trustedProxies)) throw coreErrors.CONFIG_INVALID('http.trustedProxies must be a list of addresses or CIDR ranges');
  for (const entry of http.trustedProxies) {
    try {
      parseProxyEntry(String(entry));
    } catch (err) {
      throw coreErrors.CONFIG_INVALID(`http.trustedProxies (PORTAL_TRUSTED_PROXIES): ${(err as Error).message}`);
    }
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `patch` wins key by key; objects on both sides are merged, anything else (arrays too) is replaced. */
export function merge<T>(base: T, patch: unknown): T {
  if (!isPlainObject(patch)) return base;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined || key === '__proto__') continue;
    out[key] = isPlainObject(value) && isPlainObject(out[key]) ? merge(out[key], value) : value;
  }
  return out as T;
}
