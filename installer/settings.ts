import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../core/config/paths.js';
import { merge, readSettingsFile, SETTINGS_FILE } from '../core/config/load-config.js';
import type { PortalConfig, PortalConfigInput } from '../core/config/types.js';
import { parseDbUrl } from '../core/db/db-url.js';

/** The machine-specific settings the installer owns in var/settings.json. */
export function settingsFrom(config: PortalConfig): PortalConfigInput {
  return {
    db: { url: portableDbUrl(config.db.url) },
    cache: { driver: config.cache.driver, servers: config.cache.servers },
  };
}

/**
 * Writes var/settings.json (mode 0600: it holds the DB password), keeping keys someone
 * (or `portal shard move`: `db.modules`) added, at any depth. Returns the file's path.
 */
export function writeSettings(varDir: string, settings: PortalConfigInput): string {
  mkdirSync(varDir, { recursive: true });
  const file = path.join(varDir, SETTINGS_FILE);
  const merged = merge(readSettingsFile(varDir), settings);
  writeFileSync(file, `${JSON.stringify(merged, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return file;
}

/** SQLite paths inside the project are written relative to it, so the folder can move. */
function portableDbUrl(url: string): string {
  const parsed = parseDbUrl(url);
  if (parsed.client !== 'sqlite' || parsed.filename === ':memory:') return url;
  const rel = path.relative(projectRoot, parsed.filename);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? `sqlite:${rel}` : `sqlite:${parsed.filename}`;
}
