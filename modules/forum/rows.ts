import { toBool, toDate } from '../../core/db/module-db.js';
import type { Category, Forum, Message, Topic } from './types.js';

type Row = Record<string, unknown>;
const idOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

export const toCategory = (r: Row): Category => ({ id: Number(r.id), siteId: String(r.site_id), name: String(r.name), sort: Number(r.sort) });

export const toForum = (r: Row): Forum => ({
  id: Number(r.id),
  siteId: String(r.site_id),
  categoryId: idOrNull(r.category_id),
  name: String(r.name),
  description: String(r.description ?? ''),
  sort: Number(r.sort),
  premoderation: toBool(r.premoderation),
  topicCount: Number(r.topic_count),
  messageCount: Number(r.message_count),
  lastTopicId: idOrNull(r.last_topic_id),
  lastMessageId: idOrNull(r.last_message_id),
  lastMessageAt: toDate(r.last_message_at),
});

export const toTopic = (r: Row): Topic => ({
  id: Number(r.id),
  forumId: Number(r.forum_id),
  title: String(r.title),
  authorId: idOrNull(r.author_id),
  authorName: String(r.author_name),
  pinned: toBool(r.pinned),
  closed: toBool(r.closed),
  approved: toBool(r.approved),
  viewCount: Number(r.view_count),
  replyCount: Number(r.reply_count),
  lastMessageId: idOrNull(r.last_message_id),
  lastAuthorName: r.last_author_name == null ? null : String(r.last_author_name),
  lastMessageAt: new Date(Number(r.last_message_at)),
  createdAt: new Date(Number(r.created_at)),
  deleted: r.deleted_at != null,
});

export const toMessage = (r: Row): Message => ({
  id: Number(r.id),
  topicId: Number(r.topic_id),
  forumId: Number(r.forum_id),
  authorId: idOrNull(r.author_id),
  authorName: String(r.author_name),
  source: String(r.source),
  html: String(r.html),
  approved: toBool(r.approved),
  isFirst: toBool(r.is_first),
  createdAt: new Date(Number(r.created_at)),
  editedAt: toDate(r.edited_at),
  editedBy: idOrNull(r.edited_by),
  deletedAt: toDate(r.deleted_at),
  deletedBy: idOrNull(r.deleted_by),
});
