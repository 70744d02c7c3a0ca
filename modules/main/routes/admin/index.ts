import type { ModuleContext, ModuleRouter } from '../../../../core/modules/types.js';
import { adminKit } from './http.js';
import { dashboardRoutes } from './dashboard.js';
import { moduleRoutes } from './modules.js';
import { userRoutes } from './users.js';
import { groupRoutes } from './groups.js';
import { rightsRoutes } from './rights.js';
import { siteRoutes } from './sites.js';
import { templateRoutes } from './templates.js';
import { settingsRoutes } from './settings.js';
import { cacheRoutes } from './cache.js';
import { agentRoutes } from './agents.js';
import { mailRoutes } from './mail.js';
import { mailQueueRoutes } from './mail-queue.js';
import { securityRoutes } from './security.js';

/**
 * The admin area (/admin/...). Every screen needs main.admin.view to open and its own
 * operation to change anything; forms post back with the CSRF token and redirect.
 */
export function adminRoutes(router: ModuleRouter, ctx: ModuleContext): void {
  const kit = adminKit(ctx.kernel);
  for (const register of [
    dashboardRoutes, moduleRoutes, userRoutes, groupRoutes, rightsRoutes, siteRoutes, templateRoutes,
    settingsRoutes, cacheRoutes, agentRoutes, mailRoutes, mailQueueRoutes, securityRoutes,
  ]) {
    register(router, ctx, kit);
  }
}
