import type { ModuleContext, ModuleRouter } from '../../../core/modules/types.js';
import { elementFormRoutes } from './element-form.js';
import { elementListRoutes } from './elements.js';
import { iblockRoutes } from './iblocks.js';
import { ibAdminKit } from './kit.js';
import { propertyRoutes } from './properties.js';
import { sectionRoutes } from './sections.js';
import { typeRoutes } from './types.js';

/**
 * The infoblocks admin area (/admin/infoblocks/...): every screen needs main.admin.view to
 * open; what a user may see and change is the module API's decision (levels D/R/U/W/X).
 * Fixed paths (types/, new/, bulk/) are registered before the :id routes they would match.
 */
export function adminRoutes(router: ModuleRouter, ctx: ModuleContext): void {
  const kit = ibAdminKit(ctx.kernel);
  for (const register of [typeRoutes, iblockRoutes, propertyRoutes, sectionRoutes, elementListRoutes, elementFormRoutes]) register(router, kit);
}
