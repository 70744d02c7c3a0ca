import { defineMigration } from '../../../core/modules/types.js';
import { setSingleIndex } from '../storage/property-tables.js';

/**
 * Files an element drops are deleted once nothing references them (storage/file-refs.ts): a table of candidate
 * file ids, and indexes so "does any element still use file N" is an index lookup on pictures and on the
 * single-value file property columns (multiple values already have (property_id, value_int) indexed).
 */
export default defineMigration({
  name: '2026-12-02-02-track-element-files',
  async up(db) {
    await db.schema.createTable(db.table('file_candidates'), (t) => {
      t.integer('file_id').notNullable().primary();
      t.bigInteger('created_at').notNullable();
    });
    await db.schema.alterTable(db.table('elements'), (t) => {
      t.index(['preview_picture']);
      t.index(['detail_picture']);
    });
    const props = (await db.write('properties').where({ type: 'file', multiple: false, filterable: false }).select('id', 'iblock_id')) as Record<string, unknown>[];
    for (const p of props) await setSingleIndex(db, { id: Number(p.id), iblockId: Number(p.iblock_id), type: 'file' }, true);
  },
  async down(db) {
    const props = (await db.write('properties').where({ type: 'file', multiple: false, filterable: false }).select('id', 'iblock_id')) as Record<string, unknown>[];
    for (const p of props) await setSingleIndex(db, { id: Number(p.id), iblockId: Number(p.iblock_id), type: 'file' }, false);
    await db.schema.alterTable(db.table('elements'), (t) => {
      t.dropIndex(['preview_picture']);
      t.dropIndex(['detail_picture']);
    });
    await db.schema.dropTableIfExists(db.table('file_candidates'));
  },
});
