import { defineMigration } from '../../../core/modules/types.js';

/** A department may have a head: a user (null when none). */
export default defineMigration({
  name: '2026-12-04-21-department-heads',
  async up(db) {
    await db.schema.alterTable(db.table('departments'), (t) => {
      t.integer('head_user_id').nullable().index();
    });
  },
  async down(db) {
    await db.schema.alterTable(db.table('departments'), (t) => {
      t.dropIndex(['head_user_id']);
      t.dropColumn('head_user_id');
    });
  },
});
