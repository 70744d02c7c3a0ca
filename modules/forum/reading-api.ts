import type { ModuleContext } from '../../core/modules/types.js';
import type { Principal } from '../../core/services.js';
import type { Knex } from 'knex';
import type { ForumAccess } from './access.js';
import { forumErrors } from './errors.js';
import { atLeast } from './levels.js';
import { toMessage, toTopic } from './rows.js';
import type { Message, Page, Topic } from './types.js';
import type { Unread } from './unread.js';

const clampPage = (n: unknown): number => Math.max(1, Math.min(100000, Math.floor(Number(n)) || 1));
const clampSize = (n: unknown): number => Math.max(1, Math.min(100, Math.floor(Number(n)) || 20));

/**
 * Reading topics and messages. Readers need E; unapproved posts show only to their author and moderators (Q),
 * deleted ones only to moderators.
 */
export function createReadingApi(ctx: ModuleContext, access: ForumAccess, unread: Unread) {
  const { db } = ctx;

  /** Hides what a non-moderator may not see. */
  function visible(q: Knex.QueryBuilder, principal: Principal, moderator: boolean): Knex.QueryBuilder {
    if (moderator) return q;
    q.whereNull('deleted_at');
    return q.where((w) => {
      w.where('approved', true);
      if (principal?.userId != null) w.orWhere('author_id', principal.userId);
    });
  }

  /** The reader's own premoderated, undeleted rows: shown to them, not in the counters (an index lookup). */
  async function ownPending(table: 'topics' | 'messages', key: Record<string, number>, principal: Principal): Promise<number> {
    if (principal?.userId == null) return 0;
    const [{ n }] = (await db.read(table).where(key).where({ approved: false, author_id: principal.userId }).whereNull('deleted_at').count({ n: '*' })) as { n: unknown }[];
    return Number(n);
  }

  /** A page: its ids found in an index that holds the order and visibility columns, then only those rows read. */
  function pageRows(table: 'topics' | 'messages', ids: Knex.QueryBuilder, order: { column: string; order: 'asc' | 'desc' }[]): Promise<Record<string, unknown>[]> {
    const t = db.table(table);
    return db
      .read(table)
      .join(ids.as('page_ids'), 'page_ids.id', `${t}.id`)
      .select(`${t}.*`)
      .orderBy(order.map((o) => ({ column: `${t}.${o.column}`, order: o.order })));
  }

  async function readableTopic(principal: Principal, id: number): Promise<{ topic: Topic; moderator: boolean }> {
    const r = await db.read('topics').where({ id }).first();
    if (!r) throw forumErrors.FORUM_TOPIC_NOT_FOUND(String(id));
    const topic = toTopic(r);
    const level = await access.assert(principal, topic.forumId, 'E');
    const moderator = atLeast(level, 'Q');
    const own = topic.authorId !== null && topic.authorId === principal?.userId;
    if (!moderator && (topic.deleted || (!topic.approved && !own))) throw forumErrors.FORUM_TOPIC_NOT_FOUND(String(id));
    return { topic, moderator };
  }

  return {
    /** A topic the principal may see; `countView` adds one to its view count (atomically). */
    async topic(principal: Principal, id: number, opts: { countView?: boolean } = {}): Promise<Topic> {
      const { topic } = await readableTopic(principal, id);
      if (opts.countView) {
        await db.raw(`UPDATE ${db.table('topics')} SET view_count = view_count + 1 WHERE id = ?`, [id]);
        topic.viewCount += 1;
      }
      return topic;
    },

    /** Topics of a forum, pinned first, then by last post. */
    async topics(principal: Principal, forumId: number, opts: { page?: number; pageSize?: number } = {}): Promise<Page<Topic>> {
      const level = await access.assert(principal, forumId, 'E');
      const page = clampPage(opts.page);
      const pageSize = clampSize(opts.pageSize);
      const moderator = atLeast(level, 'Q');
      // The total from the forum's counter (approved, undeleted topics) plus the reader's own pending ones; moderators,
      // who also see deleted and pending topics, count.
      const total = moderator
        ? Number(((await db.read('topics').where({ forum_id: forumId }).count({ n: '*' })) as { n: unknown }[])[0]!.n)
        : Number((await db.read('forums').where({ id: forumId }).first('topic_count'))?.topic_count ?? 0) + (await ownPending('topics', { forum_id: forumId }, principal));
      const order = [{ column: 'pinned', order: 'desc' as const }, { column: 'last_message_at', order: 'desc' as const }, { column: 'id', order: 'desc' as const }];
      const ids = visible(db.read('topics').where({ forum_id: forumId }), principal, moderator).select('id').orderBy(order).limit(pageSize).offset((page - 1) * pageSize);
      const items: Topic[] = (await pageRows('topics', ids, order)).map(toTopic);
      const unreadIds = await unread.unreadOf(principal, forumId, items);
      return { items: items.map((t) => ({ ...t, unread: unreadIds.has(t.id) })), total, page, pageSize };
    },

    /** The first message the user has not read in a topic (null: all read), for "jump to the first unread". */
    async firstUnread(principal: Principal, topicId: number): Promise<number | null> {
      const { topic, moderator } = await readableTopic(principal, topicId);
      if (principal?.userId == null) return null;
      const upTo = await unread.readUpTo(principal, topic.forumId, topic.id);
      const r = await visible(db.read('messages').where({ topic_id: topicId }).where('id', '>', upTo), principal, moderator).orderBy('id').first('id');
      return r ? Number(r.id) : null;
    },

    /** The page (of `pageSize`) of a topic on which a message is, counting only what the principal sees. */
    async pageOf(principal: Principal, topicId: number, messageId: number, pageSize: number): Promise<number> {
      const { moderator } = await readableTopic(principal, topicId);
      const [{ n }] = (await visible(db.read('messages').where({ topic_id: topicId }).where('id', '<', messageId), principal, moderator).count({ n: '*' })) as { n: unknown }[];
      return Math.floor(Number(n) / clampSize(pageSize)) + 1;
    },

    /** Marks a topic read up to a message (default: its last). */
    async markTopicRead(principal: Principal, topicId: number, upToMessageId?: number): Promise<void> {
      const { topic } = await readableTopic(principal, topicId);
      const upTo = Math.min(upToMessageId ?? Infinity, topic.lastMessageId ?? 0);
      await unread.markTopic(principal, topic.forumId, topic.id, upTo);
    },

    /** "Mark all read" in a forum: everything up to the forum's newest message. */
    async markForumRead(principal: Principal, forumId: number): Promise<void> {
      await access.assert(principal, forumId, 'E');
      const r = await db.write('messages').where({ forum_id: forumId }).max({ m: 'id' }).first();
      await unread.markForum(principal, forumId, Number(r?.m ?? 0));
    },

    /** Messages of a topic in order, paged. */
    async messages(principal: Principal, topicId: number, opts: { page?: number; pageSize?: number } = {}): Promise<Page<Message>> {
      const { topic, moderator } = await readableTopic(principal, topicId);
      const page = clampPage(opts.page);
      const pageSize = clampSize(opts.pageSize);
      // The total from the topic's counter (approved, undeleted replies, and the first message once the topic is
      // approved) plus the reader's own pending messages; moderators, who see every message, count.
      const total = moderator
        ? Number(((await db.read('messages').where({ topic_id: topicId }).count({ n: '*' })) as { n: unknown }[])[0]!.n)
        : topic.replyCount + (topic.approved ? 1 : 0) + (await ownPending('messages', { topic_id: topicId }, principal));
      // A page in the second half is read from the end (the total is exact), so the last pages of a big topic, where
      // readers go, walk few index entries.
      const offset = (page - 1) * pageSize;
      const after = total - offset - pageSize;
      const fromEnd = after < offset;
      const limit = fromEnd ? Math.min(pageSize, total - offset) : pageSize;
      if (limit <= 0) return { items: [], total, page, pageSize };
      const ids = visible(db.read('messages').where({ topic_id: topicId }), principal, moderator)
        .select('id')
        .orderBy('id', fromEnd ? 'desc' : 'asc')
        .limit(limit)
        .offset(fromEnd ? Math.max(0, after) : offset);
      const rows = await pageRows('messages', ids, [{ column: 'id', order: 'asc' }]);
      return { items: rows.map(toMessage), total, page, pageSize };
    },

    /** One message, under the same visibility rules. */
    async message(principal: Principal, id: number): Promise<Message> {
      const r = await db.read('messages').where({ id }).first();
      if (!r) throw forumErrors.FORUM_MESSAGE_NOT_FOUND(String(id));
      const m = toMessage(r);
      const { moderator } = await readableTopic(principal, m.topicId);
      const own = m.authorId !== null && m.authorId === principal?.userId;
      if (!moderator && (m.deletedAt || (!m.approved && !own))) throw forumErrors.FORUM_MESSAGE_NOT_FOUND(String(id));
      return m;
    },

    /** The newest active topics across every forum of the site the principal may read. */
    async latestTopics(principal: Principal, opts: { siteId?: string; limit?: number } = {}): Promise<Topic[]> {
      const site = opts.siteId ?? (await ctx.kernel.sites.list())[0]?.id ?? 's1';
      const forumIds: number[] = [];
      for (const r of await db.read('forums').where({ site_id: site }).select('id')) {
        if (atLeast(await access.levelOf(principal, Number(r.id)), 'E')) forumIds.push(Number(r.id));
      }
      if (!forumIds.length) return [];
      const rows = await db
        .read('topics')
        .whereIn('forum_id', forumIds)
        .where('approved', true)
        .whereNull('deleted_at')
        .orderBy([{ column: 'last_message_at', order: 'desc' }, { column: 'id', order: 'desc' }])
        .limit(clampSize(opts.limit ?? 10));
      return rows.map(toTopic);
    },

    /** Unapproved, undeleted messages in the forums where the principal moderates, oldest first. */
    async moderationQueue(principal: Principal, opts: { forumId?: number; limit?: number } = {}): Promise<Message[]> {
      const rows = await db.read('forums').select('id');
      const forumIds: number[] = [];
      for (const r of rows) {
        const id = Number(r.id);
        if (opts.forumId !== undefined && id !== opts.forumId) continue;
        if (atLeast(await access.levelOf(principal, id), 'Q')) forumIds.push(id);
      }
      if (!forumIds.length) return [];
      const msgs = await db
        .read('messages')
        .whereIn('forum_id', forumIds)
        .where('approved', false)
        .whereNull('deleted_at')
        .orderBy('id')
        .limit(clampSize(opts.limit ?? 100));
      return msgs.map(toMessage);
    },
  };
}
