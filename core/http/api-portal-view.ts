import type { Next, ParameterizedContext } from 'koa';
import type { Kernel } from '../kernel.js';
import { checkRight, PORTAL_VIEW } from './guards.js';
import type { PortalState } from './state.js';

/**
 * The portal's switch holds for the JSON API as for pages: a request under /api/ from someone without
 * `main.portal.view` is refused (401 when anonymous, 403 when signed in) before any module route, whatever
 * that module's own rights would allow. Runs after authentication.
 */
export function apiPortalView(kernel: Kernel) {
  return async (ctx: ParameterizedContext<PortalState>, next: Next): Promise<void> => {
    if (ctx.path.startsWith('/api/') && kernel.modules.isInstalled('main')) await checkRight(kernel, ctx, PORTAL_VIEW);
    await next();
  };
}
