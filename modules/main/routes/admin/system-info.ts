import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Kernel } from '../../../../core/kernel.js';
import { projectRoot } from '../../../../core/config/paths.js';
import { dialectOf } from '../../../../core/db/connections.js';
import { readinessChecks } from '../../../../core/http/health.js';

export interface HealthCheck {
  name: string;
  ok: boolean;
  error?: string;
  ms: number;
}

let portalVersion: string | undefined;

/** The portal's version from package.json (read once). */
export function readPortalVersion(): string {
  if (portalVersion === undefined) {
    try {
      portalVersion = String((JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { version?: unknown }).version ?? '?');
    } catch {
      portalVersion = '?';
    }
  }
  return portalVersion;
}

/** "SQLite 3.45.1" or "MariaDB 11.4.2"; "—" when the server does not answer. */
export async function dbServerVersion(kernel: Kernel): Promise<string> {
  const knex = kernel.mainKnex;
  try {
    if (dialectOf(knex) === 'sqlite') {
      const rows = (await knex.raw('select sqlite_version() as v')) as { v: string }[];
      return `SQLite ${rows[0]?.v ?? '?'}`;
    }
    const [rows] = (await knex.raw('select version() as v')) as unknown as [{ v: string }[]];
    const v = String(rows[0]?.v ?? '?');
    const m = /^([\d.]+)-MariaDB/i.exec(v);
    return m ? `MariaDB ${m[1]}` : `MySQL ${v}`;
  } catch {
    return '—';
  }
}

/** DB and cache reachability, from the same probes as /readyz, so the two never disagree. */
export async function healthChecks(kernel: Kernel): Promise<HealthCheck[]> {
  const checks = await readinessChecks(kernel);
  return Object.entries(checks).map(([name, c]) => ({ name, ok: c.ok, error: c.error, ms: c.ms }));
}
