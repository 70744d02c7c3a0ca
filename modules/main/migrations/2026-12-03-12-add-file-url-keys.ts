import { defineMigration } from '../../../core/modules/types.js';
import { newUrlKey } from '../../../core/files/file-url.js';

/** A random key per stored file, part of its URL, so files cannot be found by counting ids; existing files get one. */
export default defineMigration({
  name: '2026-12-03-12-add-file-url-keys',
  async up(db) {
    await db.schema.alterTable(db.table('files'), (t) => {
      t.string('url_key', 32).notNullable().defaultTo('');
    });
    for (;;) {
      const ids = (await db.write('files').where({ url_key: '' }).orderBy('id').limit(500).pluck('id')) as unknown[];
      if (ids.length === 0) break;
      for (const id of ids) await db.write('files').where({ id }).update({ url_key: newUrlKey() });
    }
  },
  async down(db) {
    await db.schema.alterTable(db.table('files'), (t) => {
      t.dropColumn('url_key');
    });
  },
});
