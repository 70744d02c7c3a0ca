import type { ModuleRouter } from '../../../core/modules/types.js';
import { checked, done, formError, intId, query, str } from '../../../core/http/admin-forms.js';
import { defaultRights } from '../access.js';
import { ibErrors } from '../errors.js';
import { IBLOCK_LEVELS, type Iblock, type IblockInput, type IblockLevel } from '../types.js';
import { intField } from './fields.js';
import { demand, type Ctx, type IbKit, type IblockScreen } from './kit.js';

interface IblockForm {
  typeId: string;
  code: string;
  name: string;
  siteId: string;
  sort: string;
  active: boolean;
  listUrl: string;
  detailUrl: string;
  sectionUrl: string;
  sectionsEnabled: boolean;
  workflow: boolean;
  description: string;
  /** Level letter per group id ('' = not set: deny). */
  rights: Record<string, string>;
}

const LIST = '/admin/infoblocks/';

/** /admin/infoblocks/: the list by type, a new infoblock, its settings with rights per group, deleting it. */
export function iblockRoutes(router: ModuleRouter, kit: IbKit): void {
  router.get(LIST, kit.view, (ctx) => renderList(kit, ctx));

  router.get(`${LIST}new/`, kit.view, async (ctx) => {
    demand(await kit.can(ctx, 'infoblocks.manage'));
    const types = await kit.api().iblocks.listTypes();
    const type = types.find((t) => String(t.id) === query(ctx, 'type')) ?? types[0];
    const rights = await defaultRights(kit.kernel);
    await renderForm(kit, ctx, null, {
      typeId: type ? String(type.id) : '', code: '', name: '', siteId: '', sort: '500', active: true, listUrl: '', detailUrl: '', sectionUrl: '',
      sectionsEnabled: type?.sections ?? true, workflow: false, description: '', rights,
    });
  });

  router.post(`${LIST}new/`, kit.view, async (ctx) => {
    const form = readForm(ctx.request.body, await groupIds(kit));
    let iblock: Iblock;
    try {
      iblock = await kit.api().iblocks.add(ctx.state.principal, { ...inputOf(kit, ctx, form), rights: rightsOf(form) });
    } catch (err) {
      const e = formError(err);
      return renderForm(kit, ctx, null, form, e.message, e.status);
    }
    done(ctx, `${LIST}${iblock.id}/properties/`, 'created');
  });

  router.get(`${LIST}:ib/`, kit.view, async (ctx) => {
    ctx.redirect(`${LIST}${intId(ctx.params.ib, 'infoblock')}/elements/`);
  });

  router.get(`${LIST}:ib/settings/`, kit.view, async (ctx) => {
    const screen = await kit.screen(ctx);
    const rights = screen.can.full ? await kit.api().iblocks.getRights(ctx.state.principal, screen.iblock.id) : {};
    await renderForm(kit, ctx, screen, formOf(screen.iblock, rights));
  });

  router.post(`${LIST}:ib/settings/`, kit.view, async (ctx) => {
    const screen = await kit.screen(ctx);
    const form = readForm(ctx.request.body, await groupIds(kit));
    try {
      const rights = rightsOf(form);
      await kit.api().iblocks.update(ctx.state.principal, screen.iblock.id, inputOf(kit, ctx, form));
      await kit.api().iblocks.setRights(ctx.state.principal, screen.iblock.id, rights);
    } catch (err) {
      const e = formError(err);
      return renderForm(kit, ctx, screen, form, e.message, e.status);
    }
    done(ctx, `${LIST}${screen.iblock.id}/settings/`, 'saved');
  });

  router.get(`${LIST}:ib/delete/`, kit.view, async (ctx) => {
    const screen = await kit.screen(ctx);
    demand(screen.can.full);
    await renderDelete(kit, ctx, screen.iblock);
  });

  router.post(`${LIST}:ib/delete/`, kit.view, async (ctx) => {
    const screen = await kit.screen(ctx);
    await kit.api().iblocks.delete(ctx.state.principal, screen.iblock.id);
    done(ctx, LIST, 'deleted');
  });
}

async function groupIds(kit: IbKit): Promise<number[]> {
  return (await kit.kernel.groups.list()).map((g) => g.id);
}

function readForm(body: unknown, groups: number[]): IblockForm {
  return {
    typeId: str(body, 'typeId'),
    code: str(body, 'code').trim(),
    name: str(body, 'name'),
    siteId: str(body, 'siteId'),
    sort: str(body, 'sort'),
    active: checked(body, 'active'),
    listUrl: str(body, 'listUrl').trim(),
    detailUrl: str(body, 'detailUrl').trim(),
    sectionUrl: str(body, 'sectionUrl').trim(),
    sectionsEnabled: checked(body, 'sectionsEnabled'),
    workflow: checked(body, 'workflow'),
    description: str(body, 'description'),
    rights: Object.fromEntries(groups.map((id) => [String(id), str(body, `right_${id}`)])),
  };
}

function formOf(b: Iblock, rights: Record<number, IblockLevel>): IblockForm {
  return {
    typeId: String(b.typeId), code: b.code, name: b.name, siteId: b.siteId ?? '', sort: String(b.sort), active: b.active,
    listUrl: b.listUrl, detailUrl: b.detailUrl, sectionUrl: b.sectionUrl, sectionsEnabled: b.sectionsEnabled, workflow: b.workflow,
    description: b.description, rights: Object.fromEntries(Object.entries(rights).map(([gid, level]) => [gid, level])),
  };
}

function inputOf(kit: IbKit, ctx: Ctx, f: IblockForm): Omit<IblockInput, 'rights'> {
  const typeId = intField(f.typeId, 'typeId');
  if (!typeId) throw ibErrors.IBLOCK_INPUT_INVALID(kit.t(ctx, 'IBA_TYPE_REQUIRED'), { field: 'typeId' });
  return {
    typeId, code: f.code, name: f.name, siteId: f.siteId || null, sort: intField(f.sort, 'sort'), active: f.active,
    listUrl: f.listUrl, detailUrl: f.detailUrl, sectionUrl: f.sectionUrl, sectionsEnabled: f.sectionsEnabled, workflow: f.workflow, description: f.description,
  };
}

function rightsOf(f: IblockForm): Record<number, IblockLevel> {
  const out: Record<number, IblockLevel> = {};
  for (const [gid, level] of Object.entries(f.rights)) {
    if (level === '') continue;
    if (!(IBLOCK_LEVELS as readonly string[]).includes(level)) throw ibErrors.RIGHTS_LEVEL_INVALID(`Level "${level.slice(0, 10)}" is not one of ${IBLOCK_LEVELS.join(', ')}`);
    out[Number(gid)] = level as IblockLevel;
  }
  return out;
}

async function renderList(kit: IbKit, ctx: Ctx): Promise<void> {
  const principal = ctx.state.principal;
  const types = await kit.api().iblocks.listTypes();
  const typeId = types.find((t) => String(t.id) === query(ctx, 'type'))?.id;
  const iblocks = await kit.api().iblocks.list(principal, typeId === undefined ? {} : { typeId });
  const rows = await Promise.all(iblocks.map(async (b) => ({ ...b, level: await kit.api().iblocks.levelOf(principal, b.id) })));
  const lang = ctx.state.language === 'ru' ? 'ru' : 'en';
  await kit.render(ctx, 'iblocks', kit.t(ctx, 'IBA_INFOBLOCKS'), {
    iblocks: rows,
    types: types.map((t) => ({ id: t.id, name: t.names[lang] })),
    typeId: typeId ?? null,
    sites: Object.fromEntries((await kit.kernel.sites.list()).map((s) => [s.id, s.name])),
    canManage: await kit.can(ctx, 'infoblocks.manage'),
  });
}

async function renderForm(kit: IbKit, ctx: Ctx, screen: IblockScreen | null, form: IblockForm, error: string | null = null, status = 200): Promise<void> {
  const lang = ctx.state.language === 'ru' ? 'ru' : 'en';
  const title = screen ? kit.t(ctx, 'IBA_SETTINGS_OF', { NAME: screen.iblock.name }) : kit.t(ctx, 'IBA_IBLOCK_NEW');
  await kit.render(ctx, 'iblock-form', title, {
    heading: title,
    ib: screen,
    tab: 'settings',
    form,
    error,
    types: (await kit.api().iblocks.listTypes()).map((t) => ({ id: t.id, name: t.names[lang] })),
    sites: await kit.kernel.sites.list(),
    groups: await kit.kernel.groups.list(),
    levels: IBLOCK_LEVELS.map((l) => ({ value: l, label: kit.t(ctx, `IBA_LEVEL_${l}`) })),
    canEdit: screen ? screen.can.full : await kit.can(ctx, 'infoblocks.manage'),
  }, status, { breadcrumbs: kit.crumbs(ctx, screen?.iblock) });
}

function renderDelete(kit: IbKit, ctx: Ctx, iblock: Iblock): Promise<void> {
  const heading = kit.t(ctx, 'IBA_IBLOCK_DELETE_TITLE', { NAME: iblock.name });
  return kit.confirmDelete(ctx, {
    heading,
    message: kit.t(ctx, 'IBA_IBLOCK_DELETE_TEXT', { NAME: iblock.name, CODE: iblock.code }),
    action: `${LIST}${iblock.id}/delete/`,
    cancel: `${LIST}${iblock.id}/settings/`,
    iblock,
  });
}
