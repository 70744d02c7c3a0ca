import type { ModuleRouter } from '../../../core/modules/types.js';
import { done, intId, str } from '../../../core/http/admin-forms.js';
import type { Category } from '../types.js';
import { renderList } from './forums.js';
import { BASE, type Ctx, type ForumKit } from './kit.js';

const LIST = `${BASE}categories/`;

/** Categories of a site: added from the forum list, renamed and re-sorted on their own page, deleted when empty. */
export function categoryRoutes(router: ModuleRouter, kit: ForumKit): void {
  const manage = kit.change('forum.manage');
  const back = (siteId: string) => `${BASE}?site=${encodeURIComponent(siteId)}`;

  router.post(LIST, ...manage, async (ctx) => {
    const body = ctx.request.body;
    const form = { name: str(body, 'name'), sort: str(body, 'sort').trim() };
    try {
      await kit.api().admin.createCategory(ctx.state.principal, { siteId: str(body, 'site'), ...form });
    } catch (err) {
      const e = kit.formError(ctx, err);
      const { siteId } = await kit.site(ctx, str(body, 'site'));
      return renderList(kit, ctx, siteId, form, e.message, e.status);
    }
    done(ctx, back(str(body, 'site')), 'created');
  });

  router.get(`${LIST}:id/`, ...manage, async (ctx) => {
    const c = await kit.api().admin.category(intId(ctx.params.id, 'category'));
    await renderForm(kit, ctx, c, { name: c.name, sort: String(c.sort) });
  });

  router.post(`${LIST}:id/`, ...manage, async (ctx) => {
    const c = await kit.api().admin.category(intId(ctx.params.id, 'category'));
    const form = { name: str(ctx.request.body, 'name'), sort: str(ctx.request.body, 'sort').trim() };
    try {
      await kit.api().admin.updateCategory(ctx.state.principal, c.id, form);
    } catch (err) {
      const e = kit.formError(ctx, err);
      return renderForm(kit, ctx, c, form, e.message, e.status);
    }
    done(ctx, back(c.siteId), 'saved');
  });

  router.get(`${LIST}:id/delete/`, ...manage, async (ctx) => {
    await renderDelete(kit, ctx, await kit.api().admin.category(intId(ctx.params.id, 'category')));
  });

  router.post(`${LIST}:id/delete/`, ...manage, async (ctx) => {
    const c = await kit.api().admin.category(intId(ctx.params.id, 'category'));
    try {
      await kit.api().admin.deleteCategory(ctx.state.principal, c.id);
    } catch (err) {
      const e = kit.formError(ctx, err);
      return renderDelete(kit, ctx, c, e.message, e.status);
    }
    done(ctx, back(c.siteId), 'deleted');
  });
}

async function renderForm(kit: ForumKit, ctx: Ctx, c: Category, form: { name: string; sort: string }, error: string | null = null, status = 200): Promise<void> {
  const title = kit.t(ctx, 'FORUMA_CATEGORY_EDIT', { NAME: c.name });
  await kit.render(ctx, 'category-form', title, { heading: title, category: c, form, error }, status, { breadcrumbs: kit.crumbs(ctx) });
}

function renderDelete(kit: ForumKit, ctx: Ctx, c: Category, error: string | null = null, status = 200): Promise<void> {
  const heading = kit.t(ctx, 'FORUMA_CATEGORY_DELETE_TITLE', { NAME: c.name });
  return kit.render(ctx, '@admin/confirm', heading, {
    heading,
    message: kit.t(ctx, 'FORUMA_CATEGORY_DELETE_TEXT'),
    action: `${LIST}${c.id}/delete/`,
    cancel: `${LIST}${c.id}/`,
    button: kit.t(ctx, 'ADM_DELETE'),
    error,
  }, status, { breadcrumbs: kit.crumbs(ctx) });
}
