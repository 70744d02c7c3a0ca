import type { ModuleContext, ModuleRouter } from '../../../../core/modules/types.js';
import { builderRoutes } from './builder.js';
import { pagesKit } from './http.js';
import { menuRoutes } from './menus.js';
import { pageListRoutes } from './pages.js';
import { templateRuleRoutes } from './template-rules.js';

/** Admin screens of pages, menus and site template rules (/admin/pages/, /admin/menus/). */
export function pagesAdminRoutes(router: ModuleRouter, ctx: ModuleContext): void {
  const kit = pagesKit(ctx.kernel);
  // Before /admin/pages/:id/ so "templates" is not taken for a page id.
  templateRuleRoutes(router, ctx, kit);
  pageListRoutes(router, ctx, kit);
  builderRoutes(router, ctx, kit);
  menuRoutes(router, ctx, kit);
}
