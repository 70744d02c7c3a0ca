import type { ModuleContext, ModuleRouter } from '../../../core/modules/types.js';
import type { Kernel } from '../../../core/kernel.js';
import { ibErrors } from '../errors.js';
import type { IblockType, IblockTypeInput } from '../types.js';
import { bodyObject, requireUser, type RestCtx } from './params.js';

const BASE = '/api/v1/infoblocks/types';

/** The type of the path: numeric id or code. */
async function typeOf(kernel: Kernel, ctx: RestCtx): Promise<IblockType> {
  const ref = ctx.params.type ?? '';
  const types = await kernel.api('infoblocks').iblocks.listTypes();
  const type = /^\d+$/.test(ref) ? types.find((t) => t.id === Number(ref)) : types.find((t) => t.code === ref);
  if (!type) throw ibErrors.IBLOCK_TYPE_NOT_FOUND(`"${ref}"`);
  return type;
}

/**
 * Infoblock types: list and get for every signed-in user; create, update, delete with `infoblocks.manage`.
 * Registered before the infoblock routes, so an infoblock with the code "types" is reached by its id.
 */
export function typeRoutes(router: ModuleRouter, { kernel }: ModuleContext): void {
  const api = () => kernel.api('infoblocks').iblocks;

  router.get(BASE, requireUser, async (ctx) => {
    const items = await api().listTypes();
    ctx.body = { result: items, total: items.length };
  });

  router.get(`${BASE}/:type`, requireUser, async (ctx) => {
    ctx.body = { result: await typeOf(kernel, ctx) };
  });

  router.post(BASE, requireUser, async (ctx) => {
    const type = await api().addType(ctx.state.principal, bodyObject(ctx) as unknown as IblockTypeInput);
    ctx.status = 201;
    ctx.body = { result: type };
  });

  router.patch(`${BASE}/:type`, requireUser, async (ctx) => {
    const type = await typeOf(kernel, ctx);
    ctx.body = { result: await api().updateType(ctx.state.principal, type.id, bodyObject(ctx) as Partial<IblockTypeInput>) };
  });

  router.delete(`${BASE}/:type`, requireUser, async (ctx) => {
    const type = await typeOf(kernel, ctx);
    await api().deleteType(ctx.state.principal, type.id);
    ctx.body = { result: true };
  });
}
