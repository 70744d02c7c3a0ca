import type { ModuleContext, ModuleRouter } from '../../../core/modules/types.js';
import type { Kernel } from '../../../core/kernel.js';
import { ibErrors } from '../errors.js';
import type { Section, SectionInput } from '../types.js';
import { bodyObject, iblockIdOf, idParam, intParam, queryString, requireUser, type RestCtx } from './params.js';

const BASE = '/api/v1/infoblocks/:ref/sections';
const MAX_ID = Number.MAX_SAFE_INTEGER;

/** The section with this id in the infoblock of the path (another infoblock's section is a 404). */
async function sectionIn(kernel: Kernel, ctx: RestCtx, iblockId: number, id: number): Promise<Section> {
  const section = await kernel.api('infoblocks').sections.get(ctx.state.principal, id);
  if (section.iblockId !== iblockId) throw ibErrors.SECTION_NOT_FOUND(String(id));
  return section;
}

async function sectionOf(kernel: Kernel, ctx: RestCtx): Promise<Section> {
  const iblockId = await iblockIdOf(kernel, ctx.state.principal, ctx.params.ref);
  return sectionIn(kernel, ctx, iblockId, idParam(ctx.params.id, 'Section'));
}

/**
 * Sections: list (`parentId`: direct children, 0 = roots; `subtree=Y`: all descendants; `maxDepth`; `active=Y`),
 * get, create, update (a new `parentId` moves the subtree), delete.
 */
export function sectionRoutes(router: ModuleRouter, { kernel }: ModuleContext): void {
  const api = () => kernel.api('infoblocks').sections;

  router.get(BASE, requireUser, async (ctx) => {
    const iblockId = await iblockIdOf(kernel, ctx.state.principal, ctx.params.ref);
    const rawParent = queryString(ctx, 'parentId');
    const parentId = rawParent === undefined ? undefined : intParam(rawParent, 'parentId', 0, 0, MAX_ID);
    const maxDepth = intParam(queryString(ctx, 'maxDepth'), 'maxDepth', 0, 1, 1000);
    const subtree = queryString(ctx, 'subtree') === 'Y';
    const activeOnly = queryString(ctx, 'active') === 'Y';
    if (parentId) await sectionIn(kernel, ctx, iblockId, parentId);
    let items = await api().list(ctx.state.principal, iblockId, { parentId: parentId || undefined, activeOnly, maxDepth: maxDepth || undefined });
    if (parentId !== undefined && !subtree) items = items.filter((s) => s.parentId === (parentId || null));
    ctx.body = { result: items, total: items.length };
  });

  router.get(`${BASE}/:id`, requireUser, async (ctx) => {
    ctx.body = { result: await sectionOf(kernel, ctx) };
  });

  router.post(BASE, requireUser, async (ctx) => {
    const iblockId = await iblockIdOf(kernel, ctx.state.principal, ctx.params.ref);
    const section = await api().add(ctx.state.principal, iblockId, bodyObject(ctx) as unknown as SectionInput);
    ctx.status = 201;
    ctx.body = { result: section };
  });

  router.patch(`${BASE}/:id`, requireUser, async (ctx) => {
    const section = await sectionOf(kernel, ctx);
    ctx.body = { result: await api().update(ctx.state.principal, section.id, bodyObject(ctx) as Partial<SectionInput>) };
  });

  router.delete(`${BASE}/:id`, requireUser, async (ctx) => {
    const section = await sectionOf(kernel, ctx);
    await api().delete(ctx.state.principal, section.id);
    ctx.body = { result: true };
  });
}
