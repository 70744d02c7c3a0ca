import type { ModuleContext, ModuleRouter } from '../../../core/modules/types.js';
import type { Kernel } from '../../../core/kernel.js';
import { coreErrors } from '../../../core/errors/codes.js';
import type { MatchBy } from '../bulk/match.js';
import { ibErrors } from '../errors.js';
import { filesOf } from './files.js';
import type { Element, ElementInput, ElementPatch, Filter, ListQuery } from '../types.js';
import { bodyObject, iblockIdOf, idParam, intParam, jsonParam, queryString, requireUser, type RestCtx } from './params.js';

const BASE = '/api/v1/infoblocks/:ref/elements';
export const MAX_LIMIT = 500;
/** Items per POST .../elements/batch (the JSON body is limited to 1 MB as well). */
export const MAX_BATCH_ITEMS = 1000;
const DEFAULT_LIMIT = 50;

/** `order` as a JSON object or "FIELD:DIR,FIELD"; `select` as a JSON array or "A,B". */
function orderOf(raw: unknown): Record<string, string> | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  if (typeof raw !== 'string') return raw as Record<string, string>;
  if (raw.trimStart().startsWith('{')) return jsonParam(raw, 'order') as Record<string, string>;
  // Null prototype: a field named "__proto__" stays a field (and is refused as unknown) instead of vanishing.
  const out: Record<string, string> = Object.create(null);
  for (const part of raw.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [field, dir] = part.split(':');
    out[field!.trim()] = (dir ?? 'ASC').trim();
  }
  return out;
}

function selectOf(raw: unknown): string[] | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  if (typeof raw !== 'string') return raw as string[];
  if (raw.trimStart().startsWith('[')) return jsonParam(raw, 'select') as string[];
  return raw.split(',').map((p) => p.trim()).filter(Boolean);
}

function filterOf(raw: unknown): Filter | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  const value = typeof raw === 'string' ? jsonParam(raw, 'filter') : raw;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw coreErrors.VALIDATION_FAILED('Parameter "filter" must be a JSON object');
  return value as Filter;
}

/** One page in the Bitrix shape: { result, total, page, limit, next, files } (next: the next page number or null; files: filesOf). */
async function listPage(kernel: Kernel, ctx: RestCtx, params: Record<string, unknown>): Promise<void> {
  const iblockId = await iblockIdOf(kernel, ctx.state.principal, ctx.params.ref);
  const limit = intParam(params.limit, 'limit', DEFAULT_LIMIT, 1, MAX_LIMIT);
  const page = intParam(params.page, 'page', 1, 1, 1_000_000);
  const query: ListQuery = { filter: filterOf(params.filter), order: orderOf(params.order), select: selectOf(params.select), page, pageSize: limit };
  const res = await kernel.api('infoblocks').elements.list(ctx.state.principal, iblockId, query);
  const files = await filesOf(kernel, ctx.state.principal, iblockId, res.items);
  ctx.body = { result: res.items, total: res.total, page, limit, next: page * limit < res.total ? page + 1 : null, files };
}

async function elementOf(kernel: Kernel, ctx: RestCtx): Promise<Element> {
  const iblockId = await iblockIdOf(kernel, ctx.state.principal, ctx.params.ref);
  const id = idParam(ctx.params.id, 'Element');
  const element = await kernel.api('infoblocks').elements.get(ctx.state.principal, id);
  if (element.iblockId !== iblockId) throw ibErrors.ELEMENT_NOT_FOUND(String(id));
  return element;
}

/** Elements: list with the filter grammar (query string or POST .../elements/list), get, create, update, delete. */
export function elementRoutes(router: ModuleRouter, { kernel }: ModuleContext): void {
  const api = () => kernel.api('infoblocks').elements;

  router.get(BASE, requireUser, async (ctx) => {
    const q = (name: string) => queryString(ctx, name);
    await listPage(kernel, ctx, { filter: q('filter'), order: q('order'), select: q('select'), page: q('page'), limit: q('limit') });
  });

  router.post(`${BASE}/list`, requireUser, async (ctx) => {
    await listPage(kernel, ctx, bodyObject(ctx));
  });

  router.post(`${BASE}/batch`, requireUser, async (ctx) => {
    const iblockId = await iblockIdOf(kernel, ctx.state.principal, ctx.params.ref);
    const body = bodyObject(ctx);
    const items = body.items;
    if (!Array.isArray(items) || items.length < 1 || items.length > MAX_BATCH_ITEMS) throw coreErrors.VALIDATION_FAILED(`"items" must be a list of 1 to ${MAX_BATCH_ITEMS} elements`);
    if (body.dryRun !== undefined && typeof body.dryRun !== 'boolean') throw coreErrors.VALIDATION_FAILED('"dryRun" must be true or false');
    const opts = { matchBy: body.matchBy as MatchBy | undefined, dryRun: body.dryRun === true };
    ctx.body = { result: await api().importBatch(ctx.state.principal, iblockId, items as ElementInput[], opts) };
  });

  router.get(`${BASE}/:id`, requireUser, async (ctx) => {
    const element = await elementOf(kernel, ctx);
    ctx.body = { result: element, files: await filesOf(kernel, ctx.state.principal, element.iblockId, [element]) };
  });

  router.post(BASE, requireUser, async (ctx) => {
    const iblockId = await iblockIdOf(kernel, ctx.state.principal, ctx.params.ref);
    const element = await api().add(ctx.state.principal, iblockId, bodyObject(ctx) as unknown as ElementInput);
    ctx.status = 201;
    ctx.body = { result: element };
  });

  router.patch(`${BASE}/:id`, requireUser, async (ctx) => {
    const element = await elementOf(kernel, ctx);
    ctx.body = { result: await api().update(ctx.state.principal, element.id, bodyObject(ctx) as ElementPatch) };
  });

  router.delete(`${BASE}/:id`, requireUser, async (ctx) => {
    const element = await elementOf(kernel, ctx);
    await api().delete(ctx.state.principal, element.id);
    ctx.body = { result: true };
  });
}
