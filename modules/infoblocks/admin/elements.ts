import type { ModuleRouter } from '../../../core/modules/types.js';
import { backTo, done, formError, list, pagerAt, str } from '../../../core/http/admin-forms.js';
import { adminDateTime } from '../../../core/http/admin-kit.js';
import { ibErrors } from '../errors.js';
import type { Element, Property } from '../types.js';
import { fileInfos, type FileInfo } from './element-choices.js';
import { filtered, filterOf, orderOf, propertyFilters, readListState, sortLink } from './element-filter.js';
import { intField } from './fields.js';
import { demand, type Ctx, type IbKit, type IblockScreen } from './kit.js';
import { sectionOptions } from './sections.js';
import { datesFor } from '../../../core/time/date-format.js';

const PAGE_SIZE = 20;
/** Bulk actions take at most one page's worth of a large page. */
const MAX_BULK = 100;
const ACTIONS = ['activate', 'deactivate', 'delete'] as const;
const base = (s: IblockScreen) => `/admin/infoblocks/${s.iblock.id}/elements/`;

/** A value shown in a list cell, with a link for files. */
interface Cell {
  text: string;
  href?: string;
}

/** /admin/infoblocks/:ib/elements/: filter, sort by column, pages, and bulk activate / deactivate / delete. */
export function elementListRoutes(router: ModuleRouter, kit: IbKit): void {
  const E = '/admin/infoblocks/:ib/elements/';

  router.get(E, kit.view, async (ctx) => {
    const screen = await kit.screen(ctx);
    await renderList(kit, ctx, screen, new URLSearchParams(ctx.querystring));
  });

  router.post(`${E}bulk/`, kit.view, async (ctx) => {
    const screen = await kit.screen(ctx);
    const body = ctx.request.body;
    const back = backTo(str(body, 'back'), base(screen), base(screen));
    const action = ACTIONS.find((a) => a === str(body, 'action'));
    const ids = [...new Set(list(body, 'ids'))];
    try {
      if (!action) throw ibErrors.ELEMENT_INPUT_INVALID(kit.t(ctx, 'IBA_BULK_ACTION_UNKNOWN'));
      if (ids.length === 0) throw ibErrors.ELEMENT_INPUT_INVALID(kit.t(ctx, 'IBA_BULK_NONE'));
      if (ids.length > MAX_BULK) throw ibErrors.ELEMENT_INPUT_INVALID(kit.t(ctx, 'IBA_BULK_TOO_MANY', { MAX: MAX_BULK }));
      demand(screen.can.write);
      const elements: Element[] = [];
      for (const raw of ids) {
        const e = await kit.api().elements.get(ctx.state.principal, intField(raw, 'ids')!);
        if (e.iblockId !== screen.iblock.id) throw ibErrors.ELEMENT_NOT_FOUND(`${e.id} in infoblock ${screen.iblock.id}`);
        elements.push(e);
      }
      if (action === 'delete' && str(body, 'confirmed') !== '1') return await renderConfirm(kit, ctx, screen, elements, back);
      for (const e of elements) {
        if (action === 'delete') await kit.api().elements.delete(ctx.state.principal, e.id);
        else await kit.api().elements.update(ctx.state.principal, e.id, { active: action === 'activate' });
      }
    } catch (err) {
      const e = formError(err);
      return renderList(kit, ctx, screen, new URL(back, 'http://portal').searchParams, { message: e.message, status: e.status });
    }
    done(ctx, back, action === 'delete' ? 'deleted' : `${action}d`);
  });
}

function renderConfirm(kit: IbKit, ctx: Ctx, screen: IblockScreen, elements: Element[], back: string): Promise<void> {
  const heading = kit.t(ctx, 'IBA_BULK_DELETE_TITLE', { COUNT: elements.length });
  return kit.confirmDelete(ctx, {
    heading,
    message: kit.t(ctx, 'IBA_BULK_DELETE_TEXT', { COUNT: elements.length, NAME: screen.iblock.name }),
    items: elements.map((e) => `${e.name} [${e.id}]`),
    action: `${base(screen)}bulk/`,
    hidden: [['action', 'delete'], ['confirmed', '1'], ['back', back], ...elements.map((e): [string, string] => ['ids', String(e.id)])],
    cancel: back,
    iblock: screen.iblock,
  });
}

async function renderList(kit: IbKit, ctx: Ctx, screen: IblockScreen, params: URLSearchParams, failure?: { message: string; status: number }): Promise<void> {
  const principal = ctx.state.principal;
  const properties = await kit.api().properties.list(principal, screen.iblock.id);
  const filters = propertyFilters(properties);
  const state = readListState(params, filters, properties.filter((p) => !p.multiple));
  let error = failure?.message ?? null;
  let status = failure?.status ?? 200;
  let result = { items: [] as Element[], total: 0 };
  try {
    result = await kit.api().elements.list(principal, screen.iblock.id, { filter: filterOf(state, filters, datesFor(ctx.state)), order: orderOf(state), page: state.page, pageSize: PAGE_SIZE });
  } catch (err) {
    const e = formError(err);
    error = e.message;
    status = e.status;
  }
  const sections = screen.iblock.sectionsEnabled ? await kit.api().sections.list(principal, screen.iblock.id) : [];
  const columns = properties.filter((p) => p.filterable);
  const files = await fileInfos(kit.kernel, result.items.flatMap((e) => columns.filter((p) => p.type === 'file').flatMap((p) => [e.properties[p.code] ?? null].flat().map(Number))), ctx.state.language);
  const users = await userLogins(kit, result.items, columns);
  const showTime = adminDateTime(ctx);
  const path = base(screen);
  const here = new URLSearchParams([...params].filter(([k]) => k !== 'done'));
  const sortable = ['ID', 'NAME', 'ACTIVE', 'SORT', 'MODIFIED_AT', ...columns.filter((p) => !p.multiple).map((p) => `PROPERTY_${p.code}`)];
  await kit.render(ctx, 'elements', kit.t(ctx, 'IBA_ELEMENTS_OF', { NAME: screen.iblock.name }), {
    ib: screen,
    tab: 'elements',
    state,
    filters,
    isFiltered: filtered(state),
    columns,
    rows: result.items.map((e) => ({
      element: e,
      sections: e.sectionIds.map((id) => sections.find((s) => s.id === id)?.name ?? `#${id}`),
      cells: Object.fromEntries(columns.map((p) => [p.code, cellsOf(p, e.properties[p.code] ?? null, files, users, showTime)])),
    })),
    sections: sectionOptions(sections),
    sortLinks: Object.fromEntries(sortable.map((by) => [by, sortLink(path, params, state, by)])),
    pager: pagerAt(path, params, result.total, PAGE_SIZE, state.page),
    total: result.total,
    back: here.toString() ? `${path}?${here.toString()}` : path,
    error,
  }, status, { breadcrumbs: kit.crumbs(ctx, screen.iblock) });
}

async function userLogins(kit: IbKit, items: Element[], columns: Property[]): Promise<Map<number, string>> {
  const ids = new Set(items.flatMap((e) => columns.filter((p) => p.type === 'user').flatMap((p) => [e.properties[p.code] ?? null].flat().map(Number))));
  const out = new Map<number, string>();
  for (const id of ids) {
    const u = id > 0 ? await kit.kernel.users.find(id) : null;
    if (u) out.set(id, u.login);
  }
  return out;
}

/** A property value as list text: enum values, datetimes on the site's clock, logins, file names with links. */
function cellsOf(p: Property, value: unknown, files: Record<number, FileInfo>, users: Map<number, string>, showTime: (at: number) => string): Cell[] {
  return [value].flat().filter((v) => v !== null && v !== undefined && v !== '').map((v): Cell => {
    switch (p.type) {
      case 'list':
        return { text: p.enums.find((e) => e.id === Number(v))?.value ?? `#${String(v)}` };
      case 'datetime':
        return { text: showTime(Number(v)) };
      case 'user':
        return { text: users.get(Number(v)) ?? `#${String(v)}` };
      case 'file': {
        const f = files[Number(v)];
        return f ? { text: f.name, href: f.href } : { text: `#${String(v)}` };
      }
      case 'element':
      case 'section':
        return { text: `#${String(v)}` };
      case 'html':
        return { text: String(v).replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 80) };
      default:
        return { text: String(v).slice(0, 80) };
    }
  });
}
