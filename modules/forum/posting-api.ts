import type { ModuleContext } from '../../core/modules/types.js';
import type { ModuleTx } from '../../core/db/module-db.js';
import type { Principal } from '../../core/services.js';
import { coreErrors } from '../../core/errors/codes.js';
import type { ForumAccess } from './access.js';
import { renderBbCode } from './bbcode.js';
import { forumErrors } from './errors.js';
import { FORUMS_TAG } from './forums-api.js';
import { atLeast } from './levels.js';
import type { Mentions } from './mentions.js';
import type { Subscriptions } from './subscriptions.js';
import type { Guards } from './guards.js';
import type { Search } from './search.js';
import { POINTS, type Profiles } from './profiles.js';
import { moveErrors } from './move-errors.js';
import type { Attachments } from './attachments.js';
import { toMessage, toTopic } from './rows.js';
import type { Message, NewTopicInput, ReplyInput, Topic } from './types.js';

export const MAX_TITLE = 255;
export const MAX_BODY = 20000;

/** Topics and messages: writing, editing, moderating. Every call checks the writer's level in the forum. */
export interface PostingDeps {
  profiles: Profiles;
  attachments: Attachments;
}

export function createPostingApi(ctx: ModuleContext, access: ForumAccess, mentions: Mentions, subs: Subscriptions, guards: Guards, search: Search, { profiles, attachments }: PostingDeps) {
  const { db, events, cache, kernel } = ctx;

  async function author(principal: Principal): Promise<{ id: number; name: string }> {
    if (principal?.userId == null) throw coreErrors.ACCESS_DENIED('Sign in to post');
    const user = await kernel.users.get(principal.userId);
    return { id: user.id, name: `${user.name} ${user.lastName}`.trim() || user.login };
  }

  function checkBody(body: unknown): string {
    const text = String(body ?? '');
    if (!text.trim()) throw forumErrors.FORUM_BODY_REQUIRED();
    if (text.length > MAX_BODY) throw forumErrors.FORUM_BODY_TOO_LONG(String(MAX_BODY));
    return text;
  }

  function checkTitle(title: unknown): string {
    const text = String(title ?? '').trim();
    if (!text) throw forumErrors.FORUM_TITLE_REQUIRED();
    if (text.length > MAX_TITLE) throw forumErrors.FORUM_TITLE_TOO_LONG(String(MAX_TITLE));
    return text;
  }

  async function forumRow(id: number): Promise<Record<string, unknown>> {
    const r = await db.write('forums').where({ id }).first();
    if (!r) throw forumErrors.FORUM_NOT_FOUND(String(id));
    return r;
  }

  async function messageRow(id: number): Promise<Message> {
    const r = await db.write('messages').where({ id }).first();
    if (!r) throw forumErrors.FORUM_MESSAGE_NOT_FOUND(String(id));
    return toMessage(r);
  }

  async function topicRow(id: number, tx?: ModuleTx, lock = false): Promise<Topic> {
    let q = tx ? tx.table('topics').where({ id }) : db.write('topics').where({ id });
    if (lock && db.dialect !== 'sqlite') q = q.forUpdate();
    const r = await q.first();
    if (!r) throw forumErrors.FORUM_TOPIC_NOT_FOUND(String(id));
    return toTopic(r);
  }

  /** The forum's counters and last post after an approved message joins it (atomic, newest id wins). */
  async function countIn(tx: ModuleTx, m: Message, newTopic: boolean): Promise<void> {
    // The author's profile first: a reply locks topic, then profile, then forum; everyone takes them in that order.
    await profiles.add(tx, m.authorId, 1, m.isFirst ? POINTS.topic : POINTS.reply);
    await tx.knex.raw(
      `UPDATE ${db.table('forums')} SET message_count = message_count + 1, topic_count = topic_count + ?,
         last_topic_id = CASE WHEN last_message_id IS NULL OR last_message_id < ? THEN ? ELSE last_topic_id END,
         last_message_at = CASE WHEN last_message_id IS NULL OR last_message_id < ? THEN ? ELSE last_message_at END,
         last_message_id = CASE WHEN last_message_id IS NULL OR last_message_id < ? THEN ? ELSE last_message_id END
       WHERE id = ?`,
      [newTopic ? 1 : 0, m.id, m.topicId, m.id, m.createdAt.getTime(), m.id, m.id, m.forumId],
    );
    if (newTopic) return;
    await tx.knex.raw(
      `UPDATE ${db.table('topics')} SET reply_count = reply_count + 1,
         last_author_id = CASE WHEN last_message_id < ? THEN ? ELSE last_author_id END,
         last_author_name = CASE WHEN last_message_id < ? THEN ? ELSE last_author_name END,
         last_message_at = CASE WHEN last_message_id < ? THEN ? ELSE last_message_at END,
         last_message_id = CASE WHEN last_message_id < ? THEN ? ELSE last_message_id END
       WHERE id = ?`,
      [m.id, m.authorId, m.id, m.authorName, m.id, m.createdAt.getTime(), m.id, m.id, m.topicId],
    );
  }

  /** The reverse of countIn for a message leaving the count (deleted); the last post is recomputed. */
  async function countOut(tx: ModuleTx, m: Message): Promise<void> {
    await profiles.add(tx, m.authorId, -1, -(m.isFirst ? POINTS.topic : POINTS.reply));
    await tx.knex.raw(`UPDATE ${db.table('forums')} SET message_count = message_count - 1 WHERE id = ?`, [m.forumId]);
    if (m.isFirst) return;
    await tx.knex.raw(`UPDATE ${db.table('topics')} SET reply_count = reply_count - 1 WHERE id = ?`, [m.topicId]);
    const last = await tx.table('messages').where({ topic_id: m.topicId, approved: true }).whereNull('deleted_at').orderBy('id', 'desc').first();
    if (last) {
      await tx.table('topics').where({ id: m.topicId }).update({
        last_message_id: last.id,
        last_author_id: last.author_id,
        last_author_name: last.author_name,
        last_message_at: last.created_at,
      });
    }
  }

  async function insertMessage(tx: ModuleTx, values: Omit<Message, 'id' | 'editedAt' | 'editedBy' | 'deletedAt' | 'deletedBy'>): Promise<Message> {
    const [id] = await tx.table('messages').insert({
      topic_id: values.topicId,
      forum_id: values.forumId,
      author_id: values.authorId,
      author_name: values.authorName,
      source: values.source,
      html: values.html,
      approved: values.approved,
      is_first: values.isFirst,
      created_at: values.createdAt.getTime(),
    });
    return { ...values, id: Number(id), editedAt: null, editedBy: null, deletedAt: null, deletedBy: null };
  }

  const invalidate = (forumId: number): Promise<void> => cache.invalidateTags(FORUMS_TAG, `forum:topics:${forumId}`);

  return {
    /** A new topic with its first message; in a premoderated forum it waits for a moderator unless the author is one. */
    async createTopic(principal: Principal, input: NewTopicInput): Promise<{ topic: Topic; message: Message }> {
      const forum = await forumRow(Number(input.forumId));
      const level = await access.assert(principal, Number(forum.id), 'M');
      const who = await author(principal);
      const data = await events.runBefore('forum.topic.create', { ...input, authorId: who.id });
      const title = await guards.filterWords(checkTitle(data.title));
      const body = checkBody(data.body);
      const flood = atLeast(level, 'Q') ? null : await guards.floodLimits();
      const rendered = renderBbCode(await guards.filterWords(body));
      const approved = !Number(forum.premoderation) || atLeast(level, 'Q');
      const now = new Date();
      await profiles.ensure(who.id);
      const files = await attachments.store(principal, data.files);
      const result = await db.transaction(async (tx) => {
        await profiles.lockForPost(tx, who.id);
        await guards.assertNotFlooding(tx, who.id, flood);
        const [topicId] = await tx.table('topics').insert({
          forum_id: forum.id,
          title,
          author_id: who.id,
          author_name: who.name,
          approved,
          last_author_id: who.id,
          last_author_name: who.name,
          last_message_at: now.getTime(),
          created_at: now.getTime(),
        });
        const message = await insertMessage(tx, {
          topicId: Number(topicId),
          forumId: Number(forum.id),
          authorId: who.id,
          authorName: who.name,
          source: body,
          html: rendered.html,
          approved,
          isFirst: true,
          createdAt: now,
        });
        await tx.table('topics').where({ id: topicId }).update({ last_message_id: message.id });
        await attachments.link(tx, message.id, files);
        await search.index(tx, message.id, title, body);
        if (approved) await countIn(tx, message, true);
        const topic = await topicRow(Number(topicId), tx);
        await events.emitAfter('forum.topic.created', { topic, message }, tx);
        return { topic, message };
      }).catch(async (err: unknown) => {
        await attachments.discard(files);
        throw err;
      });
      await invalidate(Number(forum.id));
      if (approved) {
        await subs.markPending(result.message);
        await mentions.notify(result.message, result.topic, rendered.mentions);
      }
      return result;
    },

    /**
     * A reply. The topic row is locked for the transaction (MariaDB; SQLite writes one at a time), so a moderator
     * closing it at the same moment either comes first (the reply is refused) or waits for the reply to commit.
     */
    async reply(principal: Principal, input: ReplyInput): Promise<Message> {
      const topic = await topicRow(Number(input.topicId));
      const forum = await forumRow(topic.forumId);
      const level = await access.assert(principal, topic.forumId, 'I');
      if (topic.deleted || (!topic.approved && !atLeast(level, 'Q') && topic.authorId !== principal.userId)) {
        throw forumErrors.FORUM_TOPIC_NOT_FOUND(String(topic.id));
      }
      const who = await author(principal);
      const data = await events.runBefore('forum.message.create', { ...input, authorId: who.id });
      const body = checkBody(data.body);
      const flood = atLeast(level, 'Q') ? null : await guards.floodLimits();
      const rendered = renderBbCode(await guards.filterWords(body));
      const approved = (!Number(forum.premoderation) && topic.approved) || atLeast(level, 'Q');
      await profiles.ensure(who.id);
      const files = await attachments.store(principal, data.files);
      const message = await db.transaction(async (tx) => {
        const current = await topicRow(topic.id, tx, true);
        await profiles.lockForPost(tx, who.id);
        await guards.assertNotFlooding(tx, who.id, flood);
        if (current.deleted) throw forumErrors.FORUM_TOPIC_NOT_FOUND(String(topic.id));
        // Moved to another forum since the rights were checked: the writer's level there is not known here.
        if (current.forumId !== topic.forumId) throw moveErrors.FORUM_TOPIC_MOVED();
        if (current.closed && !atLeast(level, 'Q')) throw forumErrors.FORUM_TOPIC_CLOSED();
        const m = await insertMessage(tx, {
          topicId: topic.id,
          forumId: topic.forumId,
          authorId: who.id,
          authorName: who.name,
          source: body,
          html: rendered.html,
          approved,
          isFirst: false,
          createdAt: new Date(),
        });
        await attachments.link(tx, m.id, files);
        if (approved) await countIn(tx, m, false);
        await search.index(tx, m.id, body);
        await events.emitAfter('forum.message.created', { topic: current, message: m, mentions: [] }, tx);
        return m;
      }).catch(async (err: unknown) => {
        await attachments.discard(files);
        throw err;
      });
      await invalidate(topic.forumId);
      if (approved) {
        await subs.markPending(message);
        await mentions.notify(message, topic, rendered.mentions);
      }
      return message;
    },

    /** Changes the text: the author while they may reply, or anyone with U (edit) and above. */
    async editMessage(principal: Principal, id: number, body: string): Promise<Message> {
      const m = await messageRow(id);
      const level = await access.assert(principal, m.forumId, 'I');
      const own = m.authorId !== null && m.authorId === principal.userId && m.deletedAt === null;
      if (!own && !atLeast(level, 'U')) throw coreErrors.ACCESS_DENIED('', { messageId: id });
      const source = checkBody(body);
      const html = renderBbCode(await guards.filterWords(source)).html;
      const editedAt = Date.now();
      const title = m.isFirst ? String((await db.write('topics').where({ id: m.topicId }).first('title'))?.title ?? '') : '';
      await db.transaction(async (tx) => {
        await tx.table('messages').where({ id }).update({ source, html, edited_at: editedAt, edited_by: principal.userId });
        await search.index(tx, id, title, source);
      });
      const updated = await messageRow(id);
      await events.emitAfter('forum.message.updated', updated);
      await invalidate(m.forumId);
      return updated;
    },

    /** Soft delete by a moderator: kept with who and when, hidden from readers, undone by restoreMessage. */
    async deleteMessage(principal: Principal, id: number): Promise<Message> {
      const m = await messageRow(id);
      await access.assert(principal, m.forumId, 'Q');
      if (m.deletedAt) return m;
      await db.transaction(async (tx) => {
        // The topic first, as a reply takes it: topic, profile, forum in one order, so no deadlock.
        await topicRow(m.topicId, tx, true);
        const changed = await tx.table('messages').where({ id }).whereNull('deleted_at').update({ deleted_at: Date.now(), deleted_by: principal.userId });
        if (changed && m.approved) await countOut(tx, m);
        if (changed && m.isFirst) {
          await tx.table('topics').where({ id: m.topicId }).update({ deleted_at: Date.now(), deleted_by: principal.userId });
          if (m.approved) await tx.knex.raw(`UPDATE ${db.table('forums')} SET topic_count = topic_count - 1 WHERE id = ?`, [m.forumId]);
        }
      });
      const deleted = await messageRow(id);
      await events.emitAfter('forum.message.deleted', deleted);
      await invalidate(m.forumId);
      return deleted;
    },

    async restoreMessage(principal: Principal, id: number): Promise<Message> {
      const m = await messageRow(id);
      await access.assert(principal, m.forumId, 'Q');
      if (!m.deletedAt) return m;
      await db.transaction(async (tx) => {
        await topicRow(m.topicId, tx, true);
        const changed = await tx.table('messages').where({ id }).whereNotNull('deleted_at').update({ deleted_at: null, deleted_by: null });
        if (changed && m.isFirst) await tx.table('topics').where({ id: m.topicId }).update({ deleted_at: null, deleted_by: null });
        if (changed && m.approved) await countIn(tx, { ...m, deletedAt: null }, m.isFirst);
      });
      const restored = await messageRow(id);
      await events.emitAfter('forum.message.restored', restored);
      await invalidate(m.forumId);
      return restored;
    },

    /** A moderator lets a premoderated message (and its topic, for a first message) be seen. */
    async approveMessage(principal: Principal, id: number): Promise<Message> {
      const m = await messageRow(id);
      await access.assert(principal, m.forumId, 'Q');
      const topic = await topicRow(m.topicId);
      const changed = await db.transaction(async (tx) => {
        await topicRow(m.topicId, tx, true);
        const n = await tx.table('messages').where({ id, approved: false }).update({ approved: true });
        if (!n || m.deletedAt) return n > 0;
        if (m.isFirst) await tx.table('topics').where({ id: m.topicId }).update({ approved: true });
        await countIn(tx, { ...m, approved: true }, m.isFirst);
        return true;
      });
      const approved = await messageRow(id);
      if (changed) {
        await events.emitAfter('forum.message.approved', approved);
        await subs.markPending(approved);
        await mentions.notify(approved, topic, renderBbCode(approved.source).mentions);
      }
      await invalidate(m.forumId);
      return approved;
    },

    /** Close, open, pin or unpin a topic (moderators). */
    async setTopicFlags(principal: Principal, topicId: number, flags: { closed?: boolean; pinned?: boolean }): Promise<Topic> {
      const topic = await topicRow(topicId);
      await access.assert(principal, topic.forumId, 'Q');
      const values: Record<string, boolean> = {};
      if (flags.closed !== undefined) values.closed = flags.closed === true;
      if (flags.pinned !== undefined) values.pinned = flags.pinned === true;
      if (Object.keys(values).length) await db.write('topics').where({ id: topicId }).update(values);
      const updated = await topicRow(topicId);
      await events.emitAfter('forum.topic.updated', updated);
      await invalidate(topic.forumId);
      return updated;
    },
  };
}
