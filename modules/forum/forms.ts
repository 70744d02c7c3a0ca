import type { ParameterizedContext } from 'koa';
import type { ModuleContext, ModuleRouter } from '../../core/modules/types.js';
import type { PortalState } from '../../core/http/state.js';
import { isPortalError } from '../../core/errors/portal-error.js';
import { coreErrors } from '../../core/errors/codes.js';
import { redirectWithFlash } from '../../core/http/flash.js';
import { linkProblem } from '../../core/security/safe-link.js';
import { formUploads } from './upload-form.js';

type Ctx = ParameterizedContext<PortalState>;

export const field = (ctx: Ctx, name: string): string => {
  const body = (ctx.request.body ?? {}) as Record<string, unknown>;
  const v = Object.hasOwn(body, name) ? body[name] : undefined;
  return typeof v === 'string' ? v : '';
};

/** The page to go back to: a path on this site from the form, else /forum/. */
export function backOf(ctx: Ctx): string {
  const back = field(ctx, 'back');
  return back.startsWith('/') && linkProblem(back) === null ? back : '/forum/';
}

export function idOf(raw: string | undefined): number {
  if (!raw || !/^[1-9]\d{0,15}$/.test(raw)) throw coreErrors.NOT_FOUND(`"${raw ?? ''}"`);
  return Number(raw);
}

/**
 * Post-redirect-get for a forum form: `run` says where to go and what to flash; a 4xx input error goes back to the
 * form's page as an error flash, 401/403 and anything else to the error page.
 */
export function formAnswer(kernel: ModuleContext['kernel']) {
  return async (ctx: Ctx, run: () => Promise<{ to: string; text: string }>): Promise<void> => {
    try {
      const { to, text } = await run();
      await redirectWithFlash(ctx, kernel, to, text);
    } catch (err) {
      if (!isPortalError(err) || err.status < 400 || err.status >= 500 || err.status === 401 || err.status === 403) throw err;
      // Read after run(): a multipart form's fields (with "back") are parsed there.
      await redirectWithFlash(ctx, kernel, backOf(ctx), { kind: 'error', text: err.message });
    }
  };
}

/**
 * The reply and new-topic forms of the forum components, for browsers without JS: post-redirect-get with a flash.
 * The CSRF token was checked before the route runs; 4xx input errors go back to the form as a flash, 401/403 to
 * the error page.
 */
export function formRoutes(router: ModuleRouter, { kernel, t }: ModuleContext): void {
  const answer = formAnswer(kernel);

  router.post('/forum/post/reply/:id/', async (ctx) =>
    answer(ctx, async () => {
      const api = kernel.api('forum');
      const files = await formUploads(ctx, kernel);
      const m = await api.reply(ctx.state.principal, { topicId: idOf(ctx.params.id), body: field(ctx, 'body'), files });
      const { total, pageSize } = await api.messages(ctx.state.principal, m.topicId, { pageSize: perPage(ctx.query.per_page) });
      const last = Math.max(1, Math.ceil(total / pageSize));
      const back = backOf(ctx);
      return { to: `${back}${last > 1 ? `?page=${last}` : ''}#message-${m.id}`, text: t(m.approved ? 'FORUM_REPLY_SENT' : 'FORUM_REPLY_PENDING', ctx.state.language) };
    }),
  );

  router.post('/forum/post/subscription/:id/', async (ctx) =>
    answer(ctx, async () => {
      const topicId = idOf(ctx.params.id);
      const on = field(ctx, 'subscribe') === '1';
      if (on) await kernel.api('forum').subscribe(ctx.state.principal, { topicId });
      else await kernel.api('forum').unsubscribe(ctx.state.principal, { topicId });
      return { to: backOf(ctx), text: t(on ? 'FORUM_SUBSCRIBED' : 'FORUM_UNSUBSCRIBED', ctx.state.language) };
    }),
  );

  router.post('/forum/post/read/:id/', async (ctx) =>
    answer(ctx, async () => {
      const forumId = idOf(ctx.params.id);
      await kernel.api('forum').markForumRead(ctx.state.principal, forumId);
      return { to: `/forum/${forumId}/`, text: t('FORUM_MARKED_READ', ctx.state.language) };
    }),
  );

  router.post('/forum/post/topic/:id/', async (ctx) =>
    answer(ctx, async () => {
      const files = await formUploads(ctx, kernel);
      const { topic, message } = await kernel
        .api('forum')
        .createTopic(ctx.state.principal, { forumId: idOf(ctx.params.id), title: field(ctx, 'title'), body: field(ctx, 'body'), files });
      const base = backOf(ctx).replace(/[^/]+\/new\/$/, '');
      return { to: `${base}topic/${topic.id}/`, text: t(message.approved ? 'FORUM_TOPIC_SENT' : 'FORUM_TOPIC_PENDING', ctx.state.language) };
    }),
  );
}

/** The topic page's size from the reply form's URL, 20 when absent or out of range. */
function perPage(value: unknown): number {
  const n = Number(typeof value === 'string' ? value : '');
  return Number.isInteger(n) && n >= 1 && n <= 100 ? n : 20;
}
