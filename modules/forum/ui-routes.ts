import type { ParameterizedContext } from 'koa';
import type { ModuleContext, ModuleRouter } from '../../core/modules/types.js';
import type { PortalState } from '../../core/http/state.js';
import { coreErrors } from '../../core/errors/codes.js';
import { backOf, field, formAnswer, idOf } from './forms.js';
import { quoteOf } from './quote.js';

type Ctx = ParameterizedContext<PortalState>;

/** An optional id field of a form or JSON body: absent or empty is undefined, anything but a positive integer a 400. */
function optionalId(ctx: Ctx, name: string): number | undefined {
  const body = (ctx.request.body ?? {}) as Record<string, unknown>;
  const raw = Object.hasOwn(body, name) ? body[name] : undefined;
  if (raw === undefined || raw === null || raw === '') return undefined;
  const s = String(raw);
  if ((typeof raw !== 'string' && typeof raw !== 'number') || !/^[1-9]\d{0,15}$/.test(s)) throw coreErrors.VALIDATION_FAILED(`"${name}" must be a positive integer`);
  return Number(s);
}

/**
 * Routes of the subscriptions page and the forum-page subscribe button (plain form posts, post-redirect-get with a
 * flash, work without JS), and the BB-code preview the forms' script asks for (`POST /api/v1/forum/preview`, JSON,
 * CSRF header). The CSRF token was checked before any of these runs.
 */
export function uiRoutes(router: ModuleRouter, { kernel, t }: ModuleContext): void {
  const answer = formAnswer(kernel);

  router.post('/forum/post/forum-subscription/:id/', async (ctx) =>
    answer(ctx, async () => {
      const forumId = idOf(ctx.params.id);
      const on = field(ctx, 'subscribe') === '1';
      if (on) await kernel.api('forum').subscribe(ctx.state.principal, { forumId });
      else await kernel.api('forum').unsubscribe(ctx.state.principal, { forumId });
      return { to: backOf(ctx), text: t(on ? 'FORUM_FORUM_SUBSCRIBED' : 'FORUM_FORUM_UNSUBSCRIBED', ctx.state.language) };
    }),
  );

  router.post('/forum/post/unsubscribe/', async (ctx) =>
    answer(ctx, async () => {
      if (ctx.state.principal?.userId == null) throw coreErrors.ACCESS_DENIED('Sign in to manage subscriptions');
      const topicId = optionalId(ctx, 'topic');
      const forumId = optionalId(ctx, 'forum');
      if (topicId === undefined && forumId === undefined) throw coreErrors.VALIDATION_FAILED('Say which subscription to cancel');
      await kernel.api('forum').unsubscribe(ctx.state.principal, topicId !== undefined ? { topicId } : { forumId });
      return { to: backOf(ctx), text: t('FORUM_SUBSCRIPTION_CANCELLED', ctx.state.language) };
    }),
  );

  // The quote link's script: the message as a [quote] for the reply form, under the reader's rights.
  router.get('/api/v1/forum/messages/:id/quote', async (ctx) => {
    ctx.body = { result: { text: quoteOf(await kernel.api('forum').message(ctx.state.principal, idOf(ctx.params.id))) } };
  });

  router.post('/api/v1/forum/preview', async (ctx) => {
    const body = (ctx.request.body ?? {}) as Record<string, unknown>;
    const text = Object.hasOwn(body, 'body') ? body.body : undefined;
    if (typeof text !== 'string') throw coreErrors.VALIDATION_FAILED('"body" must be a string');
    const target = { topicId: optionalId(ctx, 'topicId'), forumId: optionalId(ctx, 'forumId') };
    ctx.body = { result: await kernel.api('forum').preview(ctx.state.principal, target, text) };
  });
}
