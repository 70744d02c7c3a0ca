import type { ModuleContext } from '../../core/modules/types.js';
import type { ForumAccess } from './access.js';
import { atLeast } from './levels.js';
import type { Message, Topic } from './types.js';

export const topicUrl = (topicId: number): string => `/forum/topic/${topicId}/`;

/** Mail FORUM_MENTION to each user an approved message mentions, if they may read the forum (never the author). */
export function createMentions(ctx: ModuleContext, access: ForumAccess) {
  const { kernel } = ctx;
  return {
    async notify(message: Message, topic: Topic, logins: string[]): Promise<number[]> {
      if (!logins.length) return [];
      const ids = await kernel.users.idsOfLogins(logins);
      const site = (await kernel.sites.list())[0];
      const sent: number[] = [];
      for (const userId of new Set(ids.values())) {
        if (userId === message.authorId) continue;
        const user = await kernel.users.find(userId);
        if (!user?.active || !user.email) continue;
        if (!atLeast(await access.levelOf(await kernel.users.principalOf(user), message.forumId), 'E')) continue;
        await kernel.mail.send(
          'FORUM_MENTION',
          {
            EMAIL_TO: user.email,
            NAME: `${user.name} ${user.lastName}`.trim() || user.login,
            AUTHOR: message.authorName,
            TOPIC: topic.title,
            URL: `${topicUrl(topic.id)}#message-${message.id}`,
            SITE_NAME: site?.name ?? '',
          },
          { siteId: site?.id ?? 's1', language: user.language ?? site?.language ?? 'en' },
        );
        sent.push(userId);
      }
      return sent;
    },
  };
}

export type Mentions = ReturnType<typeof createMentions>;
