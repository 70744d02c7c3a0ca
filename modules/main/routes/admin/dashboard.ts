import type { ModuleContext, ModuleRouter } from '../../../../core/modules/types.js';
import type { AdminKit } from './http.js';
import { dbServerVersion, healthChecks, readPortalVersion } from './system-info.js';
import { backupStatus } from '../../../../core/backup/scheduled.js';
import { publicAccessOf } from '../../public-access.js';

/** /admin/: versions, installed modules, health, whether anonymous visitors see the portal, pending agents, mail queue, recent security events. */
export function dashboardRoutes(router: ModuleRouter, _mctx: ModuleContext, kit: AdminKit): void {
  const { kernel } = kit;
  router.get('/admin/', kit.view, async (ctx) => {
    const lang = ctx.state.language === 'ru' ? 'ru' : 'en';
    const now = Date.now();
    const [dbVersion, health, agents, mail, users, security, backup, publicAccess] = await Promise.all([
      dbServerVersion(kernel),
      healthChecks(kernel),
      kernel.agents.list(),
      kernel.mail.stats(),
      kernel.users.list({ limit: 1 }),
      kernel.users.securityLog.list({ limit: 8 }),
      backupStatus(kernel.config, { schedule: await _mctx.option('backup_schedule'), keep: await _mctx.option('backup_keep') }, kernel.users.securityLog),
      publicAccessOf(kernel),
    ]);
    const modules = kernel.modules.listInstalled().map((m) => {
      const def = kernel.modules.available.get(m.id);
      return { id: m.id, title: def ? def.title[lang] : m.id, version: m.version, codeVersion: def?.version ?? null, installedAt: m.installedAt };
    });
    const active = agents.filter((a) => a.active);
    await kit.render(ctx, 'dashboard', kit.t(ctx, 'ADM_DASHBOARD'), {
      versions: { portal: readPortalVersion(), node: process.version, db: dbVersion, cache: kernel.cache.driverName },
      health,
      healthy: health.every((h) => h.ok),
      modules,
      availableCount: kernel.modules.available.size,
      agentsDue: active.filter((a) => a.nextRunAt.getTime() <= now).length,
      agentsFailing: active.filter((a) => a.lastError).length,
      agents: [...active].sort((a, b) => a.nextRunAt.getTime() - b.nextRunAt.getTime()).slice(0, 8),
      now,
      mail,
      userCount: users.total,
      security: security.items,
      backup,
      publicAccess,
    });
  });
}
