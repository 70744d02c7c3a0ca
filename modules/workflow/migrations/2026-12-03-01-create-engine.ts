import { defineMigration } from '../../../core/modules/types.js';

/**
 * Business processes: templates, running instances (state as JSON, a version for optimistic writes and a lease for
 * the one process that advances it), approval rounds (the row two deciders lock), tasks per person, timers for delays
 * and deadlines, and the tracking log.
 */
export default defineMigration({
  name: '2026-12-03-01-create-engine',
  async up(db) {
    await db.schema.createTable(db.table('templates'), (t) => {
      t.increments('id');
      t.string('code', 64).notNullable().unique();
      t.string('name', 200).notNullable();
      t.string('document_type', 100).notNullable();
      t.string('document_scope', 100).nullable();
      t.boolean('start_on_create').notNullable().defaultTo(false);
      t.boolean('start_on_edit').notNullable().defaultTo(false);
      t.boolean('active').notNullable().defaultTo(true);
      t.text('definition', 'mediumtext').notNullable();
      t.integer('version').notNullable().defaultTo(1);
      t.bigInteger('created_at').notNullable();
      t.bigInteger('modified_at').notNullable();
      t.index(['document_type', 'active']);
    });
    await db.schema.createTable(db.table('instances'), (t) => {
      t.increments('id');
      t.integer('template_id').notNullable();
      t.text('definition', 'mediumtext').notNullable();
      t.string('document_type', 100).notNullable();
      t.string('document_id', 100).notNullable();
      t.string('document_title', 300).notNullable().defaultTo('');
      t.string('status', 20).notNullable();
      t.text('state', 'mediumtext').notNullable();
      t.integer('version').notNullable().defaultTo(0);
      t.boolean('needs_run').notNullable().defaultTo(false);
      t.string('lease_owner', 100).nullable();
      t.bigInteger('lease_until').nullable();
      t.integer('started_by').nullable();
      t.bigInteger('started_at').notNullable();
      t.bigInteger('finished_at').nullable();
      t.string('error', 2000).nullable();
      t.index(['document_type', 'document_id']);
      t.index(['status', 'needs_run']);
      t.index(['template_id']);
    });
    await db.schema.createTable(db.table('rounds'), (t) => {
      t.increments('id');
      t.integer('instance_id').notNullable();
      t.string('activity', 64).notNullable();
      t.string('kind', 20).notNullable();
      t.string('quorum', 50).notNullable();
      t.string('outcome', 20).nullable();
      t.boolean('escalated').notNullable().defaultTo(false);
      t.integer('version').notNullable().defaultTo(0);
      t.bigInteger('created_at').notNullable();
      t.bigInteger('decided_at').nullable();
      t.index(['instance_id']);
    });
    await db.schema.createTable(db.table('tasks'), (t) => {
      t.increments('id');
      t.integer('instance_id').notNullable();
      t.integer('round_id').notNullable();
      t.string('kind', 20).notNullable();
      t.string('title', 300).notNullable();
      t.text('description').nullable();
      t.text('fields').nullable();
      t.integer('user_id').notNullable();
      t.string('status', 20).notNullable();
      t.string('decision', 20).nullable();
      t.text('comment').nullable();
      t.text('values').nullable();
      t.bigInteger('created_at').notNullable();
      t.bigInteger('deadline_at').nullable();
      t.bigInteger('completed_at').nullable();
      t.index(['user_id', 'status', 'created_at']);
      t.index(['round_id']);
      t.index(['instance_id']);
    });
    await db.schema.createTable(db.table('timers'), (t) => {
      t.increments('id');
      t.integer('instance_id').notNullable();
      t.string('kind', 20).notNullable();
      t.integer('round_id').nullable();
      t.string('activity', 64).notNullable();
      t.bigInteger('due_at').notNullable();
      t.string('status', 20).notNullable();
      t.index(['status', 'due_at']);
      t.index(['instance_id']);
    });
    await db.schema.createTable(db.table('log'), (t) => {
      t.increments('id');
      t.integer('instance_id').notNullable();
      t.bigInteger('at').notNullable();
      t.integer('user_id').nullable();
      t.string('activity', 64).nullable();
      t.string('action', 50).notNullable();
      t.string('note', 2000).notNullable().defaultTo('');
      t.index(['instance_id', 'id']);
    });
  },
  async down(db) {
    for (const name of ['log', 'timers', 'tasks', 'rounds', 'instances', 'templates']) await db.schema.dropTableIfExists(db.table(name));
  },
});
