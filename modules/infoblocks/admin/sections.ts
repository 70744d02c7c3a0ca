import type { ModuleRouter } from '../../../core/modules/types.js';
import { checked, done, formError, intId, query, str } from '../../../core/http/admin-forms.js';
import { ibErrors } from '../errors.js';
import type { Section, SectionInput } from '../types.js';
import { intField } from './fields.js';
import { demand, type Ctx, type IbKit, type IblockScreen } from './kit.js';

interface SectionForm {
  name: string;
  code: string;
  parentId: string;
  sort: string;
  active: boolean;
  xmlId: string;
  description: string;
}

/** A section with its children, for the indented tree. */
export interface SectionNode {
  section: Section;
  children: SectionNode[];
}

const base = (s: IblockScreen) => `/admin/infoblocks/${s.iblock.id}/sections/`;

/** /admin/infoblocks/:ib/sections/: the tree, adding, editing and moving (a new parent), deleting with the subtree. */
export function sectionRoutes(router: ModuleRouter, kit: IbKit): void {
  const S = '/admin/infoblocks/:ib/sections/';

  router.get(S, kit.view, async (ctx) => {
    const screen = await kit.screen(ctx);
    const sections = await kit.api().sections.list(ctx.state.principal, screen.iblock.id);
    await kit.render(ctx, 'sections', kit.t(ctx, 'IBA_SECTIONS_OF', { NAME: screen.iblock.name }), { ib: screen, tab: 'sections', tree: treeOf(sections), count: sections.length }, 200, {
      breadcrumbs: kit.crumbs(ctx, screen.iblock),
    });
  });

  router.get(`${S}new/`, kit.view, async (ctx) => {
    const screen = await kit.screen(ctx);
    demand(screen.can.write);
    await renderForm(kit, ctx, screen, null, { name: '', code: '', parentId: query(ctx, 'parent'), sort: '500', active: true, xmlId: '', description: '' });
  });

  router.post(`${S}new/`, kit.view, async (ctx) => {
    const screen = await kit.screen(ctx);
    const form = readForm(ctx.request.body);
    try {
      await kit.api().sections.add(ctx.state.principal, screen.iblock.id, inputOf(form));
    } catch (err) {
      const e = formError(err);
      return renderForm(kit, ctx, screen, null, form, e.message, e.status);
    }
    done(ctx, base(screen), 'created');
  });

  router.get(`${S}:sid/`, kit.view, async (ctx) => {
    const { screen, section } = await load(kit, ctx);
    await renderForm(kit, ctx, screen, section, {
      name: section.name, code: section.code, parentId: section.parentId ? String(section.parentId) : '', sort: String(section.sort),
      active: section.active, xmlId: section.xmlId ?? '', description: section.description,
    });
  });

  router.post(`${S}:sid/`, kit.view, async (ctx) => {
    const { screen, section } = await load(kit, ctx);
    const form = readForm(ctx.request.body);
    try {
      await kit.api().sections.update(ctx.state.principal, section.id, inputOf(form));
    } catch (err) {
      const e = formError(err);
      return renderForm(kit, ctx, screen, section, form, e.message, e.status);
    }
    done(ctx, base(screen), 'saved');
  });

  router.get(`${S}:sid/delete/`, kit.view, async (ctx) => {
    const { screen, section } = await load(kit, ctx);
    demand(screen.can.write);
    const below = (await kit.api().sections.subtreeIds(section.id)).length - 1;
    const heading = kit.t(ctx, 'IBA_SECTION_DELETE_TITLE', { NAME: section.name });
    await kit.confirmDelete(ctx, {
      heading,
      message: kit.t(ctx, 'IBA_SECTION_DELETE_TEXT', { NAME: section.name, COUNT: below }),
      action: `${base(screen)}${section.id}/delete/`,
      cancel: base(screen),
      iblock: screen.iblock,
    });
  });

  router.post(`${S}:sid/delete/`, kit.view, async (ctx) => {
    const { screen, section } = await load(kit, ctx);
    await kit.api().sections.delete(ctx.state.principal, section.id);
    done(ctx, base(screen), 'deleted');
  });
}

async function load(kit: IbKit, ctx: Ctx): Promise<{ screen: IblockScreen; section: Section }> {
  const screen = await kit.screen(ctx);
  const sid = intId(ctx.params.sid, 'section');
  const section = await kit.api().sections.get(ctx.state.principal, sid);
  if (section.iblockId !== screen.iblock.id) throw ibErrors.SECTION_NOT_FOUND(`${sid} in infoblock ${screen.iblock.id}`);
  return { screen, section };
}

function readForm(body: unknown): SectionForm {
  return {
    name: str(body, 'name'), code: str(body, 'code').trim(), parentId: str(body, 'parentId'), sort: str(body, 'sort'),
    active: checked(body, 'active'), xmlId: str(body, 'xmlId').trim(), description: str(body, 'description'),
  };
}

function inputOf(f: SectionForm): SectionInput {
  return { name: f.name, code: f.code, parentId: intField(f.parentId, 'parentId') ?? null, sort: intField(f.sort, 'sort'), active: f.active, xmlId: f.xmlId || null, description: f.description };
}

/** Nests the API's depth-first list (parents before children). */
export function treeOf(sections: Section[]): SectionNode[] {
  const nodes = new Map(sections.map((s) => [s.id, { section: s, children: [] as SectionNode[] }]));
  const roots: SectionNode[] = [];
  for (const s of sections) {
    const parent = s.parentId === null ? undefined : nodes.get(s.parentId);
    (parent ? parent.children : roots).push(nodes.get(s.id)!);
  }
  return roots;
}

/** Options for a section select: the tree in order, indented by depth, without `exclude`'s subtree. */
export function sectionOptions(sections: Section[], exclude?: Section): { id: number; label: string }[] {
  return sections
    .filter((s) => !exclude || !(s.id === exclude.id || isBelow(sections, s, exclude.id)))
    .map((s) => ({ id: s.id, label: `${'\u00a0\u00a0\u00a0'.repeat(Math.max(0, s.depth - 1))}${s.depth > 1 ? '└ ' : ''}${s.name}` }));
}

function isBelow(all: Section[], s: Section, ancestorId: number): boolean {
  const byId = new Map(all.map((x) => [x.id, x]));
  for (let p = s.parentId; p !== null; p = byId.get(p)?.parentId ?? null) if (p === ancestorId) return true;
  return false;
}

async function renderForm(kit: IbKit, ctx: Ctx, screen: IblockScreen, section: Section | null, form: SectionForm, error: string | null = null, status = 200): Promise<void> {
  const all = await kit.api().sections.list(ctx.state.principal, screen.iblock.id);
  const title = section ? kit.t(ctx, 'IBA_SECTION_EDIT', { NAME: section.name }) : kit.t(ctx, 'IBA_SECTION_NEW');
  await kit.render(ctx, 'section-form', title, { heading: title, ib: screen, tab: 'sections', section, form, error, parents: sectionOptions(all, section ?? undefined) }, status, {
    breadcrumbs: kit.crumbs(ctx, screen.iblock),
  });
}
