import { defineMigration } from '../../../core/modules/types.js';

/**
 * Subscriptions to a forum (topic_id 0) or a topic. `pending_message_id` is the first message not yet mailed: a
 * burst of posts sets it once, and the notify agent sends one mail per subscription and clears it.
 */
export default defineMigration({
  name: '2026-12-03-03-create-subscriptions',
  async up(db) {
    await db.schema.createTable(db.table('subscriptions'), (t) => {
      t.increments('id');
      t.integer('user_id').unsigned().notNullable();
      t.integer('forum_id').unsigned().notNullable();
      t.integer('topic_id').unsigned().notNullable().defaultTo(0);
      t.integer('pending_message_id').unsigned().nullable();
      t.bigInteger('created_at').notNullable();
      t.unique(['user_id', 'forum_id', 'topic_id']);
      t.index(['topic_id']);
      t.index(['forum_id', 'topic_id']);
      t.index(['pending_message_id']);
    });
  },
  async down(db) {
    await db.schema.dropTableIfExists(db.table('subscriptions'));
  },
});
