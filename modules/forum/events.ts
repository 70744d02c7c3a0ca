import type { Message, NewTopicInput, ReplyInput, Topic } from './types.js';

// The forum's events in the kernel's typed event maps (docs/forum.md, "Events").
declare module '../../core/events/types.js' {
  interface BeforeEvents {
    /** Before a topic is written: listeners may change the title or body, or throw to veto. */
    'forum.topic.create': NewTopicInput & { authorId: number | null };
    /** Before a reply is written: listeners may change the body, or throw to veto. */
    'forum.message.create': ReplyInput & { authorId: number | null };
  }
  interface AfterEvents {
    'forum.topic.created': { topic: Topic; message: Message };
    'forum.message.created': { topic: Topic; message: Message; mentions: number[] };
    'forum.message.updated': Message;
    'forum.message.approved': Message;
    'forum.message.deleted': Message;
    'forum.message.restored': Message;
    'forum.topic.updated': Topic;
  }
}
export {};
