import type { ModuleContext } from '../../core/modules/types.js';
import type { AgentDefinition } from '../../core/services.js';
import { mailAgents } from '../../core/mail/mail-agents.js';
import { effectiveSchedule, runScheduledBackup } from '../../core/backup/scheduled.js';
import { purgeUnconfirmed } from './accounts/registration.js';

const DAY_MS = 24 * 3600 * 1000;

/** Housekeeping jobs of the main module, run by the agent worker. */
export function agents(ctx: ModuleContext): AgentDefinition[] {
  const { kernel } = ctx;
  return [
    ...mailAgents(kernel.mail),
    { name: 'sessions.purge', interval: 3600, run: async () => void (await kernel.sessions.purgeExpired()) },
    { name: 'security_log.purge', interval: 24 * 3600, run: () => purgeSecurityLog(ctx) },
    {
      // Checks every minute whether the backup schedule fired; a failure waits for the next time it fires.
      name: 'backup.scheduled',
      interval: 60,
      maxAttempts: 1,
      run: async () => {
        const schedule = effectiveSchedule(kernel.config, { schedule: await ctx.option('backup_schedule'), keep: await ctx.option('backup_keep') });
        await runScheduledBackup({ config: kernel.config, schedule, securityLog: kernel.users.securityLog, log: ctx.log });
      },
    },
    { name: 'login_attempts.purge', interval: 3600, run: async () => void (await kernel.users.purgeLoginAttempts()) },
    // Self-registered accounts whose confirmation link expired unused.
    { name: 'registrations.purge', interval: 3600, run: async () => void (await purgeUnconfirmed(kernel)) },
  ];
}

/** Deletes security-log entries older than the `security_log_days` option; 0 or less keeps everything. */
async function purgeSecurityLog(ctx: ModuleContext): Promise<void> {
  const days = Number(await ctx.option<number>('security_log_days'));
  if (!Number.isFinite(days) || days <= 0) return;
  const deleted = await ctx.kernel.users.securityLog.purge(new Date(Date.now() - days * DAY_MS));
  if (deleted > 0) ctx.log.info({ deleted, days }, 'security log purged');
}
