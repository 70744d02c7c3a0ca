import type { ModuleContext, ModuleRouter } from '../../../../core/modules/types.js';
import { intranetCompanyRoutes } from './company.js';
import { intranetProfileRoutes } from './profile.js';

/** The intranet screens of signed-in users: profile and employee directory. */
export function intranetRoutes(router: ModuleRouter, ctx: ModuleContext): void {
  intranetProfileRoutes(router, ctx);
  intranetCompanyRoutes(router, ctx);
}
