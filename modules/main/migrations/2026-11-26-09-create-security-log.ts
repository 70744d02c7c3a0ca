import { defineMigration } from '../../../core/modules/types.js';

export default defineMigration({
  name: '2026-11-26-09-create-security-log',
  async up(db) {
    await db.schema.createTable(db.table('security_log'), (t) => {
      t.increments('id');
      t.string('event', 64).notNullable().index(); // login.success | login.failed | login.locked | access.denied | ...
      t.integer('user_id').nullable();
      t.string('login', 50).nullable();
      t.string('ip', 64).notNullable().defaultTo('');
      t.text('details').nullable(); // JSON
      t.bigInteger('created_at').notNullable().index();
    });
  },
  async down(db) {
    await db.schema.dropTableIfExists(db.table('security_log'));
  },
});
