import { defineMigration } from '../../../core/modules/types.js';

/** Files attached to messages: the kernel file (main_files) by id, with the name and size shown beside the message. */
export default defineMigration({
  name: '2026-12-03-12-add-attachments',
  async up(db) {
    await db.schema.createTable(db.table('attachments'), (t) => {
      t.increments('id');
      t.integer('message_id').unsigned().notNullable().index();
      t.integer('file_id').unsigned().notNullable().unique();
      t.string('name', 255).notNullable();
      t.string('mime_type', 200).notNullable();
      t.bigInteger('size').notNullable();
      t.bigInteger('created_at').notNullable();
    });
  },
  async down(db) {
    await db.schema.dropTableIfExists(db.table('attachments'));
  },
});
