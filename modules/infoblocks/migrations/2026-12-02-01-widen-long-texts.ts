import { defineMigration } from '../../../core/modules/types.js';
import { LONG_TEXT } from '../storage/property-tables.js';
import { multiTable, singleColumn, singleTable } from '../storage/value-columns.js';

/**
 * Preview/detail texts and HTML property values may hold up to MAX_TEXT_LENGTH characters, but
 * MariaDB's TEXT stops at 64 KB: widen them to MEDIUMTEXT, in the fixed tables and in every
 * existing per-infoblock table. SQLite's TEXT has no limit, so there is nothing to do there.
 */
export default defineMigration({
  name: '2026-12-02-01-widen-long-texts',
  async up(db) {
    if (db.dialect !== 'mysql') return;
    await db.schema.alterTable(db.table('elements'), (t) => {
      t.text('preview_text', LONG_TEXT).notNullable().alter();
      t.text('detail_text', LONG_TEXT).notNullable().alter();
    });
    for (const id of ((await db.write('iblocks').pluck('id')) as unknown[]).map(Number)) {
      await db.schema.alterTable(db.table(multiTable(id)), (t) => void t.text('value_text', LONG_TEXT).nullable().alter());
    }
    const htmlProps = (await db.write('properties').where({ type: 'html', multiple: false }).select('id', 'iblock_id')) as { id: unknown; iblock_id: unknown }[];
    for (const p of htmlProps) {
      await db.schema.alterTable(db.table(singleTable(Number(p.iblock_id))), (t) => void t.text(singleColumn(Number(p.id)), LONG_TEXT).nullable().alter());
    }
  },
  // Narrowing back could cut stored texts; the wider columns stay.
  async down() {},
});
