import { defineMigration } from '../../../core/modules/types.js';

/**
 * The shared registry of cluster nodes (cluster_nodes) and its epoch (cluster_epoch, one row), bumped in the
 * same transaction as every change so a node notices a change by polling one number.
 */
export default defineMigration({
  name: '2026-12-04-01-create-cluster',
  async up(db) {
    await db.schema.createTable(db.table('nodes'), (t) => {
      t.increments('id');
      t.string('kind', 16).notNullable();
      t.string('address', 255).notNullable();
      t.integer('weight').notNullable().defaultTo(100);
      t.string('state', 16).notNullable();
      t.string('reason', 255).nullable();
      t.text('info').notNullable();
      t.bigInteger('created_at').notNullable();
      t.bigInteger('updated_at').notNullable();
      t.unique(['kind', 'address']);
    });
    await db.schema.createTable(db.table('epoch'), (t) => {
      t.integer('id').primary();
      t.bigInteger('epoch').notNullable();
    });
    await db.write('epoch').insert({ id: 1, epoch: 1 });
  },
  async down(db) {
    await db.schema.dropTableIfExists(db.table('epoch'));
    await db.schema.dropTableIfExists(db.table('nodes'));
  },
});
