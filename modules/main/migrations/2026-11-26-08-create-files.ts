import { defineMigration } from '../../../core/modules/types.js';

export default defineMigration({
  name: '2026-11-26-08-create-files',
  async up(db) {
    await db.schema.createTable(db.table('files'), (t) => {
      t.increments('id');
      t.string('module', 64).notNullable().index();
      t.string('storage', 32).notNullable().defaultTo('local');
      t.string('path', 500).notNullable(); // relative to the storage root
      t.string('original_name', 255).notNullable();
      t.string('name', 255).notNullable(); // made safe
      t.bigInteger('size').notNullable();
      t.string('mime_type', 255).notNullable();
      t.string('checksum', 64).notNullable(); // sha256 hex
      t.integer('created_by').nullable();
      t.bigInteger('created_at').notNullable();
    });
  },
  async down(db) {
    await db.schema.dropTableIfExists(db.table('files'));
  },
});
