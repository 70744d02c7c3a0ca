import { defineMigration } from '../../../core/modules/types.js';

export default defineMigration({
  name: '2026-11-26-01-create-sites',
  async up(db) {
    await db.schema.createTable(db.table('sites'), (t) => {
      t.string('id', 32).primary();
      t.string('name', 255).notNullable();
      t.text('domains').notNullable(); // JSON array of host names
      t.string('language', 8).notNullable().defaultTo('en');
      t.string('dir', 255).notNullable().defaultTo('/');
      t.string('template', 64).notNullable().defaultTo('.default');
      t.integer('sort').notNullable().defaultTo(100);
      t.boolean('is_default').notNullable().defaultTo(false);
      t.boolean('active').notNullable().defaultTo(true);
      t.bigInteger('created_at').notNullable();
    });
  },
  async down(db) {
    await db.schema.dropTableIfExists(db.table('sites'));
  },
});
