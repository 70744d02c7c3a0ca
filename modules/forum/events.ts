import type { Message, NewTopicInput, ReplyInput, Topic } from './types.js';

// The forum's events in the kernel's typed event maps (docs/events.md, docs/forum.md).
declare module '../../core/events/types.js' {
  interface BeforeEvents {
    /**
     * Before a topic and its first message are written; listeners may change the title or body, or veto.
     * @firedBy `forum.createTopic(principal, input)`: the new-topic form, `POST /api/v1/forum/forums/<id>/topics`
     */
    'forum.topic.create': NewTopicInput & { authorId: number | null };
    /**
     * Before a reply is written; listeners may change the body, or veto.
     * @firedBy `forum.reply(principal, input)`: the reply form, `POST /api/v1/forum/topics/<id>/messages`
     */
    'forum.message.create': ReplyInput & { authorId: number | null };
  }
  interface AfterEvents {
    /**
     * A topic and its first message were written (approved or waiting for a moderator: see `message.approved`).
     * @firedBy `forum.createTopic(principal, input)`
     */
    'forum.topic.created': { topic: Topic; message: Message };
    /**
     * A reply was written (approved or waiting for a moderator).
     * @firedBy `forum.reply(principal, input)`
     */
    'forum.message.created': { topic: Topic; message: Message; mentions: number[] };
    /**
     * A message's text was changed; `editedBy` and `editedAt` say who and when.
     * @firedBy `forum.editMessage(principal, id, body)`: `PATCH /api/v1/forum/messages/<id>`
     */
    'forum.message.updated': Message;
    /**
     * A moderator approved a premoderated message; it now counts and readers see it.
     * @firedBy `forum.approveMessage(principal, id)`: `POST /api/v1/forum/messages/<id>/approve`
     */
    'forum.message.approved': Message;
    /**
     * A moderator soft-deleted a message (its topic too, for a first message).
     * @firedBy `forum.deleteMessage(principal, id)`: `DELETE /api/v1/forum/messages/<id>`
     */
    'forum.message.deleted': Message;
    /**
     * A moderator undid a soft delete.
     * @firedBy `forum.restoreMessage(principal, id)`: `POST /api/v1/forum/messages/<id>/restore`
     */
    'forum.message.restored': Message;
    /**
     * A moderator closed, opened, pinned or unpinned a topic, or moved, split or merged topics (once per topic that remains).
     * @firedBy `forum.setTopicFlags(principal, topicId, flags)`: `PATCH /api/v1/forum/topics/<id>`
     * @firedBy `forum.moveTopic(principal, topicId, forumId)`: `POST /api/v1/forum/topics/<id>/move`, the topic page's move form
     * @firedBy `forum.splitTopic(principal, topicId, input)`: `POST /api/v1/forum/topics/<id>/split`, the topic page's split form
     * @firedBy `forum.mergeTopic(principal, sourceId, targetId)`: `POST /api/v1/forum/topics/<id>/merge`, the topic page's merge form
     */
    'forum.topic.updated': Topic;
  }
}
export {};
