import type { ModuleContext, ModuleRouter } from '../../../../core/modules/types.js';
import { pagesOf } from '../../../../core/pages/services.js';
import { listSiteTemplates } from '../../../../core/pages/site-templates.js';
import type { StoredPage } from '../../../../core/pages/types.js';
import { renderBuilder } from './builder-view.js';
import { operationsOf } from './operations.js';
import { paramProblemText } from './param-form.js';
import { done, formError, intId, str, type Ctx, type PagesKit } from './http.js';

interface NewPageForm {
  siteId: string;
  path: string;
  title: string;
  template: string;
  access: string;
}

/** /admin/pages/: the list of pages, adding a page, and page-level actions (settings, publish, delete). */
export function pageListRoutes(router: ModuleRouter, _mctx: ModuleContext, kit: PagesKit): void {
  const { kernel } = kit;
  const store = () => pagesOf(kernel).store;

  router.get('/admin/pages/', kit.view, (ctx) => renderList(kit, ctx, emptyForm(ctx)));

  router.post('/admin/pages/', ...kit.change, async (ctx) => {
    const form: NewPageForm = {
      siteId: str(ctx.request.body, 'siteId'),
      path: str(ctx.request.body, 'path').trim(),
      title: str(ctx.request.body, 'title'),
      template: str(ctx.request.body, 'template'),
      access: str(ctx.request.body, 'access'),
    };
    let page: StoredPage;
    try {
      await kernel.sites.get(form.siteId);
      page = await store().create({ ...form, template: form.template || null, access: form.access || null });
    } catch (err) {
      const e = formError(err);
      return renderList(kit, ctx, form, e.message, e.status);
    }
    done(ctx, `/admin/pages/${page.id}/`, 'created');
  });

  router.post('/admin/pages/:id/settings/', ...kit.change, async (ctx) => {
    const id = intId(ctx.params.id, 'page');
    const body = ctx.request.body;
    const form = { path: str(body, 'path').trim(), title: str(body, 'title'), template: str(body, 'template') || null, access: str(body, 'access') || null };
    try {
      const page = await store().get(id);
      if (form.path !== page.path) await store().setPath(id, form.path);
      await store().editDraft(id, (c) => ({ ...c, title: form.title.trim(), template: form.template, access: form.access }));
    } catch (err) {
      const e = formError(err);
      return renderBuilder(kit, ctx, await store().get(id), { settings: form, error: e.message }, e.status);
    }
    done(ctx, `/admin/pages/${id}/`, 'saved');
  });

  router.post('/admin/pages/:id/publish/', ...kit.change, async (ctx) => {
    const id = intId(ctx.params.id, 'page');
    try {
      await store().publish(id, { language: ctx.state.language });
    } catch (err) {
      const e = formError(err);
      const page = await store().get(id);
      const placement = store().editable(page).placements.find((p) => p.id === placementOf(e));
      const def = placement ? kernel.components.list().find((c) => c.name === placement.component) : undefined;
      const problem = def ? paramProblemText(def, e, ctx.state.language) : null;
      return renderBuilder(kit, ctx, page, { error: problem?.text ?? e.message, errorPlacement: placementOf(e), errorParam: problem?.param ?? null }, e.status);
    }
    done(ctx, `/admin/pages/${id}/`, 'published');
  });

  for (const [action, notice] of [['unpublish', 'unpublished'], ['discard', 'discarded']] as const) {
    router.post(`/admin/pages/:id/${action}/`, ...kit.change, async (ctx) => {
      const id = intId(ctx.params.id, 'page');
      await (action === 'unpublish' ? store().unpublish(id) : store().discardDraft(id));
      done(ctx, `/admin/pages/${id}/`, notice);
    });
  }

  router.post('/admin/pages/:id/delete/', ...kit.change, async (ctx) => {
    await store().remove(intId(ctx.params.id, 'page'));
    done(ctx, '/admin/pages/', 'deleted');
  });
}

function placementOf(err: { details?: Record<string, unknown> }): string | null {
  return typeof err.details?.placement === 'string' ? err.details.placement : null;
}

function emptyForm(ctx: Ctx): NewPageForm {
  return { siteId: ctx.state.site.id, path: '/', title: '', template: '', access: 'main.portal.view' };
}

async function renderList(kit: PagesKit, ctx: Ctx, form: NewPageForm, error: string | null = null, status = 200): Promise<void> {
  const { kernel } = kit;
  const lang = ctx.state.language;
  const sites = await kernel.sites.list();
  const pages = await pagesOf(kernel).store.list();
  const files = sites.flatMap((s) => pagesOf(kernel).files.list(s.id, lang).map((p) => ({ ...p, siteId: s.id })));
  await kit.render(
    ctx,
    'pages',
    kit.t(ctx, 'PG_PAGES'),
    {
      pages: pages.map((p) => ({ ...p, status: p.active ? (p.draft ? 'changed' : 'published') : 'draft' })),
      files,
      sites,
      form,
      error,
      templates: listSiteTemplates(kernel),
      operations: operationsOf(kit, lang),
      canEdit: await kit.canEdit(ctx),
    },
    status,
  );
}
