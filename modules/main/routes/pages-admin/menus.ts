import type { ModuleContext, ModuleRouter } from '../../../../core/modules/types.js';
import { pagesOf } from '../../../../core/pages/services.js';
import { MENUS, type MenuItemInput, type MenuName } from '../../../../core/menus/types.js';
import { checked, done, formError, intId, str, type Ctx, type PagesKit } from './http.js';
import { operationsOf } from './operations.js';

interface ItemForm {
  id: number | null;
  parentId: string;
  labelEn: string;
  labelRu: string;
  href: string;
  sort: string;
  operation: string;
  active: boolean;
}

/** /admin/menus/: the top and left menus of each site (or the defaults, '*'), item by item. */
export function menuRoutes(router: ModuleRouter, _mctx: ModuleContext, kit: PagesKit): void {
  const menus = () => pagesOf(kit.kernel).menus;

  router.get('/admin/menus/', kit.view, async (ctx) => {
    const { site, menu } = await selection(kit, ctx, ctx.query);
    await renderMenus(kit, ctx, site, menu);
  });

  router.post('/admin/menus/items/', ...kit.change, async (ctx) => {
    const { site, menu } = await selection(kit, ctx, ctx.request.body);
    const form = readItem(ctx.request.body, null);
    try {
      await menus().create({ siteId: site, menu, ...toInput(form) });
    } catch (err) {
      const e = formError(err);
      return renderMenus(kit, ctx, site, menu, { form, error: e.message }, e.status);
    }
    done(ctx, back(site, menu), 'created');
  });

  router.post('/admin/menus/items/:id/', ...kit.change, async (ctx) => {
    const item = await menus().get(intId(ctx.params.id, 'menu item'));
    const form = readItem(ctx.request.body, item.id);
    try {
      await menus().update(item.id, toInput(form));
    } catch (err) {
      const e = formError(err);
      return renderMenus(kit, ctx, item.siteId, item.menu, { form, error: e.message }, e.status);
    }
    done(ctx, back(item.siteId, item.menu), 'saved');
  });

  router.post('/admin/menus/items/:id/delete/', ...kit.change, async (ctx) => {
    const item = await menus().get(intId(ctx.params.id, 'menu item'));
    await menus().remove(item.id);
    done(ctx, back(item.siteId, item.menu), 'deleted');
  });

  router.post('/admin/menus/copy/', ...kit.change, async (ctx) => {
    const { site, menu } = await selection(kit, ctx, ctx.request.body);
    await menus().copyDefaults(site, menu);
    done(ctx, back(site, menu), 'copied');
  });
}

function back(site: string, menu: MenuName): string {
  return `/admin/menus/?site=${encodeURIComponent(site)}&menu=${menu}`;
}

/** The site ('*' for the defaults) and menu chosen; unknown ones fall back to the defaults and "top". */
async function selection(kit: PagesKit, _ctx: Ctx, source: unknown): Promise<{ site: string; menu: MenuName }> {
  const siteRaw = str(source, 'site') || '*';
  const menuRaw = str(source, 'menu');
  const sites = await kit.kernel.sites.list();
  const site = siteRaw === '*' || sites.some((s) => s.id === siteRaw) ? siteRaw : '*';
  const menu = (MENUS as readonly string[]).includes(menuRaw) ? (menuRaw as MenuName) : 'top';
  return { site, menu };
}

function readItem(body: unknown, id: number | null): ItemForm {
  return {
    id,
    parentId: str(body, 'parentId'),
    labelEn: str(body, 'labelEn'),
    labelRu: str(body, 'labelRu'),
    href: str(body, 'href').trim(),
    sort: str(body, 'sort').trim() || '100',
    operation: str(body, 'operation'),
    active: checked(body, 'active'),
  };
}

function toInput(form: ItemForm): Omit<MenuItemInput, 'siteId' | 'menu'> {
  return {
    parentId: form.parentId ? Number(form.parentId) : null,
    label: { en: form.labelEn, ru: form.labelRu },
    href: form.href,
    sort: /^-?\d+$/.test(form.sort) ? Number(form.sort) : Number.NaN,
    operation: form.operation || null,
    active: form.active,
  };
}

async function renderMenus(kit: PagesKit, ctx: Ctx, site: string, menu: MenuName, failed: { form: ItemForm; error: string } | null = null, status = 200): Promise<void> {
  const menus = pagesOf(kit.kernel).menus;
  const stored = await menus.stored(site, menu);
  const items = stored.map((i) => {
    const form: ItemForm =
      failed?.form.id === i.id
        ? failed.form
        : { id: i.id, parentId: i.parentId ? String(i.parentId) : '', labelEn: i.label.en, labelRu: i.label.ru, href: i.href, sort: String(i.sort), operation: i.operation ?? '', active: i.active };
    return { ...form, isChild: i.parentId !== null, error: failed?.form.id === i.id ? failed.error : null };
  });
  const newForm: ItemForm = failed && failed.form.id === null ? failed.form : { id: null, parentId: '', labelEn: '', labelRu: '', href: '/', sort: '100', operation: '', active: true };
  await kit.render(
    ctx,
    'menus',
    kit.t(ctx, 'PG_MENUS'),
    {
      site,
      menu,
      menus: MENUS,
      sites: await kit.kernel.sites.list(),
      items,
      parents: stored.filter((i) => i.parentId === null).map((i) => ({ id: i.id, label: ctx.state.language === 'ru' ? i.label.ru : i.label.en })),
      usesDefaults: site !== '*' && stored.length === 0,
      newForm,
      newError: failed && failed.form.id === null ? failed.error : null,
      operations: operationsOf(kit, ctx.state.language),
      canEdit: await kit.canEdit(ctx),
    },
    status,
  );
}
