import type { ParameterizedContext } from 'koa';
import type { ModuleContext, ModuleRouter } from '../../core/modules/types.js';
import type { PortalState } from '../../core/http/state.js';
import { coreErrors } from '../../core/errors/codes.js';

type Ctx = ParameterizedContext<PortalState>;
const BASE = '/api/v1/forum';

export function id(raw: string | undefined, what: string): number {
  if (!raw || !/^[1-9]\d{0,15}$/.test(raw)) throw coreErrors.NOT_FOUND(`${what} "${raw ?? ''}"`);
  return Number(raw);
}

function page(ctx: Ctx): { page: number; pageSize: number } {
  const int = (name: string, fallback: number, max: number): number => {
    const raw = ctx.query[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(Array.isArray(raw) ? raw[0] : raw);
    if (!Number.isInteger(n) || n < 1 || n > max) throw coreErrors.VALIDATION_FAILED(`Parameter "${name}" must be an integer from 1 to ${max}`);
    return n;
  };
  return { page: int('page', 1, 100000), pageSize: int('limit', 20, 100) };
}

export function body(ctx: Ctx): Record<string, unknown> {
  const b = ctx.request.body as unknown;
  if (b === undefined || b === null) return {};
  if (typeof b !== 'object' || Array.isArray(b)) throw coreErrors.VALIDATION_FAILED('The request body must be a JSON object');
  return b as Record<string, unknown>;
}

function text(b: Record<string, unknown>, name: string): string {
  const v = Object.hasOwn(b, name) ? b[name] : undefined;
  if (v !== undefined && typeof v !== 'string') throw coreErrors.VALIDATION_FAILED(`"${name}" must be a string`);
  return v ?? '';
}

function flag(b: Record<string, unknown>, name: string): boolean | undefined {
  const v = Object.hasOwn(b, name) ? b[name] : undefined;
  if (v !== undefined && typeof v !== 'boolean') throw coreErrors.VALIDATION_FAILED(`"${name}" must be true or false`);
  return v;
}

/**
 * REST for forums, topics and messages. Rights are checked by the API on every call; state changes need the
 * CSRF header or a bearer token (the kernel's middleware); errors are coded JSON.
 */
export function restRoutes(router: ModuleRouter, { kernel }: ModuleContext): void {
  const api = () => kernel.api('forum');
  const who = (ctx: Ctx) => ctx.state.principal;

  router.get(`${BASE}/forums`, async (ctx) => {
    ctx.body = { result: await api().forums.list(who(ctx), ctx.state.site?.id) };
  });
  router.get(`${BASE}/forums/:id`, async (ctx) => {
    ctx.body = { result: await api().forums.get(who(ctx), id(ctx.params.id, 'Forum')) };
  });
  router.get(`${BASE}/forums/:id/topics`, async (ctx) => {
    ctx.body = await api().topics(who(ctx), id(ctx.params.id, 'Forum'), page(ctx)).then(({ items, ...rest }) => ({ result: items, ...rest }));
  });
  router.post(`${BASE}/forums/:id/topics`, async (ctx) => {
    const b = body(ctx);
    const created = await api().createTopic(who(ctx), { forumId: id(ctx.params.id, 'Forum'), title: text(b, 'title'), body: text(b, 'body') });
    ctx.status = 201;
    ctx.body = { result: created };
  });
  router.post(`${BASE}/forums/:id/read`, async (ctx) => {
    await api().markForumRead(who(ctx), id(ctx.params.id, 'Forum'));
    ctx.body = { result: true };
  });
  router.post(`${BASE}/topics/:id/read`, async (ctx) => {
    await api().markTopicRead(who(ctx), id(ctx.params.id, 'Topic'));
    ctx.body = { result: true };
  });
  router.get(`${BASE}/topics/:id`, async (ctx) => {
    ctx.body = { result: await api().topic(who(ctx), id(ctx.params.id, 'Topic')) };
  });
  router.patch(`${BASE}/topics/:id`, async (ctx) => {
    const b = body(ctx);
    ctx.body = { result: await api().setTopicFlags(who(ctx), id(ctx.params.id, 'Topic'), { closed: flag(b, 'closed'), pinned: flag(b, 'pinned') }) };
  });
  router.get(`${BASE}/topics/:id/messages`, async (ctx) => {
    ctx.body = await api().messages(who(ctx), id(ctx.params.id, 'Topic'), page(ctx)).then(({ items, ...rest }) => ({ result: items, ...rest }));
  });
  router.post(`${BASE}/topics/:id/messages`, async (ctx) => {
    const message = await api().reply(who(ctx), { topicId: id(ctx.params.id, 'Topic'), body: text(body(ctx), 'body') });
    ctx.status = 201;
    ctx.body = { result: message };
  });
  router.get(`${BASE}/messages/:id`, async (ctx) => {
    ctx.body = { result: await api().message(who(ctx), id(ctx.params.id, 'Message')) };
  });
  router.patch(`${BASE}/messages/:id`, async (ctx) => {
    ctx.body = { result: await api().editMessage(who(ctx), id(ctx.params.id, 'Message'), text(body(ctx), 'body')) };
  });
  router.delete(`${BASE}/messages/:id`, async (ctx) => {
    ctx.body = { result: await api().deleteMessage(who(ctx), id(ctx.params.id, 'Message')) };
  });
  router.post(`${BASE}/messages/:id/restore`, async (ctx) => {
    ctx.body = { result: await api().restoreMessage(who(ctx), id(ctx.params.id, 'Message')) };
  });
  router.post(`${BASE}/messages/:id/approve`, async (ctx) => {
    ctx.body = { result: await api().approveMessage(who(ctx), id(ctx.params.id, 'Message')) };
  });
  router.get(`${BASE}/search`, async (ctx) => {
    const q = ctx.query.q;
    ctx.body = { result: await api().search(who(ctx), typeof q === 'string' ? q : '', { limit: page(ctx).pageSize, siteId: ctx.state.site?.id }) };
  });
  router.get(`${BASE}/subscriptions`, async (ctx) => {
    ctx.body = { result: await api().subscriptions(who(ctx)) };
  });
  router.post(`${BASE}/forums/:id/subscription`, async (ctx) => {
    ctx.body = { result: await api().subscribe(who(ctx), { forumId: id(ctx.params.id, 'Forum') }) };
  });
  router.delete(`${BASE}/forums/:id/subscription`, async (ctx) => {
    await api().unsubscribe(who(ctx), { forumId: id(ctx.params.id, 'Forum') });
    ctx.body = { result: true };
  });
  router.post(`${BASE}/topics/:id/subscription`, async (ctx) => {
    ctx.body = { result: await api().subscribe(who(ctx), { topicId: id(ctx.params.id, 'Topic') }) };
  });
  router.delete(`${BASE}/topics/:id/subscription`, async (ctx) => {
    await api().unsubscribe(who(ctx), { topicId: id(ctx.params.id, 'Topic') });
    ctx.body = { result: true };
  });
  router.get(`${BASE}/moderation`, async (ctx) => {
    ctx.body = { result: await api().moderationQueue(who(ctx)) };
  });
}
