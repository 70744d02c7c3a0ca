import type { PortalKernel } from '../../core/kernel-handle.js';
import type { PortalState } from '../../core/http/state.js';
import { formatBytes } from '../../core/files/file-errors.js';
import { MAX_ATTACHMENTS } from './attachments.js';
import { atLeast, type ForumLevel } from './levels.js';
import type { Message, Topic } from './types.js';
import type { ForumApi } from './api.js';

export interface MessageExtras {
  rank: string | null;
  posts: number | null;
  attachments: { name: string; href: string; size: string }[];
}

/**
 * What the topic page shows beside the messages: each author's rank and post count, each message's attachments, the
 * file field of the reply form, and for moderators the move, split and merge forms (forums they moderate as targets).
 */
export async function topicPageExtras(kernel: PortalKernel, state: PortalState, topic: Topic, messages: Message[], level: ForumLevel) {
  const api = kernel.api('forum');
  const lang = state.language;
  const profiles = await api.profiles.of(messages.map((m) => m.authorId), lang);
  const files = await api.attachments.ofMessages(messages.map((m) => m.id));
  const extras = new Map<number, MessageExtras>();
  for (const m of messages) {
    const profile = m.authorId === null ? undefined : profiles.get(m.authorId);
    extras.set(m.id, {
      rank: profile?.rank ?? null,
      posts: profile ? profile.postCount : null,
      attachments: (files.get(m.id) ?? []).map((a) => ({ name: a.name, href: a.url, size: formatBytes(a.size, lang) })),
    });
  }
  let moderation: null | { moveAction: string; splitAction: string; mergeAction: string; forums: { id: number; name: string }[] } = null;
  if (atLeast(level, 'Q')) {
    const forums = (await api.forums.list(state.principal, state.site?.id)).filter((f) => f.id !== topic.forumId && atLeast(f.level, 'Q'));
    moderation = {
      moveAction: `/forum/post/move/${topic.id}/`,
      splitAction: `/forum/post/split/${topic.id}/`,
      mergeAction: `/forum/post/merge/${topic.id}/`,
      forums: forums.map((f) => ({ id: f.id, name: f.name })),
    };
  }
  return {
    of: (messageId: number): MessageExtras => extras.get(messageId) ?? { rank: null, posts: null, attachments: [] },
    attach: await attachOffer(api),
    moderation,
  };
}

/** What a posting form offers for files: how many and which types, or null when attachments are off. */
export async function attachOffer(api: ForumApi): Promise<{ max: number; types: string } | null> {
  const { maxBytes, types } = await api.attachments.limits();
  return maxBytes > 0 ? { max: MAX_ATTACHMENTS, types: [...types].join(', ') } : null;
}
