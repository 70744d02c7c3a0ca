import type { ParameterizedContext } from 'koa';
import type { ModuleContext, ModuleRouter } from '../../core/modules/types.js';
import type { PortalState } from '../../core/http/state.js';
import { isPortalError } from '../../core/errors/portal-error.js';
import { coreErrors } from '../../core/errors/codes.js';
import { redirectWithFlash } from '../../core/http/flash.js';

type Ctx = ParameterizedContext<PortalState>;

const values = (ctx: Ctx, name: string): string[] => {
  const body = (ctx.request.body ?? {}) as Record<string, unknown>;
  const v = Object.hasOwn(body, name) ? body[name] : undefined;
  return (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string');
};
const field = (ctx: Ctx, name: string): string => values(ctx, name)[0] ?? '';

const idOf = (raw: string | undefined): number => {
  if (!raw || !/^[1-9]\d{0,15}$/.test(raw)) throw coreErrors.NOT_FOUND(`"${raw ?? ''}"`);
  return Number(raw);
};

/** A number typed into a form: a 400 with a readable message when it is not one (never a 500). */
const numberOf = (raw: string, what: string): number => {
  const n = Number(raw.trim());
  if (!/^\s*[1-9]\d{0,15}\s*$/.test(raw)) throw coreErrors.VALIDATION_FAILED(`${what} must be a number`);
  return n;
};

/**
 * The moderator controls of the topic page, for browsers without JS: move, split and merge topics (POST forms, the
 * CSRF token checked before the route runs). Input errors go back to the topic as a flash; 403 to the error page.
 */
export function moderationForms(router: ModuleRouter, { kernel, t }: ModuleContext): void {
  const topicHref = (id: number) => `/forum/topic/${id}/`;

  async function answer(ctx: Ctx, back: string, run: () => Promise<{ to: string; key: string }>): Promise<void> {
    try {
      const { to, key } = await run();
      await redirectWithFlash(ctx, kernel, to, t(key, ctx.state.language));
    } catch (err) {
      if (!isPortalError(err) || err.status < 400 || err.status >= 500 || err.status === 401 || err.status === 403) throw err;
      await redirectWithFlash(ctx, kernel, back, { kind: 'error', text: err.message });
    }
  }

  router.post('/forum/post/move/:id/', async (ctx) => {
    const id = idOf(ctx.params.id);
    await answer(ctx, topicHref(id), async () => {
      const topic = await kernel.api('forum').moveTopic(ctx.state.principal, id, numberOf(field(ctx, 'forum'), 'The forum'));
      return { to: topicHref(topic.id), key: 'FORUM_TOPIC_MOVED' };
    });
  });

  router.post('/forum/post/split/:id/', async (ctx) => {
    const id = idOf(ctx.params.id);
    await answer(ctx, topicHref(id), async () => {
      const messageIds = values(ctx, 'messages').map((v) => numberOf(v, 'A message'));
      const topic = await kernel.api('forum').splitTopic(ctx.state.principal, id, { messageIds, title: field(ctx, 'title') });
      return { to: topicHref(topic.id), key: 'FORUM_TOPIC_SPLIT' };
    });
  });

  router.post('/forum/post/merge/:id/', async (ctx) => {
    const id = idOf(ctx.params.id);
    await answer(ctx, topicHref(id), async () => {
      const topic = await kernel.api('forum').mergeTopic(ctx.state.principal, id, numberOf(field(ctx, 'target'), 'The topic number'));
      return { to: topicHref(topic.id), key: 'FORUM_TOPIC_MERGED' };
    });
  });
}
