import './events.js';
import type { ModuleContext } from '../../core/modules/types.js';
import { ForumAccess } from './access.js';
import { createForumsApi } from './forums-api.js';
import { createMentions } from './mentions.js';
import { createPostingApi } from './posting-api.js';
import { createReadingApi } from './reading-api.js';
import { createUnread } from './unread.js';
import { createSubscriptions } from './subscriptions.js';
import { createGuards } from './guards.js';
import { createSearch } from './search.js';
import { createProfiles } from './profiles.js';
import { createAttachments } from './attachments.js';
import { createTopicMoves } from './topic-moves.js';
import { createUiApi } from './ui-api.js';
import { createDigest } from './digest.js';
import { createAdminApi } from './admin-api.js';
import { createModerationApi } from './moderation-api.js';
import { createBadWordsApi } from './bad-words-api.js';

/** The forum's typed API (kernel.api('forum')): the only way other code reaches its data. */
export function createForumApi(ctx: ModuleContext) {
  const access = new ForumAccess(ctx);
  const mentions = createMentions(ctx, access);
  const subs = createSubscriptions(ctx, access);
  const search = createSearch(ctx, access);
  const guards = createGuards(ctx);
  const profiles = createProfiles(ctx, access);
  const reading = createReadingApi(ctx, access, createUnread(ctx));
  const attachments = createAttachments(ctx, access, reading.message);
  return {
    forums: createForumsApi(ctx, access),
    /** The admin screens' calls: categories, deleting forums, the permissions matrix (forum.manage). */
    admin: createAdminApi(ctx, access, profiles),
    /** The moderation queue across the forums the principal moderates, with bulk approve and delete. */
    moderation: createModerationApi(ctx, access),
    /** The bad-words list (option bad_words) one entry a line, with a preview. */
    badWords: createBadWordsApi(ctx, access),
    subscribe: subs.subscribe,
    unsubscribe: subs.unsubscribe,
    subscriptions: subs.list,
    /** The notify agent's work: one FORUM_NEW_POSTS mail per pending subscription; returns how many were sent. */
    sendSubscriptionMail: (limit?: number) => subs.sendPending(limit),
    /** The digest agent's work (option daily_digest): one FORUM_DIGEST per subscriber per day; returns how many. */
    sendDigests: createDigest(ctx, access).sendDigests,
    ...createUiApi(ctx, access, subs, guards),
    /** Full-text search in the forums the principal may read. */
    search: search.search,
    /** Post counts, points and ranks (profiles.ts). */
    profiles,
    /** Files attached to messages, downloaded under the message's read rights (attachments.ts). */
    attachments,
    ...createPostingApi(ctx, access, mentions, subs, guards, search, { profiles, attachments }),
    ...reading,
    /** Moving, splitting and merging topics (moderators of both forums). */
    ...createTopicMoves(ctx, access, profiles, search),
  };
}

export type ForumApi = ReturnType<typeof createForumApi>;

declare module '../../core/modules/types.js' {
  interface ModuleApis {
    forum: ForumApi;
  }
}
