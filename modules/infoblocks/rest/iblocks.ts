import type { ModuleContext, ModuleRouter } from '../../../core/modules/types.js';
import type { IblockInput, IblockPatch } from '../types.js';
import { bodyObject, iblockIdOf, intParam, queryString, requireUser } from './params.js';

const BASE = '/api/v1/infoblocks';

/** Infoblocks: list, get by id or code, create, update, delete. */
export function iblockRoutes(router: ModuleRouter, { kernel }: ModuleContext): void {
  const api = () => kernel.api('infoblocks').iblocks;

  router.get(BASE, requireUser, async (ctx) => {
    const typeId = queryString(ctx, 'typeId');
    const siteId = queryString(ctx, 'siteId');
    const opts = { typeId: typeId === undefined || typeId === '' ? undefined : intParam(typeId, 'typeId', 0, 1, Number.MAX_SAFE_INTEGER), siteId };
    const items = await api().list(ctx.state.principal, opts);
    ctx.body = { result: items, total: items.length };
  });

  router.get(`${BASE}/:ref`, requireUser, async (ctx) => {
    const id = await iblockIdOf(kernel, ctx.state.principal, ctx.params.ref);
    ctx.body = { result: await api().get(ctx.state.principal, id) };
  });

  router.post(BASE, requireUser, async (ctx) => {
    const iblock = await api().add(ctx.state.principal, bodyObject(ctx) as unknown as IblockInput);
    ctx.status = 201;
    ctx.body = { result: iblock };
  });

  router.patch(`${BASE}/:ref`, requireUser, async (ctx) => {
    const id = await iblockIdOf(kernel, ctx.state.principal, ctx.params.ref);
    ctx.body = { result: await api().update(ctx.state.principal, id, bodyObject(ctx) as IblockPatch) };
  });

  router.delete(`${BASE}/:ref`, requireUser, async (ctx) => {
    const id = await iblockIdOf(kernel, ctx.state.principal, ctx.params.ref);
    await api().delete(ctx.state.principal, id);
    ctx.body = { result: true };
  });
}
