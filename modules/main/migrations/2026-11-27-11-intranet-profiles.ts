import { defineMigration } from '../../../core/modules/types.js';
import { searchTextOf } from '../../../core/users/user-queries.js';

/** Profile fields of users (position, department, phone, birthday, search text) and the department tree. */
export default defineMigration({
  name: '2026-11-27-11-intranet-profiles',
  async up(db) {
    await db.schema.createTable(db.table('departments'), (t) => {
      t.increments('id');
      t.integer('parent_id').nullable().index();
      t.string('name', 255).notNullable();
      t.integer('sort').notNullable().defaultTo(100);
      t.bigInteger('created_at').notNullable();
    });
    await db.schema.alterTable(db.table('users'), (t) => {
      t.string('position', 255).notNullable().defaultTo('');
      t.integer('department_id').nullable().index();
      t.string('phone', 50).notNullable().defaultTo('');
      t.string('birthday', 10).nullable(); // YYYY-MM-DD, a calendar date without a time zone
      t.string('search_text', 1000).notNullable().defaultTo(''); // lower-cased names for search in any script
    });
    const rows = (await db.write('users').select('id', 'login', 'email', 'name', 'last_name', 'position')) as Record<string, unknown>[];
    for (const row of rows) await db.write('users').where({ id: row.id }).update({ search_text: searchTextOf(row) });
  },
  async down(db) {
    await db.schema.alterTable(db.table('users'), (t) => {
      t.dropIndex(['department_id']);
      t.dropColumns('position', 'department_id', 'phone', 'birthday', 'search_text');
    });
    await db.schema.dropTableIfExists(db.table('departments'));
  },
});
