import { defineMigration } from '../../../core/modules/types.js';

/**
 * The mapping table of the cloud import: which box object each cloud record became, the hash of the record as last
 * imported (a re-run leaves an unchanged record alone) and the references it could not resolve yet ("entity:id"
 * separated by spaces; such a record is taken again once one of them exists).
 */
export default defineMigration({
  name: '2026-12-04-01-create-map',
  async up(db) {
    await db.schema.createTable(db.table('map'), (t) => {
      t.string('entity', 40).notNullable();
      t.string('cloud_id', 64).notNullable();
      t.string('box_id', 64).notNullable();
      t.string('hash', 64).notNullable();
      t.text('missing').notNullable();
      t.bigInteger('updated_at').notNullable();
      t.primary(['entity', 'cloud_id']);
      t.index(['entity', 'box_id']);
    });
  },
  async down(db) {
    await db.schema.dropTableIfExists(db.table('map'));
  },
});
