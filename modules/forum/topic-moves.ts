import type { ModuleContext } from '../../core/modules/types.js';
import type { ModuleTx } from '../../core/db/module-db.js';
import type { Principal } from '../../core/services.js';
import { moveErrors } from './move-errors.js';
import type { ForumAccess } from './access.js';
import { forumErrors } from './errors.js';
import { FORUMS_TAG } from './forums-api.js';
import { MAX_TITLE } from './posting-api.js';
import { POINTS, type Profiles } from './profiles.js';
import { toTopic } from './rows.js';
import type { Search } from './search.js';
import type { Topic } from './types.js';

/**
 * Moderation of whole topics: move to another forum, split messages off into a new topic, merge one topic into
 * another. Each needs Q (moderate) in the source and the target forum, runs in one transaction and recounts the
 * topics and forums it touched from their messages (MariaDB locks the topic rows, then the forum rows, in that
 * order like posting does, so a reply at the same moment is counted either before or after, never lost).
 */
export function createTopicMoves(ctx: ModuleContext, access: ForumAccess, profiles: Profiles, search: Search) {
  const { db, cache, events } = ctx;
  const sqlite = db.dialect === 'sqlite';

  async function liveTopic(id: unknown): Promise<Topic> {
    const n = Number(id);
    const r = Number.isSafeInteger(n) && n > 0 ? await db.write('topics').where({ id: n }).first() : undefined;
    if (!r || r.deleted_at != null) throw forumErrors.FORUM_TOPIC_NOT_FOUND(String(id));
    return toTopic(r);
  }

  async function forumExists(id: unknown): Promise<number> {
    const n = Number(id);
    if (!Number.isSafeInteger(n) || n <= 0 || !(await db.write('forums').where({ id: n }).first('id'))) throw forumErrors.FORUM_NOT_FOUND(String(id));
    return n;
  }

  async function lock(tx: ModuleTx, topicIds: number[], forumIds: number[]): Promise<void> {
    if (sqlite) return;
    for (const id of [...new Set(topicIds)].sort((a, b) => a - b)) await tx.table('topics').where({ id }).forUpdate().first('id');
    for (const id of [...new Set(forumIds)].sort((a, b) => a - b)) await tx.table('forums').where({ id }).forUpdate().first('id');
  }

  const visibleMessages = (tx: ModuleTx) => tx.table('messages').where({ approved: true }).whereNull('deleted_at');

  /** A topic's reply count and last post from its messages. */
  async function recountTopic(tx: ModuleTx, topicId: number): Promise<void> {
    const [{ n }] = (await visibleMessages(tx).where({ topic_id: topicId, is_first: false }).count({ n: '*' })) as { n: unknown }[];
    const last = (await visibleMessages(tx).where({ topic_id: topicId }).orderBy('id', 'desc').first()) ?? (await tx.table('messages').where({ topic_id: topicId }).orderBy('id', 'desc').first());
    await tx.table('topics').where({ id: topicId }).update({
      reply_count: Number(n),
      ...(last ? { last_message_id: last.id, last_author_id: last.author_id, last_author_name: last.author_name, last_message_at: last.created_at } : {}),
    });
  }

  /** A forum's topic and message counts and last post, from its topics and messages. */
  async function recountForum(tx: ModuleTx, forumId: number): Promise<void> {
    const t = db.table('topics');
    const m = db.table('messages');
    const [{ n: topics }] = (await tx.table('topics').where({ forum_id: forumId, approved: true }).whereNull('deleted_at').count({ n: '*' })) as { n: unknown }[];
    const [{ n: messages }] = (await visibleMessages(tx).where({ forum_id: forumId }).count({ n: '*' })) as { n: unknown }[];
    const last = await tx
      .table('messages')
      .join(t, `${t}.id`, `${m}.topic_id`)
      .where({ [`${m}.forum_id`]: forumId, [`${m}.approved`]: true, [`${t}.approved`]: true })
      .whereNull(`${m}.deleted_at`)
      .whereNull(`${t}.deleted_at`)
      .orderBy(`${m}.id`, 'desc')
      .first(`${m}.id`, `${m}.topic_id`, `${m}.created_at`);
    await tx.table('forums').where({ id: forumId }).update({
      topic_count: Number(topics),
      message_count: Number(messages),
      last_topic_id: last?.topic_id ?? null,
      last_message_id: last?.id ?? null,
      last_message_at: last?.created_at ?? null,
    });
  }

  /** A visible message that stops (or starts) being its topic's first one moves its author's points by the difference. */
  async function repoint(tx: ModuleTx, messageId: number, becomesFirst: boolean): Promise<void> {
    const r = await visibleMessages(tx).where({ id: messageId }).first('author_id');
    if (!r || r.author_id == null) return;
    await profiles.add(tx, Number(r.author_id), 0, becomesFirst ? POINTS.topic - POINTS.reply : POINTS.reply - POINTS.topic);
  }

  /** Points the topic's messages, its unread marks and its subscriptions at the forum. */
  async function carry(tx: ModuleTx, topicId: number, forumId: number): Promise<void> {
    await tx.table('messages').where({ topic_id: topicId }).update({ forum_id: forumId });
    await tx.table('topic_reads').where({ topic_id: topicId }).update({ forum_id: forumId });
    await tx.table('subscriptions').where({ topic_id: topicId }).update({ forum_id: forumId });
  }

  async function finish(topicIds: number[], forumIds: number[]): Promise<void> {
    await cache.invalidateTags(FORUMS_TAG, ...[...new Set(forumIds)].map((id) => `forum:topics:${id}`));
    for (const id of topicIds) {
      const r = await db.write('topics').where({ id }).first();
      if (r) await events.emitAfter('forum.topic.updated', toTopic(r));
    }
  }

  async function reread(id: number): Promise<Topic> {
    return toTopic((await db.write('topics').where({ id }).first())!);
  }

  return {
    /** Moves a topic with all its messages to another forum; both forums' counters and last posts follow. */
    async moveTopic(principal: Principal, topicId: number, forumId: number): Promise<Topic> {
      const topic = await liveTopic(topicId);
      const target = await forumExists(forumId);
      await access.assert(principal, topic.forumId, 'Q');
      await access.assert(principal, target, 'Q');
      if (target === topic.forumId) throw moveErrors.FORUM_MOVE_SAME_FORUM();
      await db.transaction(async (tx) => {
        await lock(tx, [topic.id], [topic.forumId, target]);
        const moved = await tx.table('topics').where({ id: topic.id, forum_id: topic.forumId }).whereNull('deleted_at').update({ forum_id: target });
        if (!moved) throw forumErrors.FORUM_TOPIC_NOT_FOUND(String(topic.id));
        await carry(tx, topic.id, target);
        await recountForum(tx, topic.forumId);
        await recountForum(tx, target);
      });
      await finish([topic.id], [topic.forumId, target]);
      return reread(topic.id);
    },

    /**
     * Splits replies off into a new topic titled `title`, in the same forum or in `forumId`; the earliest of them
     * becomes its first message. Returns the new topic.
     */
    async splitTopic(principal: Principal, topicId: number, input: { messageIds: number[]; title: string; forumId?: number }): Promise<Topic> {
      const topic = await liveTopic(topicId);
      const target = input.forumId === undefined ? topic.forumId : await forumExists(input.forumId);
      await access.assert(principal, topic.forumId, 'Q');
      await access.assert(principal, target, 'Q');
      const title = String(input.title ?? '').trim();
      if (!title) throw forumErrors.FORUM_TITLE_REQUIRED();
      if (title.length > MAX_TITLE) throw forumErrors.FORUM_TITLE_TOO_LONG(String(MAX_TITLE));
      const ids = [...new Set((Array.isArray(input.messageIds) ? input.messageIds : []).map(Number))].sort((a, b) => a - b);
      if (!ids.length) throw moveErrors.FORUM_SPLIT_NOTHING();
      const rows = (await db.write('messages').whereIn('id', ids.filter(Number.isSafeInteger))) as Record<string, unknown>[];
      const byId = new Map(rows.map((r) => [Number(r.id), r]));
      for (const id of ids) {
        const r = byId.get(id);
        if (!r || Number(r.topic_id) !== topic.id) throw moveErrors.FORUM_SPLIT_FOREIGN(String(id));
        if (Number(r.is_first)) throw moveErrors.FORUM_SPLIT_FIRST();
      }
      const first = byId.get(ids[0]!)!;
      const newId = await db.transaction(async (tx) => {
        await lock(tx, [topic.id], [topic.forumId, target]);
        const [id] = await tx.table('topics').insert({
          forum_id: target,
          title,
          author_id: first.author_id,
          author_name: first.author_name,
          approved: Number(first.approved) === 1 || first.approved === true,
          last_message_at: first.created_at,
          created_at: first.created_at,
        });
        const moved = await tx.table('messages').whereIn('id', ids).where({ topic_id: topic.id }).update({ topic_id: Number(id), forum_id: target });
        if (moved !== ids.length) throw moveErrors.FORUM_SPLIT_FOREIGN(ids.join(', '));
        await tx.table('messages').where({ id: ids[0] }).update({ is_first: true });
        await search.index(tx, ids[0]!, title, String(first.source));
        await repoint(tx, ids[0]!, true);
        await recountTopic(tx, topic.id);
        await recountTopic(tx, Number(id));
        await recountForum(tx, topic.forumId);
        if (target !== topic.forumId) await recountForum(tx, target);
        return Number(id);
      });
      await finish([topic.id, newId], [topic.forumId, target]);
      return reread(newId);
    },

    /** Merges a topic into another: its messages join the target in id order, and the source topic is removed. */
    async mergeTopic(principal: Principal, sourceId: number, targetId: number): Promise<Topic> {
      const source = await liveTopic(sourceId);
      const target = await liveTopic(targetId);
      if (source.id === target.id) throw moveErrors.FORUM_MERGE_SAME_TOPIC();
      await access.assert(principal, source.forumId, 'Q');
      await access.assert(principal, target.forumId, 'Q');
      await db.transaction(async (tx) => {
        await lock(tx, [source.id, target.id], [source.forumId, target.forumId]);
        const firsts = (await tx.table('messages').where({ topic_id: source.id, is_first: true }).pluck('id')) as unknown[];
        for (const id of firsts) await repoint(tx, Number(id), false);
        await tx.table('messages').where({ topic_id: source.id }).update({ topic_id: target.id, forum_id: target.forumId, is_first: false });
        const already = (await tx.table('subscriptions').where({ topic_id: target.id }).pluck('user_id')) as unknown[];
        if (already.length) await tx.table('subscriptions').where({ topic_id: source.id }).whereIn('user_id', already.map(Number)).delete();
        await tx.table('subscriptions').where({ topic_id: source.id }).update({ topic_id: target.id, forum_id: target.forumId });
        await tx.table('topic_reads').where({ topic_id: source.id }).delete();
        await tx.table('topics').where({ id: source.id }).delete();
        await recountTopic(tx, target.id);
        await recountForum(tx, source.forumId);
        if (target.forumId !== source.forumId) await recountForum(tx, target.forumId);
      });
      await finish([target.id], [source.forumId, target.forumId]);
      return reread(target.id);
    },
  };
}
