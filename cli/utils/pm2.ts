import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type * as Pm2 from 'pm2';
import { projectRoot } from '../../core/config/paths.js';
import { cliErrors } from './errors.js';

export const APP_NAME = 'portal';
type Pm2Api = typeof Pm2;

/** pm2 keeps its daemon state per project (.pm2/, git-ignored) unless PM2_HOME says otherwise. */
export function pm2Home(): string {
  process.env.PM2_HOME ??= path.join(projectRoot, '.pm2');
  return process.env.PM2_HOME;
}

/** Whether a pm2 daemon runs for this project (checked without starting one). */
export function daemonRunning(): boolean {
  const pidFile = path.join(pm2Home(), 'pm2.pid');
  if (!existsSync(pidFile)) return false;
  try {
    process.kill(Number(readFileSync(pidFile, 'utf8').trim()), 0);
    return true;
  } catch {
    return false;
  }
}

/** Connects to (or launches) the project's pm2 daemon, runs `fn`, disconnects. */
export async function withPm2<T>(fn: (pm2: Pm2Api) => Promise<T>): Promise<T> {
  pm2Home();
  const pm2 = ((await import('pm2')) as unknown as { default: Pm2Api }).default;
  await call<void>((cb) => pm2.connect((err) => cb(err, undefined)));
  try {
    return await fn(pm2);
  } finally {
    pm2.disconnect();
  }
}

/** Promisifies one pm2 callback call; errors become one-line PM2_FAILED. */
export function call<T>(fn: (cb: (err: Error | null | undefined, value: T) => void) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    fn((err, value) => (err ? reject(cliErrors.PM2_FAILED(`pm2: ${err.message ?? String(err)}`)) : resolve(value)));
  });
}

/** The portal's processes known to pm2 (empty when it is not running). */
export async function describeApp(pm2: Pm2Api): Promise<Pm2.ProcessDescription[]> {
  const list = await call<Pm2.ProcessDescription[]>((cb) => pm2.list(cb));
  return list.filter((p) => p.name === APP_NAME);
}

export interface AppStatus {
  pmId: number | undefined;
  pid: number | undefined;
  status: string;
  mode: string;
  uptimeSeconds: number | null;
  restarts: number;
  memoryMb: number | null;
  cpu: number | null;
}

export function toStatus(p: Pm2.ProcessDescription): AppStatus {
  const env = (p.pm2_env ?? {}) as Pm2.ProcessDescription['pm2_env'] & { exec_mode?: string };
  const online = env?.status === 'online';
  return {
    pmId: p.pm_id,
    pid: p.pid,
    status: env?.status ?? 'unknown',
    mode: env?.exec_mode === 'cluster_mode' ? 'cluster' : 'fork',
    uptimeSeconds: online && env?.pm_uptime ? Math.round((Date.now() - env.pm_uptime) / 1000) : null,
    restarts: env?.restart_time ?? 0,
    memoryMb: p.monit?.memory !== undefined ? Math.round(p.monit.memory / 1048576) : null,
    cpu: p.monit?.cpu ?? null,
  };
}
