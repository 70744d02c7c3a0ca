import { defineMigration } from '../../../core/modules/types.js';

/** The day (site calendar, YYYY-MM-DD) each user last got the daily digest: at most one digest per user per day. */
export default defineMigration({
  name: '2026-12-03-20-create-digests',
  async up(db) {
    await db.schema.createTable(db.table('digests'), (t) => {
      t.integer('user_id').unsigned().notNullable().primary();
      t.string('last_day', 10).notNullable();
    });
  },
  async down(db) {
    await db.schema.dropTableIfExists(db.table('digests'));
  },
});
