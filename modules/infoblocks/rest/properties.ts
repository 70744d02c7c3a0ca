import type { ModuleContext, ModuleRouter } from '../../../core/modules/types.js';
import type { Kernel } from '../../../core/kernel.js';
import { ibErrors } from '../errors.js';
import type { Property, PropertyInput, PropertyPatch } from '../types.js';
import { bodyObject, iblockIdOf, requireUser, type RestCtx } from './params.js';

const BASE = '/api/v1/infoblocks/:ref/properties';

/** The property of the path (its code or numeric id) in the infoblock of the path. */
async function propertyOf(kernel: Kernel, ctx: RestCtx): Promise<{ iblockId: number; property: Property }> {
  const iblockId = await iblockIdOf(kernel, ctx.state.principal, ctx.params.ref);
  const ref = ctx.params.code ?? '';
  const list = await kernel.api('infoblocks').properties.list(ctx.state.principal, iblockId);
  const property = list.find((p) => p.code === ref) ?? (/^\d+$/.test(ref) ? list.find((p) => p.id === Number(ref)) : undefined);
  if (!property) throw ibErrors.PROPERTY_NOT_FOUND(`"${ref}" of infoblock ${iblockId}`);
  return { iblockId, property };
}

/** Properties of an infoblock: list and get (R), create, update and delete (X). Type, code and multiple are fixed. */
export function propertyRoutes(router: ModuleRouter, { kernel }: ModuleContext): void {
  const api = () => kernel.api('infoblocks').properties;

  router.get(BASE, requireUser, async (ctx) => {
    const iblockId = await iblockIdOf(kernel, ctx.state.principal, ctx.params.ref);
    const items = await api().list(ctx.state.principal, iblockId);
    ctx.body = { result: items, total: items.length };
  });

  router.get(`${BASE}/:code`, requireUser, async (ctx) => {
    ctx.body = { result: (await propertyOf(kernel, ctx)).property };
  });

  router.post(BASE, requireUser, async (ctx) => {
    const iblockId = await iblockIdOf(kernel, ctx.state.principal, ctx.params.ref);
    const property = await api().add(ctx.state.principal, iblockId, bodyObject(ctx) as unknown as PropertyInput);
    ctx.status = 201;
    ctx.body = { result: property };
  });

  router.patch(`${BASE}/:code`, requireUser, async (ctx) => {
    const { iblockId, property } = await propertyOf(kernel, ctx);
    ctx.body = { result: await api().update(ctx.state.principal, iblockId, property.id, bodyObject(ctx) as PropertyPatch) };
  });

  router.delete(`${BASE}/:code`, requireUser, async (ctx) => {
    const { iblockId, property } = await propertyOf(kernel, ctx);
    await api().delete(ctx.state.principal, iblockId, property.id);
    ctx.body = { result: true };
  });
}
