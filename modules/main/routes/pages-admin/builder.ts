import type { ModuleContext, ModuleRouter } from '../../../../core/modules/types.js';
import { isComplex } from '../../../../core/components/types.js';
import { pagesOf } from '../../../../core/pages/services.js';
import { renderPage } from '../../../../core/pages/page-renderer.js';
import { newPlacement } from '../../../../core/pages/page-store.js';
import { pageErrors } from '../../../../core/pages/errors.js';
import { checkPlacement } from '../../../../core/pages/validate.js';
import { AREAS, type Area } from '../../../../core/pages/types.js';
import type { PortalApp } from '../../../../core/http/app.js';
import { renderBuilder } from './builder-view.js';
import { done, formError, intId, str, type PagesKit } from './http.js';
import { paramProblemText, paramsFromForm, readParamForm } from './param-form.js';

/** The page builder: the edit screen, placements (add, parameters, move, remove) and the preview. */
export function builderRoutes(router: ModuleRouter, _mctx: ModuleContext, kit: PagesKit): void {
  const { kernel } = kit;
  const store = () => pagesOf(kernel).store;

  router.get('/admin/pages/:id/', kit.view, async (ctx) => {
    await renderBuilder(kit, ctx, await store().get(intId(ctx.params.id, 'page')));
  });

  router.post('/admin/pages/:id/placements/', ...kit.change, async (ctx) => {
    const id = intId(ctx.params.id, 'page');
    const component = str(ctx.request.body, 'component');
    const area = str(ctx.request.body, 'area') || 'main';
    try {
      if (!(AREAS as readonly string[]).includes(area)) throw pageErrors.PAGE_CONTENT_INVALID(`Unknown area "${area}"`);
      await store().editDraft(id, (c) => ({ ...c, placements: [...c.placements, newPlacement({ component, area: area as Area })] }));
    } catch (err) {
      const e = formError(err);
      return renderBuilder(kit, ctx, await store().get(id), { error: e.message }, e.status);
    }
    done(ctx, `/admin/pages/${id}/`, 'saved');
  });

  router.post('/admin/pages/:id/placements/:pid/', ...kit.change, async (ctx) => {
    const id = intId(ctx.params.id, 'page');
    const page = await store().get(id);
    const content = store().editable(page);
    const index = content.placements.findIndex((p) => p.id === ctx.params.pid);
    if (index < 0) throw pageErrors.PLACEMENT_MISSING(String(ctx.params.pid).slice(0, 20));
    const current = content.placements[index]!;
    const def = kernel.components.get(current.component);
    const raw = readParamForm(def, (name) => str(ctx.request.body, name));
    const template = str(ctx.request.body, 'template') || current.template;
    const area = (str(ctx.request.body, 'area') || current.area) as Area;
    try {
      const placement = { ...current, template, area, params: paramsFromForm(def, raw) };
      await checkPlacement(kernel, placement, index + 1, content.template, true, ctx.state.language);
      await store().editDraft(id, (c) => ({ ...c, placements: c.placements.map((p) => (p.id === current.id ? placement : p)) }));
    } catch (err) {
      const e = formError(err);
      const problem = paramProblemText(def, e, ctx.state.language);
      const message = problem?.text ?? e.message.replace(`${def.name}: `, '').replace(/^Component \d+ \([^)]*\): /, '');
      return renderBuilder(kit, ctx, page, { error: message, errorPlacement: current.id, errorParam: problem?.param ?? null, submitted: raw, submittedTemplate: template, submittedArea: area }, e.status);
    }
    done(ctx, `/admin/pages/${id}/`, 'saved', `#placement-${current.id}`);
  });

  router.post('/admin/pages/:id/placements/:pid/move/', ...kit.change, async (ctx) => {
    const id = intId(ctx.params.id, 'page');
    const step = str(ctx.request.body, 'dir') === 'up' ? -1 : 1;
    await store().editDraft(id, (c) => {
      const list = [...c.placements];
      const i = list.findIndex((p) => p.id === ctx.params.pid);
      if (i < 0) throw pageErrors.PLACEMENT_MISSING(String(ctx.params.pid).slice(0, 20));
      const j = i + step;
      if (j >= 0 && j < list.length) [list[i], list[j]] = [list[j]!, list[i]!];
      return { ...c, placements: list };
    });
    done(ctx, `/admin/pages/${id}/`, 'saved');
  });

  router.post('/admin/pages/:id/placements/:pid/delete/', ...kit.change, async (ctx) => {
    const id = intId(ctx.params.id, 'page');
    await store().editDraft(id, (c) => {
      if (!c.placements.some((p) => p.id === ctx.params.pid)) throw pageErrors.PLACEMENT_MISSING(String(ctx.params.pid).slice(0, 20));
      return { ...c, placements: c.placements.filter((p) => p.id !== ctx.params.pid) };
    });
    done(ctx, `/admin/pages/${id}/`, 'saved');
  });

  // The draft (or the live page) as visitors would see it, with placement errors shown.
  router.get('/admin/pages/:id/preview/', kit.view, async (ctx) => {
    const page = await store().get(intId(ctx.params.id, 'page'));
    const content = store().editable(page);
    const site = await kernel.sites.get(page.siteId);
    ctx.state.template = content.template ?? (await pagesOf(kernel).templates.select(site, page.path, ctx.state.language));
    const complex = content.placements.some((p) => kernel.components.list().some((c) => c.name === p.component && isComplex(c)));
    const sub = typeof ctx.query.sub === 'string' && complex ? ctx.query.sub.replace(/^\/+/, '') : '';
    await renderPage(
      kernel,
      (ctx.app as unknown as PortalApp).views,
      ctx,
      { source: 'db', id: page.id, path: page.path, title: content.title, template: content.template, access: content.access, placements: content.placements },
      { preview: true, subPath: sub, banner: kit.t(ctx, 'PG_PREVIEW_BANNER', { PATH: page.path + sub }) },
    );
  });
}
