import type { ModuleContext, ModuleRouter } from '../../../core/modules/types.js';
import { adminKit } from './admin/http.js';

/**
 * Component preview for developers and admins: renders any installed component with
 * its default parameters (query string overrides them) inside the site layout.
 */
export function componentRoutes(router: ModuleRouter, { kernel, t }: ModuleContext): void {
  const kit = adminKit(kernel);
  router.get('/admin/components/', kit.view, async (ctx) => {
    const lang = ctx.state.language === 'ru' ? 'ru' : 'en';
    const items = kernel.components.list().map((c) => ({ name: c.name, title: c.title[lang], params: Object.keys(c.params) }));
    await kit.render(ctx, 'components', t('ADMIN_COMPONENTS', ctx.state.language), { items });
  });

  router.get('/admin/components/:name/', kit.view, async (ctx) => {
    const { template, ...params } = ctx.query as Record<string, string>;
    const html = await kernel.components.render(ctx.state, ctx.params.name!, params, template || '.default');
    await kit.render(ctx, 'component-preview', ctx.params.name!, { name: ctx.params.name, html });
  });
}
