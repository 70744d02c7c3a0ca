import type { ModuleContext, ModuleRouter } from '../../../core/modules/types.js';
import { requireRight } from '../../../core/http/guards.js';
import { page } from './page.js';

export function homeRoutes(router: ModuleRouter, { kernel, t }: ModuleContext): void {
  router.get('/', requireRight(kernel, 'main.portal.view'), async (ctx) => {
    const user = ctx.state.user!;
    await page(ctx, 'home', t('HOME', ctx.state.language), { name: [user.name, user.lastName].filter(Boolean).join(' ') || user.login });
  });
}
