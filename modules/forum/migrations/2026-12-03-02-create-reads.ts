import { defineMigration } from '../../../core/modules/types.js';

/**
 * Unread marks without a row per user per message: the last message a user has read in a topic, and per forum a
 * "mark all read" watermark (every message up to that id counts as read; topic rows below it are dropped).
 */
export default defineMigration({
  name: '2026-12-03-02-create-reads',
  async up(db) {
    await db.schema.createTable(db.table('topic_reads'), (t) => {
      t.integer('user_id').unsigned().notNullable();
      t.integer('topic_id').unsigned().notNullable();
      t.integer('forum_id').unsigned().notNullable();
      t.integer('last_message_id').unsigned().notNullable();
      t.primary(['user_id', 'topic_id']);
      t.index(['user_id', 'forum_id']);
    });
    await db.schema.createTable(db.table('forum_reads'), (t) => {
      t.integer('user_id').unsigned().notNullable();
      t.integer('forum_id').unsigned().notNullable();
      t.integer('watermark').unsigned().notNullable();
      t.primary(['user_id', 'forum_id']);
    });
  },
  async down(db) {
    await db.schema.dropTableIfExists(db.table('forum_reads'));
    await db.schema.dropTableIfExists(db.table('topic_reads'));
  },
});
