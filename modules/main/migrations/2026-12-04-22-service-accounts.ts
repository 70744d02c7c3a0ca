import { defineMigration } from '../../../core/modules/types.js';

/** Whether a user is a person of the company (listed as a colleague) or a service account (false). */
export default defineMigration({
  name: '2026-12-04-22-service-accounts',
  async up(db) {
    await db.schema.alterTable(db.table('users'), (t) => {
      t.boolean('employee').notNullable().defaultTo(true);
    });
  },
  async down(db) {
    await db.schema.alterTable(db.table('users'), (t) => {
      t.dropColumn('employee');
    });
  },
});
