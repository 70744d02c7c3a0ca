import { defineMigration } from '../../../core/modules/types.js';

/**
 * Bitrix's classic workflow for infoblock elements: statuses with group rights (move into, edit in), the state of
 * each document (status, draft copy of a published element, edit lock) and every version for the history.
 */
export default defineMigration({
  name: '2026-12-03-02-create-document-statuses',
  async up(db) {
    await db.schema.createTable(db.table('statuses'), (t) => {
      t.increments('id');
      t.string('code', 50).notNullable().unique();
      t.string('name_en', 200).notNullable();
      t.string('name_ru', 200).notNullable();
      t.integer('sort').notNullable().defaultTo(100);
      t.boolean('published').notNullable().defaultTo(false);
    });
    await db.schema.createTable(db.table('status_rights'), (t) => {
      t.integer('status_id').notNullable();
      t.integer('group_id').notNullable();
      t.boolean('can_move').notNullable().defaultTo(false);
      t.boolean('can_edit').notNullable().defaultTo(false);
      t.primary(['status_id', 'group_id']);
    });
    await db.schema.createTable(db.table('doc_states'), (t) => {
      t.string('document_type', 100).notNullable();
      t.string('document_id', 100).notNullable();
      t.integer('status_id').notNullable();
      t.boolean('live_published').notNullable().defaultTo(false);
      t.text('draft', 'mediumtext').nullable();
      t.integer('locked_by').nullable();
      t.bigInteger('locked_until').nullable();
      t.integer('modified_by').nullable();
      t.bigInteger('modified_at').notNullable();
      t.integer('version').notNullable().defaultTo(0);
      t.primary(['document_type', 'document_id']);
    });
    await db.schema.createTable(db.table('versions'), (t) => {
      t.increments('id');
      t.string('document_type', 100).notNullable();
      t.string('document_id', 100).notNullable();
      t.integer('number').notNullable();
      t.integer('status_id').notNullable();
      t.string('kind', 20).notNullable();
      t.text('data', 'mediumtext').notNullable();
      t.integer('created_by').nullable();
      t.bigInteger('created_at').notNullable();
      t.unique(['document_type', 'document_id', 'number']);
    });
  },
  async down(db) {
    for (const name of ['versions', 'doc_states', 'status_rights', 'statuses']) await db.schema.dropTableIfExists(db.table(name));
  },
});
