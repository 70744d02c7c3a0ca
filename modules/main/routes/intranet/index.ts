import type { ModuleContext, ModuleRouter } from '../../../../core/modules/types.js';
import { intranetCompanyRoutes } from './company.js';
import { intranetDepartmentRoutes } from './departments.js';
import { intranetProfileRoutes } from './profile.js';

/** The intranet screens of signed-in users: profile, employee directory, company structure. */
export function intranetRoutes(router: ModuleRouter, ctx: ModuleContext): void {
  intranetProfileRoutes(router, ctx);
  intranetDepartmentRoutes(router, ctx);
  intranetCompanyRoutes(router, ctx);
}
