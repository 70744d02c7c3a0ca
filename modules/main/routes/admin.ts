import type { ModuleContext, ModuleRouter } from '../../../core/modules/types.js';
import { requireRight } from '../../../core/http/guards.js';
import { page } from './page.js';

export function adminRoutes(router: ModuleRouter, { kernel, t }: ModuleContext): void {
  router.get('/admin/', requireRight(kernel, 'main.admin.view'), async (ctx) => {
    const [agents, mail, users] = await Promise.all([kernel.agents.list(), kernel.mail.stats(), kernel.users.list({ limit: 1 })]);
    const modules = [...kernel.modules.available.values()].map((def) => ({
      id: def.id,
      title: def.title[ctx.state.language === 'ru' ? 'ru' : 'en'],
      version: def.version,
      installed: kernel.modules.isInstalled(def.id),
    }));
    await page(ctx, 'admin/dashboard', t('ADMIN', ctx.state.language), {
      node: process.version,
      dialect: kernel.db('main').dialect,
      cache: kernel.cache.driverName,
      modules,
      agents,
      mail,
      userCount: users.total,
    });
  });
}
