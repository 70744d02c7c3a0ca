import { defineMigration } from '../../../core/modules/types.js';
import { searchTextOf } from '../../../core/users/user-queries.js';

/** Rewrites the search text of every user with ё folded into е (so Петр finds Пётр on SQLite too). */
export default defineMigration({
  name: '2026-12-04-23-fold-search-text',
  async up(db) {
    const rows = (await db.write('users').select('id', 'login', 'email', 'name', 'last_name', 'position')) as Record<string, unknown>[];
    for (const row of rows) await db.write('users').where({ id: row.id }).update({ search_text: searchTextOf(row) });
  },
  async down() {
    // The folded text finds everything the old one did; nothing to undo.
  },
});
