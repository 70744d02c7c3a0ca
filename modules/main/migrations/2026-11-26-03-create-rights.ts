import { defineMigration } from '../../../core/modules/types.js';

export default defineMigration({
  name: '2026-11-26-03-create-rights',
  async up(db) {
    await db.schema.createTable(db.table('module_rights'), (t) => {
      t.string('module', 64).notNullable();
      t.integer('group_id').unsigned().notNullable().references('id').inTable(db.table('groups')).onDelete('CASCADE');
      t.string('level', 8).notNullable();
      t.primary(['module', 'group_id']);
    });
  },
  async down(db) {
    await db.schema.dropTableIfExists(db.table('module_rights'));
  },
});
