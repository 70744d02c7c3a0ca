import type { ParameterizedContext } from 'koa';
import type { ModuleContext, ModuleRouter } from '../../core/modules/types.js';
import type { PortalState } from '../../core/http/state.js';
import { coreErrors } from '../../core/errors/codes.js';
import { body, id } from './rest.js';
import type { Rank } from './profiles.js';

type Ctx = ParameterizedContext<PortalState>;
const BASE = '/api/v1/forum';

/** A positive whole number from a JSON body; a coded 400 otherwise. */
function idField(b: Record<string, unknown>, name: string): number {
  const v = Object.hasOwn(b, name) ? b[name] : undefined;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1) throw coreErrors.VALIDATION_FAILED(`"${name}" must be a positive whole number`);
  return v;
}

/**
 * REST for attachments (the list of a message; downloads are /forum/attachment/<id>/), forum profiles and ranks,
 * and moving, splitting and merging topics. Rights are checked by the API; errors are coded JSON.
 */
export function restContentRoutes(router: ModuleRouter, { kernel }: ModuleContext): void {
  const api = () => kernel.api('forum');
  const who = (ctx: Ctx) => ctx.state.principal;

  router.get(`${BASE}/messages/:id/attachments`, async (ctx) => {
    ctx.body = { result: await api().attachments.list(who(ctx), id(ctx.params.id, 'Message')) };
  });
  router.get(`${BASE}/users/:id/profile`, async (ctx) => {
    if (who(ctx)?.userId == null) throw coreErrors.ACCESS_DENIED('Sign in to see forum profiles');
    const userId = id(ctx.params.id, 'User');
    await kernel.users.get(userId);
    ctx.body = { result: await api().profiles.profile(userId, ctx.state.language) };
  });
  router.get(`${BASE}/ranks`, async (ctx) => {
    ctx.body = { result: await api().profiles.ranks() };
  });
  router.put(`${BASE}/ranks`, async (ctx) => {
    const ranks = body(ctx).ranks;
    if (!Array.isArray(ranks)) throw coreErrors.VALIDATION_FAILED('"ranks" must be a list of { minPoints, title: { en, ru } }');
    ctx.body = { result: await api().profiles.setRanks(who(ctx), ranks as Rank[]) };
  });
  router.post(`${BASE}/topics/:id/move`, async (ctx) => {
    ctx.body = { result: await api().moveTopic(who(ctx), id(ctx.params.id, 'Topic'), idField(body(ctx), 'forumId')) };
  });
  router.post(`${BASE}/topics/:id/split`, async (ctx) => {
    const b = body(ctx);
    const ids = Object.hasOwn(b, 'messageIds') ? b.messageIds : undefined;
    if (!Array.isArray(ids) || !ids.every((x) => typeof x === 'number' && Number.isSafeInteger(x) && x > 0)) {
      throw coreErrors.VALIDATION_FAILED('"messageIds" must be a list of message ids');
    }
    const title = Object.hasOwn(b, 'title') ? b.title : undefined;
    if (typeof title !== 'string') throw coreErrors.VALIDATION_FAILED('"title" must be a string');
    const forumId = Object.hasOwn(b, 'forumId') && b.forumId !== undefined ? idField(b, 'forumId') : undefined;
    const topic = await api().splitTopic(who(ctx), id(ctx.params.id, 'Topic'), { messageIds: ids as number[], title, forumId });
    ctx.status = 201;
    ctx.body = { result: topic };
  });
  router.post(`${BASE}/topics/:id/merge`, async (ctx) => {
    ctx.body = { result: await api().mergeTopic(who(ctx), id(ctx.params.id, 'Topic'), idField(body(ctx), 'targetTopicId')) };
  });
}
