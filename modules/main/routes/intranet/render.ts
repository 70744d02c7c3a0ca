import type { PortalApp } from '../../../../core/http/app.js';
import type { Breadcrumb } from '../../../../core/menus/types.js';
import type { Ctx } from '../page.js';

/** Renders an intranet view (views/intranet/<view>.eta) in the site layout, with extra breadcrumbs. */
export function intranetPage(
  ctx: Ctx,
  view: string,
  title: string,
  data: Record<string, unknown>,
  opts: { status?: number; breadcrumbs?: Breadcrumb[]; js?: string[] } = {},
): Promise<void> {
  return (ctx.app as unknown as PortalApp).views.page(ctx, { module: 'main', view: `intranet/${view}`, title, data, status: opts.status, breadcrumbs: opts.breadcrumbs, js: opts.js });
}
