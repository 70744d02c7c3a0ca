import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { CronExpressionParser } from 'cron-parser';
import type { PortalConfig } from '../config/types.js';
import type { Logger } from '../log/logger.js';
import type { SecurityLog } from '../security/security-log.js';
import { nextCronRun } from '../agents/schedule.js';
import { BACKUP_NAME, createBackup } from './create-backup.js';

export interface BackupSchedule {
  schedule: string;
  keep: number;
  dir: string;
}

/** The admin's options win over portal.config.ts when set (schedule non-empty, keep above 0); the folder is the config's only. */
export function effectiveSchedule(config: PortalConfig, options: { schedule: unknown; keep: unknown }): BackupSchedule {
  const schedule = String(options.schedule ?? '').trim() || config.backup.schedule.trim();
  const keep = Number(options.keep) > 0 ? Math.trunc(Number(options.keep)) : config.backup.keep;
  return { schedule, keep: Math.max(1, keep), dir: config.backup.dir };
}

export interface ScheduledBackupDeps {
  config: PortalConfig;
  schedule: BackupSchedule;
  securityLog: SecurityLog;
  log: Logger;
  now?: number;
}

/** The latest time the schedule fired at or before `now`. */
function previousRun(cron: string, now: number): number {
  nextCronRun(cron, now, 'backup schedule'); // a bad expression is one coded error
  return CronExpressionParser.parse(cron, { currentDate: new Date(now + 1), tz: 'UTC' }).prev().getTime();
}

/** The time of the latest attempt (made or failed), from the security log. */
async function lastAttempt(log: SecurityLog): Promise<number> {
  const [made, failed] = await Promise.all([log.list({ event: 'backup.created', limit: 1 }), log.list({ event: 'backup.failed', limit: 1 })]);
  return Math.max(0, ...[...made.items, ...failed.items].map((e) => e.createdAt.getTime()));
}

/**
 * The backup agent's run (every minute): when the schedule fired since the latest attempt,
 * writes a backup to the folder, keeps the newest `keep` scheduled archives, and records the
 * outcome in the security log (a failure also fails the agent, so the dashboard shows it).
 */
export async function runScheduledBackup(deps: ScheduledBackupDeps): Promise<'off' | 'not due' | 'done'> {
  const { schedule } = deps;
  if (!schedule.schedule) return 'off';
  const now = deps.now ?? Date.now();
  if ((await lastAttempt(deps.securityLog)) >= previousRun(schedule.schedule, now)) return 'not due';
  try {
    const result = await createBackup({ config: deps.config, dir: schedule.dir });
    const removed = await prune(schedule.dir, schedule.keep);
    await deps.securityLog.record('backup.created', { details: { file: result.file, bytes: result.bytes, durationMs: result.durationMs, removed } });
    deps.log.info({ file: result.file, bytes: result.bytes, durationMs: result.durationMs, removed }, 'scheduled backup written');
    return 'done';
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    await deps.securityLog.record('backup.failed', { details: { dir: schedule.dir, error: error.slice(0, 1000) } });
    deps.log.error({ err, dir: schedule.dir }, 'scheduled backup failed');
    throw err;
  }
}

/** Deletes the oldest scheduled archives (portal-backup-<time>.tar.gz) beyond `keep`; returns their names. */
async function prune(dir: string, keep: number): Promise<string[]> {
  const names = (await readdir(dir)).filter((n) => BACKUP_NAME.test(n)).sort().reverse();
  const old = names.slice(keep);
  for (const name of old) await rm(path.join(dir, name), { force: true });
  return old;
}

/** What the dashboard shows: the schedule, the latest archive written and a failure newer than it. */
export async function backupStatus(config: PortalConfig, options: { schedule: unknown; keep: unknown }, log: SecurityLog): Promise<{
  schedule: BackupSchedule;
  last: { at: Date; file: string; bytes: number } | null;
  failure: { at: Date; error: string } | null;
}> {
  const [made, failed] = await Promise.all([log.list({ event: 'backup.created', limit: 1 }), log.list({ event: 'backup.failed', limit: 1 })]);
  const m = made.items[0];
  const f = failed.items[0];
  return {
    schedule: effectiveSchedule(config, options),
    last: m ? { at: m.createdAt, file: String(m.details?.file ?? ''), bytes: Number(m.details?.bytes ?? 0) } : null,
    failure: f && (!m || f.createdAt.getTime() >= m.createdAt.getTime()) ? { at: f.createdAt, error: String(f.details?.error ?? '') } : null,
  };
}
