import { defineMigration } from '../../../core/modules/types.js';

export default defineMigration({
  name: '2026-11-26-04-create-sessions',
  async up(db) {
    await db.schema.createTable(db.table('sessions'), (t) => {
      t.string('id_hash', 64).primary(); // sha256 of the cookie value; the id itself is never stored
      t.integer('user_id').unsigned().nullable().index();
      t.string('csrf_token', 64).notNullable();
      t.text('data').notNullable();
      t.string('ip', 64).notNullable().defaultTo('');
      t.string('user_agent', 255).notNullable().defaultTo('');
      t.bigInteger('created_at').notNullable();
      t.bigInteger('last_seen_at').notNullable();
      t.bigInteger('expires_at').notNullable().index();
    });
  },
  async down(db) {
    await db.schema.dropTableIfExists(db.table('sessions'));
  },
});
