import { defineMigration } from '../../../core/modules/types.js';

export default defineMigration({
  name: '__MIGRATION__',
  async up(db) {
    await db.schema.createTable(db.table('items'), (t) => {
      t.increments('id');
      t.string('title', 255).notNullable();
      t.bigInteger('created_at').notNullable();
    });
  },
  async down(db) {
    await db.schema.dropTableIfExists(db.table('items'));
  },
});
