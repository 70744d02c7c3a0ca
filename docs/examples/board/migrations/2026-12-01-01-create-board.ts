import { defineMigration } from '../../../../core/modules/types.js';

export default defineMigration({
  name: '2026-12-01-01-create-board',
  async up(db) {
    await db.schema.createTable(db.table('sections'), (t) => {
      t.increments('id');
      t.string('title', 255).notNullable();
      t.integer('sort').notNullable().defaultTo(100);
    });
    await db.schema.createTable(db.table('topics'), (t) => {
      t.increments('id');
      t.integer('section_id').notNullable().index();
      t.string('title', 255).notNullable();
      t.text('body').notNullable();
      t.integer('views').notNullable().defaultTo(0);
      t.bigInteger('created_at').notNullable();
    });
  },
  async down(db) {
    await db.schema.dropTableIfExists(db.table('topics'));
    await db.schema.dropTableIfExists(db.table('sections'));
  },
});
