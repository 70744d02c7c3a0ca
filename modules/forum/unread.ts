import type { ModuleContext } from '../../core/modules/types.js';
import type { Principal } from '../../core/services.js';

/**
 * Unread marks: a topic is unread for a user when its last message id is above both their mark for the topic and
 * their watermark for the forum. Callers check the read right first; these only store and compare ids.
 */
export function createUnread(ctx: ModuleContext) {
  const { db } = ctx;

  async function watermark(userId: number, forumId: number): Promise<number> {
    const r = await db.write('forum_reads').where({ user_id: userId, forum_id: forumId }).first();
    return r ? Number(r.watermark) : 0;
  }

  return {
    /** The id up to which the user has read a topic (0: nothing). */
    async readUpTo(principal: Principal, forumId: number, topicId: number): Promise<number> {
      if (principal?.userId == null) return 0;
      const r = await db.write('topic_reads').where({ user_id: principal.userId, topic_id: topicId }).first();
      return Math.max(r ? Number(r.last_message_id) : 0, await watermark(principal.userId, forumId));
    },

    /** Marks read up to `messageId`; never moves a mark back. */
    async markTopic(principal: Principal, forumId: number, topicId: number, messageId: number): Promise<void> {
      if (principal?.userId == null || !messageId) return;
      const key = { user_id: principal.userId, topic_id: topicId };
      const changed = await db.write('topic_reads').where(key).where('last_message_id', '<', messageId).update({ last_message_id: messageId });
      if (changed) return;
      await db.write('topic_reads').insert({ ...key, forum_id: forumId, last_message_id: messageId }).onConflict(['user_id', 'topic_id']).ignore();
    },

    /** "Mark all read": one watermark row for the forum; the user's topic rows below it go. */
    async markForum(principal: Principal, forumId: number, upTo: number): Promise<void> {
      if (principal?.userId == null) return;
      await db.transaction(async (tx) => {
        await tx.table('forum_reads').insert({ user_id: principal.userId, forum_id: forumId, watermark: upTo }).onConflict(['user_id', 'forum_id']).merge(['watermark']);
        await tx.table('topic_reads').where({ user_id: principal.userId, forum_id: forumId }).where('last_message_id', '<=', upTo).delete();
      });
    },

    /** Which of these topics (id -> last message id) are unread for the user; two queries per page. */
    async unreadOf(principal: Principal, forumId: number, topics: { id: number; lastMessageId: number | null }[]): Promise<Set<number>> {
      const out = new Set<number>();
      if (principal?.userId == null || !topics.length) return out;
      const mark = await watermark(principal.userId, forumId);
      const rows = await db.write('topic_reads').where({ user_id: principal.userId }).whereIn('topic_id', topics.map((t) => t.id));
      const read = new Map<number, number>(rows.map((r: Record<string, unknown>) => [Number(r.topic_id), Number(r.last_message_id)] as [number, number]));
      for (const t of topics) if ((t.lastMessageId ?? 0) > Math.max(mark, read.get(t.id) ?? 0)) out.add(t.id);
      return out;
    },
  };
}

export type Unread = ReturnType<typeof createUnread>;
