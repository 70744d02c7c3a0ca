import type { ModuleContext } from '../../core/modules/types.js';
import type { Principal } from '../../core/services.js';
import { coreErrors } from '../../core/errors/codes.js';
import type { ForumAccess } from './access.js';
import { forumErrors } from './errors.js';
import { atLeast } from './levels.js';
import { topicUrl } from './mentions.js';
import type { Message } from './types.js';

export interface Subscription {
  id: number;
  forumId: number;
  /** null: the whole forum. */
  topicId: number | null;
}

/**
 * Subscriptions and their mail. A new approved message marks the subscriptions it concerns as pending (one UPDATE,
 * only where nothing is pending yet); the agent `notify-subscribers` sends FORUM_NEW_POSTS once per pending
 * subscription, so a burst of replies makes one mail per reader, not one per post.
 */
export function createSubscriptions(ctx: ModuleContext, access: ForumAccess) {
  const { db, kernel } = ctx;

  async function topicForumOf(topicId: number): Promise<number> {
    const r = await db.read('topics').where({ id: topicId }).first('forum_id');
    if (!r) throw forumErrors.FORUM_TOPIC_NOT_FOUND(String(topicId));
    return Number(r.forum_id);
  }

  return {
    async subscribe(principal: Principal, target: { forumId?: number; topicId?: number }): Promise<Subscription> {
      if (principal?.userId == null) throw coreErrors.ACCESS_DENIED('Sign in to subscribe');
      const topicId = target.topicId ?? 0;
      const forumId = topicId ? await topicForumOf(topicId) : Number(target.forumId);
      if (!(await db.read('forums').where({ id: forumId }).first('id'))) throw forumErrors.FORUM_NOT_FOUND(String(forumId));
      await access.assert(principal, forumId, 'E');
      const key = { user_id: principal.userId, forum_id: forumId, topic_id: topicId };
      await db.write('subscriptions').insert({ ...key, created_at: Date.now() }).onConflict(['user_id', 'forum_id', 'topic_id']).ignore();
      const r = await db.write('subscriptions').where(key).first('id');
      return { id: Number(r.id), forumId, topicId: topicId || null };
    },

    async unsubscribe(principal: Principal, target: { forumId?: number; topicId?: number }): Promise<void> {
      if (principal?.userId == null) return;
      const q = db.write('subscriptions').where({ user_id: principal.userId });
      if (target.topicId) await q.where({ topic_id: target.topicId }).delete();
      else await q.where({ forum_id: Number(target.forumId), topic_id: 0 }).delete();
    },

    async list(principal: Principal): Promise<Subscription[]> {
      if (principal?.userId == null) return [];
      const rows = await db.read('subscriptions').where({ user_id: principal.userId }).orderBy('id');
      return rows.map((r: Record<string, unknown>) => ({ id: Number(r.id), forumId: Number(r.forum_id), topicId: Number(r.topic_id) || null }));
    },

    /** Called after an approved message is committed. */
    async markPending(m: Message): Promise<void> {
      await db
        .write('subscriptions')
        .whereNull('pending_message_id')
        .where((w) => {
          w.where({ topic_id: m.topicId }).orWhere({ forum_id: m.forumId, topic_id: 0 });
        })
        .where((w) => {
          if (m.authorId !== null) w.whereNot('user_id', m.authorId);
        })
        .update({ pending_message_id: m.id });
    },

    /** The agent: one mail per pending subscription (to readers who may still read the forum), then clears it. */
    async sendPending(limit = 500): Promise<number> {
      const rows = (await db.write('subscriptions').whereNotNull('pending_message_id').orderBy('id').limit(limit)) as Record<string, unknown>[];
      const site = (await kernel.sites.list())[0];
      let sent = 0;
      for (const r of rows) {
        const pending = Number(r.pending_message_id);
        const cleared = await db.write('subscriptions').where({ id: r.id, pending_message_id: pending }).update({ pending_message_id: null });
        if (!cleared) continue;
        const message = await db.write('messages').where({ id: pending }).first();
        const user = await kernel.users.find(Number(r.user_id));
        if (!message || !user?.active || !user.email) continue;
        if (!atLeast(await access.levelOf(await kernel.users.principalOf(user), Number(message.forum_id)), 'E')) continue;
        const topic = await db.write('topics').where({ id: message.topic_id }).first();
        if (!topic || topic.deleted_at != null) continue;
        const [{ n }] = (await db.write('messages').where({ topic_id: message.topic_id, approved: true }).whereNull('deleted_at').where('id', '>=', pending).count({ n: '*' })) as { n: unknown }[];
        await kernel.mail.send(
          'FORUM_NEW_POSTS',
          {
            EMAIL_TO: user.email,
            NAME: `${user.name} ${user.lastName}`.trim() || user.login,
            TOPIC: String(topic.title),
            COUNT: Number(n),
            AUTHOR: String(message.author_name),
            URL: `${topicUrl(Number(topic.id))}?unread=1#unread`,
            SITE_NAME: site?.name ?? '',
          },
          { siteId: site?.id ?? 's1', language: user.language ?? site?.language ?? 'en' },
        );
        sent++;
      }
      return sent;
    },
  };
}

export type Subscriptions = ReturnType<typeof createSubscriptions>;
