import { defineMigration } from '../../../../core/modules/types.js';

export default defineMigration({
  name: '2026-11-26-01-create-notes',
  async up(db) {
    await db.schema.createTable(db.table('notes'), (t) => {
      t.increments('id');
      t.integer('author_id').notNullable().index();
      t.string('title', 200).notNullable();
      t.text('body').notNullable();
      t.bigInteger('created_at').notNullable();
    });
  },
  async down(db) {
    await db.schema.dropTableIfExists(db.table('notes'));
  },
});
