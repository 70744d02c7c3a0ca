import type { ForumLevel } from './levels.js';

export interface Category {
  id: number;
  siteId: string;
  name: string;
  sort: number;
}

export interface Forum {
  id: number;
  siteId: string;
  categoryId: number | null;
  name: string;
  description: string;
  sort: number;
  premoderation: boolean;
  topicCount: number;
  messageCount: number;
  lastTopicId: number | null;
  lastMessageId: number | null;
  lastMessageAt: Date | null;
}

export interface ForumInput {
  siteId?: string;
  categoryId?: number | null;
  name: string;
  description?: string;
  sort?: number;
  premoderation?: boolean;
  /** Levels by group id; without it the group "registered" gets M (new topic). */
  permissions?: Map<number, ForumLevel>;
}

export interface Topic {
  id: number;
  forumId: number;
  title: string;
  authorId: number | null;
  authorName: string;
  pinned: boolean;
  closed: boolean;
  approved: boolean;
  viewCount: number;
  replyCount: number;
  lastMessageId: number | null;
  lastAuthorName: string | null;
  lastMessageAt: Date;
  createdAt: Date;
  deleted: boolean;
  /** In forum lists for a signed-in reader: a message newer than what they read. */
  unread?: boolean;
}

export interface Message {
  id: number;
  topicId: number;
  forumId: number;
  authorId: number | null;
  authorName: string;
  /** The BB-code as written. */
  source: string;
  /** Sanitized HTML rendered from `source`; safe to print unescaped. */
  html: string;
  approved: boolean;
  isFirst: boolean;
  createdAt: Date;
  editedAt: Date | null;
  editedBy: number | null;
  deletedAt: Date | null;
  deletedBy: number | null;
}

export interface NewTopicInput {
  forumId: number;
  title: string;
  body: string;
  /** Files to attach (attachments.ts checks them against the options). */
  files?: AttachmentUpload[];
}

export interface ReplyInput {
  topicId: number;
  body: string;
  files?: AttachmentUpload[];
}

/** A file to attach: the client's name and type, and its bytes (a temp file of an upload, or a buffer). */
export type AttachmentUpload = { name: string; mimeType?: string } & ({ path: string; size: number } | { buffer: Buffer });

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}
