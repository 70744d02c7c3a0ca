import { defineMigration } from '../../../core/modules/types.js';

export default defineMigration({
  name: '2026-11-26-05-create-options',
  async up(db) {
    await db.schema.createTable(db.table('options'), (t) => {
      t.string('module', 64).notNullable();
      t.string('name', 100).notNullable();
      t.string('site_id', 32).notNullable().defaultTo(''); // '' = every site
      t.text('value').notNullable(); // JSON
      t.bigInteger('updated_at').notNullable();
      t.primary(['module', 'name', 'site_id']);
    });
  },
  async down(db) {
    await db.schema.dropTableIfExists(db.table('options'));
  },
});
