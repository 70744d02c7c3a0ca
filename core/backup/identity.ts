import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { projectRoot } from '../config/paths.js';
import { MIGRATIONS_TABLE } from '../migrations/migrator.js';
import { MODULES_TABLE } from '../modules/module-manager.js';

/** The release of the code at `root`: its package.json version. */
export function releaseVersion(root = projectRoot): string {
  return String((JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version?: unknown }).version ?? '0.0.0');
}

export interface PortalIdentity {
  id: string;
  installedAt: string;
  modules: { id: string; version: string }[];
  migrations: Record<string, string[]>;
}

/** What the main database says about the installed portal; null when main is not installed there. */
export async function readIdentity(main: Knex): Promise<PortalIdentity | null> {
  if (!(await main.schema.hasTable(MODULES_TABLE))) return null;
  const modules = (await main(MODULES_TABLE).select('id', 'version', 'installed_at').orderBy('id')) as { id: string; version: string; installed_at: number | string }[];
  const mainRow = modules.find((m) => m.id === 'main');
  if (!mainRow) return null;
  const migrations: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
  if (await main.schema.hasTable(MIGRATIONS_TABLE)) {
    for (const r of (await main(MIGRATIONS_TABLE).select('module', 'name').orderBy(['module', 'name'])) as { module: string; name: string }[]) {
      (migrations[r.module] ??= []).push(r.name);
    }
  }
  const installedAt = Number(mainRow.installed_at);
  return {
    id: `portal-${installedAt.toString(36)}`,
    installedAt: new Date(installedAt).toISOString(),
    modules: modules.map((m) => ({ id: m.id, version: m.version })),
    migrations,
  };
}
