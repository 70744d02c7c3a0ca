import { defineMigration } from '../../../core/modules/types.js';

/** Categories, forums, per-group permissions, topics and messages. Times are epoch milliseconds. */
export default defineMigration({
  name: '2026-12-03-01-create-forum',
  async up(db) {
    await db.schema.createTable(db.table('categories'), (t) => {
      t.increments('id');
      t.string('site_id', 32).notNullable().index();
      t.string('name', 255).notNullable();
      t.integer('sort').notNullable().defaultTo(100);
    });
    await db.schema.createTable(db.table('forums'), (t) => {
      t.increments('id');
      t.string('site_id', 32).notNullable();
      t.integer('category_id').unsigned().nullable();
      t.string('name', 255).notNullable();
      t.text('description').notNullable();
      t.integer('sort').notNullable().defaultTo(100);
      t.boolean('premoderation').notNullable().defaultTo(false);
      t.integer('topic_count').notNullable().defaultTo(0);
      t.integer('message_count').notNullable().defaultTo(0);
      t.integer('last_topic_id').unsigned().nullable();
      t.integer('last_message_id').unsigned().nullable();
      t.bigInteger('last_message_at').nullable();
      t.bigInteger('created_at').notNullable();
      t.index(['site_id', 'sort']);
    });
    await db.schema.createTable(db.table('permissions'), (t) => {
      t.integer('forum_id').unsigned().notNullable();
      t.integer('group_id').unsigned().notNullable();
      t.string('level', 1).notNullable();
      t.primary(['forum_id', 'group_id']);
    });
    await db.schema.createTable(db.table('topics'), (t) => {
      t.increments('id');
      t.integer('forum_id').unsigned().notNullable();
      t.string('title', 255).notNullable();
      t.integer('author_id').unsigned().nullable();
      t.string('author_name', 255).notNullable();
      t.boolean('pinned').notNullable().defaultTo(false);
      t.boolean('closed').notNullable().defaultTo(false);
      t.boolean('approved').notNullable().defaultTo(true);
      t.integer('view_count').notNullable().defaultTo(0);
      t.integer('reply_count').notNullable().defaultTo(0);
      t.integer('last_message_id').unsigned().nullable();
      t.integer('last_author_id').unsigned().nullable();
      t.string('last_author_name', 255).nullable();
      t.bigInteger('last_message_at').notNullable();
      t.bigInteger('created_at').notNullable();
      t.bigInteger('deleted_at').nullable();
      t.integer('deleted_by').unsigned().nullable();
      t.index(['forum_id', 'pinned', 'last_message_at']);
    });
    await db.schema.createTable(db.table('messages'), (t) => {
      t.increments('id');
      t.integer('topic_id').unsigned().notNullable();
      t.integer('forum_id').unsigned().notNullable();
      t.integer('author_id').unsigned().nullable();
      t.string('author_name', 255).notNullable();
      t.text('source', 'mediumtext').notNullable();
      t.text('html', 'mediumtext').notNullable();
      t.boolean('approved').notNullable().defaultTo(true);
      t.boolean('is_first').notNullable().defaultTo(false);
      t.bigInteger('created_at').notNullable();
      t.bigInteger('edited_at').nullable();
      t.integer('edited_by').unsigned().nullable();
      t.bigInteger('deleted_at').nullable();
      t.integer('deleted_by').unsigned().nullable();
      t.index(['topic_id', 'id']);
      t.index(['forum_id', 'approved']);
    });
  },
  async down(db) {
    for (const name of ['messages', 'topics', 'permissions', 'forums', 'categories']) await db.schema.dropTableIfExists(db.table(name));
  },
});
