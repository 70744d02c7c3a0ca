import { defineMigration } from '../../../core/modules/types.js';

/**
 * Full-text search over `search_text` (the message's words stemmed, see search-text.ts): a FULLTEXT index on MariaDB,
 * an FTS5 table keyed by the message id on SQLite.
 */
export default defineMigration({
  name: '2026-12-03-04-add-search',
  transaction: false,
  async up(db) {
    await db.schema.alterTable(db.table('messages'), (t) => {
      t.text('search_text', 'mediumtext').nullable();
    });
    if (db.dialect === 'sqlite') await db.raw(`CREATE VIRTUAL TABLE ${db.table('search')} USING fts5(search_text, tokenize = 'unicode61')`);
    else await db.raw(`ALTER TABLE ${db.table('messages')} ADD FULLTEXT INDEX ${db.table('messages_search')} (search_text)`);
  },
  async down(db) {
    if (db.dialect === 'sqlite') await db.raw(`DROP TABLE IF EXISTS ${db.table('search')}`);
    else await db.raw(`ALTER TABLE ${db.table('messages')} DROP INDEX ${db.table('messages_search')}`);
    await db.schema.alterTable(db.table('messages'), (t) => {
      t.dropColumn('search_text');
    });
  },
});
