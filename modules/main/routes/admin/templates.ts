import type { ModuleContext, ModuleRouter } from '../../../../core/modules/types.js';
import { done, formError, str, type AdminKit, type Ctx } from './http.js';
import { checkTemplate } from './sites.js';
import { listSiteTemplates } from './site-templates.js';

/** Where the pages area may put the path-prefix template rules (the first that exists is linked). */
const CONDITIONS_PATHS = ['/admin/templates/conditions/', '/admin/pages/templates/'];

/** /admin/templates/: the site templates in templates/ and the one each site uses. */
export function templateRoutes(router: ModuleRouter, _mctx: ModuleContext, kit: AdminKit): void {
  const { kernel } = kit;

  const renderList = async (ctx: Ctx, values?: Record<string, string>, error: string | null = null, status = 200): Promise<void> => {
    const sites = await kernel.sites.list();
    const templates = listSiteTemplates(ctx.state.language).map((t) => ({ ...t, sites: sites.filter((s) => s.template === t.id).map((s) => s.name) }));
    // The path-prefix conditions screen belongs to the pages area; link it only when it exists.
    const conditionsHref = CONDITIONS_PATHS.find((p) => router.match(p, 'GET').route) ?? null;
    await kit.render(ctx, 'templates', kit.t(ctx, 'ADM_TEMPLATES'), {
      templates,
      sites,
      values: values ?? Object.fromEntries(sites.map((s) => [s.id, s.template])),
      conditionsHref,
      canEdit: await kit.can(ctx, 'main.settings.edit'),
      error,
    }, status);
  };

  router.get('/admin/templates/', kit.view, (ctx) => renderList(ctx));

  router.post('/admin/templates/', ...kit.change('main.settings.edit'), async (ctx) => {
    const sites = await kernel.sites.list();
    const values = Object.fromEntries(sites.map((s) => [s.id, str(ctx.request.body, `site_${s.id}`) || s.template]));
    try {
      for (const s of sites) checkTemplate(kit, ctx, values[s.id]!);
      for (const s of sites) if (values[s.id] !== s.template) await kernel.sites.update(s.id, { template: values[s.id] });
    } catch (err) {
      const e = formError(err);
      return renderList(ctx, values, e.message, e.status);
    }
    done(ctx, '/admin/templates/', 'saved');
  });
}
