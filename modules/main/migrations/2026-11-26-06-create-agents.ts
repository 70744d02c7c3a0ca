import { defineMigration } from '../../../core/modules/types.js';

export default defineMigration({
  name: '2026-11-26-06-create-agents',
  async up(db) {
    await db.schema.createTable(db.table('agents'), (t) => {
      t.increments('id');
      t.string('module', 64).notNullable();
      t.string('name', 100).notNullable();
      t.integer('interval_seconds').nullable();
      t.string('cron', 100).nullable();
      t.boolean('active').notNullable().defaultTo(true);
      t.bigInteger('next_run_at').notNullable().index();
      t.bigInteger('last_run_at').nullable();
      t.integer('last_duration_ms').nullable();
      t.text('last_error').nullable();
      t.integer('attempts').notNullable().defaultTo(0);
      t.string('lease_owner', 190).nullable();
      t.bigInteger('lease_until').nullable();
      t.unique(['module', 'name']);
    });
  },
  async down(db) {
    await db.schema.dropTableIfExists(db.table('agents'));
  },
});
