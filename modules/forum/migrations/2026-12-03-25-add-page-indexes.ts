import { defineMigration } from '../../../core/modules/types.js';

/**
 * Indexes for the topic and forum pages at scale (bench/forum.ts, 2M messages):
 * - messages (topic_id, id, approved, deleted_at, author_id) replaces (topic_id, id): a page of a topic is found in the
 *   index alone (visibility columns included), however deep its offset, and only its 20 rows are read;
 * - messages and topics (author_id, topic or forum, approved, deleted_at): the reader's own premoderated posts, added
 *   to the counters for a page's total instead of a count(*) over the topic or forum (author first, so the planner
 *   never prefers it, sorting, for the page itself);
 * - topics (forum_id, pinned, last_message_at, id, approved, deleted_at, author_id) replaces the forum's order index
 *   the same way for deep forum pages.
 */
export default defineMigration({
  name: '2026-12-03-25-add-page-indexes',
  async up(db) {
    await db.schema.alterTable(db.table('messages'), (t) => {
      t.index(['topic_id', 'id', 'approved', 'deleted_at', 'author_id'], db.table('messages_topic_page'));
      t.index(['author_id', 'topic_id', 'approved', 'deleted_at'], db.table('messages_topic_pending'));
    });
    await db.schema.alterTable(db.table('messages'), (t) => {
      t.dropIndex(['topic_id', 'id']);
    });
    await db.schema.alterTable(db.table('topics'), (t) => {
      t.index(['forum_id', 'pinned', 'last_message_at', 'id', 'approved', 'deleted_at', 'author_id'], db.table('topics_forum_page'));
      t.index(['author_id', 'forum_id', 'approved', 'deleted_at'], db.table('topics_forum_pending'));
    });
    await db.schema.alterTable(db.table('topics'), (t) => {
      t.dropIndex(['forum_id', 'pinned', 'last_message_at']);
    });
  },
  async down(db) {
    await db.schema.alterTable(db.table('topics'), (t) => {
      t.index(['forum_id', 'pinned', 'last_message_at']);
      t.dropIndex([], db.table('topics_forum_page'));
      t.dropIndex([], db.table('topics_forum_pending'));
    });
    await db.schema.alterTable(db.table('messages'), (t) => {
      t.index(['topic_id', 'id']);
      t.dropIndex([], db.table('messages_topic_page'));
      t.dropIndex([], db.table('messages_topic_pending'));
    });
  },
});
