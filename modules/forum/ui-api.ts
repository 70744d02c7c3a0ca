import type { ModuleContext } from '../../core/modules/types.js';
import type { Principal } from '../../core/services.js';
import { coreErrors } from '../../core/errors/codes.js';
import type { ForumAccess } from './access.js';
import { renderBbCode } from './bbcode.js';
import { forumErrors } from './errors.js';
import type { Guards } from './guards.js';
import { atLeast } from './levels.js';
import { MAX_BODY } from './posting-api.js';
import type { Subscriptions } from './subscriptions.js';

export interface SubscriptionView {
  forumId: number;
  forumName: string;
  /** null: the whole forum. */
  topicId: number | null;
  topicTitle: string | null;
}

/** What the forum pages need besides reading and posting: the BB-code preview and the subscriptions list. */
export function createUiApi(ctx: ModuleContext, access: ForumAccess, subs: Subscriptions, guards: Guards) {
  const { db } = ctx;

  async function forumOfTopic(topicId: number): Promise<number> {
    const r = await db.read('topics').where({ id: topicId }).whereNull('deleted_at').first('forum_id');
    if (!r) throw forumErrors.FORUM_TOPIC_NOT_FOUND(String(topicId));
    return Number(r.forum_id);
  }

  return {
    /**
     * The HTML a post would get, rendered by the same renderer, sanitizer and bad-words filter as posting, and
     * nothing written. A reply preview needs reply level (I) in the topic's forum; a new-topic preview M.
     */
    async preview(principal: Principal, target: { topicId?: number; forumId?: number }, body: string): Promise<{ html: string }> {
      if (principal?.userId == null) throw coreErrors.ACCESS_DENIED('Sign in to post');
      if (body.length > MAX_BODY) throw forumErrors.FORUM_BODY_TOO_LONG(String(MAX_BODY));
      if (target.topicId) await access.assert(principal, await forumOfTopic(target.topicId), 'I');
      else if (target.forumId) {
        if (!(await db.read('forums').where({ id: target.forumId }).first('id'))) throw forumErrors.FORUM_NOT_FOUND(String(target.forumId));
        await access.assert(principal, target.forumId, 'M');
      } else throw coreErrors.VALIDATION_FAILED('Give the topic or the forum the text is for');
      return { html: renderBbCode(await guards.filterWords(body)).html };
    },

    /** The principal's subscriptions with forum names and topic titles, only those they may still read. */
    async subscriptionViews(principal: Principal): Promise<SubscriptionView[]> {
      const list = await subs.list(principal);
      if (!list.length) return [];
      const forums = new Map<number, string>();
      for (const r of await db.read('forums').whereIn('id', [...new Set(list.map((s) => s.forumId))]).select('id', 'name')) forums.set(Number(r.id), String(r.name));
      const topicIds = list.map((s) => s.topicId).filter((id): id is number => id !== null);
      const topics = new Map<number, string>();
      if (topicIds.length) for (const r of await db.read('topics').whereIn('id', topicIds).whereNull('deleted_at').select('id', 'title')) topics.set(Number(r.id), String(r.title));
      const out: SubscriptionView[] = [];
      for (const s of list) {
        const forumName = forums.get(s.forumId);
        if (forumName === undefined || !atLeast(await access.levelOf(principal, s.forumId), 'E')) continue;
        if (s.topicId !== null && !topics.has(s.topicId)) continue;
        out.push({ forumId: s.forumId, forumName, topicId: s.topicId, topicTitle: s.topicId === null ? null : topics.get(s.topicId)! });
      }
      return out;
    },
  };
}
