import type { Next } from 'koa';
import type { ModuleRouter } from '../../../core/modules/types.js';
import { denyAccess } from '../../../core/http/guards.js';
import { done, list, pageNumber, pager, query, str } from '../../../core/http/admin-forms.js';
import type { ModeratedForum } from '../moderation-api.js';
import { BASE, type Ctx, type ForumKit } from './kit.js';

const PATH = `${BASE}moderation/`;
const PAGE_SIZE = 50;
/** Where the forum's pages are (the page the module declares); the queue links each message to its topic there. */
const TOPIC_URL = '/forum/topic/';

/**
 * /admin/forum/moderation/: pending messages of the forums the signed-in user moderates (Q and above), approved or
 * deleted one at a time or by checkbox. Open to every moderator, also without the rest of the admin area; someone who
 * moderates nothing gets 403, unless they may open the admin area (then the queue says they moderate no forum).
 */
export function moderationRoutes(router: ModuleRouter, kit: ForumKit): void {
  const moderators = async (ctx: Ctx, next: Next): Promise<void> => {
    if (!ctx.state.user) await denyAccess(kit.kernel, ctx, 'Sign in first', { operation: 'main.admin.view' });
    const forums = await kit.api().moderation.moderatedForums(ctx.state.principal);
    if (!forums.length && !(await kit.can(ctx, 'main.admin.view'))) await denyAccess(kit.kernel, ctx, 'You moderate no forum', { moderates: 0 });
    await next();
  };

  router.get(PATH, moderators, (ctx) => renderQueue(kit, ctx));

  router.post(PATH, moderators, async (ctx) => {
    const body = ctx.request.body;
    // One row's button (approve=<id> / delete=<id>) or the bulk buttons (action=approve|delete) with the ticked ids.
    const one = str(body, 'approve') || str(body, 'delete');
    const action = str(body, 'approve') ? 'approve' : str(body, 'delete') ? 'delete' : str(body, 'action');
    const ids = (one ? [one] : list(body, 'ids')).filter((v) => /^[1-9]\d{0,15}$/.test(v)).map(Number);
    const back = backOf(str(body, 'forum'));
    try {
      if (action === 'approve') await kit.api().moderation.approveMany(ctx.state.principal, ids);
      else if (action === 'delete') await kit.api().moderation.deleteMany(ctx.state.principal, ids);
      else return renderQueue(kit, ctx, kit.t(ctx, 'FORUMA_PICK_ACTION'), 400);
    } catch (err) {
      const e = kit.formError(ctx, err);
      return renderQueue(kit, ctx, e.message, e.status);
    }
    done(ctx, back, action === 'approve' ? 'approved' : 'removed');
  });
}

function backOf(forum: string): string {
  return /^[1-9]\d{0,9}$/.test(forum) ? `${PATH}?forum=${forum}` : PATH;
}

async function renderQueue(kit: ForumKit, ctx: Ctx, error: string | null = null, status = 200): Promise<void> {
  const forums: ModeratedForum[] = await kit.api().moderation.moderatedForums(ctx.state.principal);
  const raw = query(ctx, 'forum') || str(ctx.request.body, 'forum');
  const forumId = forums.some((f) => String(f.id) === raw) ? Number(raw) : undefined;
  const page = pageNumber(ctx);
  const res = await kit.api().moderation.queue(ctx.state.principal, { forumId, page, pageSize: PAGE_SIZE });
  const items = [];
  for (const m of res.items) {
    const pageOf = await kit.api().pageOf(ctx.state.principal, m.topicId, m.id, 20);
    items.push({ ...m, href: `${TOPIC_URL}${m.topicId}/${pageOf > 1 ? `?page=${pageOf}` : ''}#message-${m.id}` });
  }
  await kit.render(ctx, 'moderation', kit.t(ctx, 'FORUMA_MODERATION'), { forums, forumId: forumId ?? null, items, total: res.total, pager: pager(ctx, res.total, PAGE_SIZE, page), error }, status);
}
