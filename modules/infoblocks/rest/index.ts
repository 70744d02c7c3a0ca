import type { ModuleContext, ModuleRouter } from '../../../core/modules/types.js';
import { elementRoutes } from './elements.js';
import { iblockRoutes } from './iblocks.js';
import { sectionRoutes } from './sections.js';

/** REST API under /api/v1/infoblocks (session or API token; rights checked by the module API). */
export function routes(router: ModuleRouter, ctx: ModuleContext): void {
  sectionRoutes(router, ctx);
  elementRoutes(router, ctx);
  iblockRoutes(router, ctx);
}
