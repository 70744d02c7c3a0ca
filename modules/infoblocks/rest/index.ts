import type { ModuleContext, ModuleRouter } from '../../../core/modules/types.js';
import { elementRoutes } from './elements.js';
import { iblockRoutes } from './iblocks.js';
import { propertyRoutes } from './properties.js';
import { sectionRoutes } from './sections.js';
import { typeRoutes } from './types.js';

/** REST API under /api/v1/infoblocks (session or API token; rights checked by the module API). */
export function routes(router: ModuleRouter, ctx: ModuleContext): void {
  typeRoutes(router, ctx);
  sectionRoutes(router, ctx);
  propertyRoutes(router, ctx);
  elementRoutes(router, ctx);
  iblockRoutes(router, ctx);
}
