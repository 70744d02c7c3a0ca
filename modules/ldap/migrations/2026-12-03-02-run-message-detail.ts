import { defineMigration } from '../../../core/modules/types.js';

/**
 * The reason of a run's message as data (JSON `{ reason, ...params }`), so the sync log shows
 * it in the reader's language; `message` keeps the English line for the CLI and the JSON API.
 */
export default defineMigration({
  name: '2026-12-03-02-run-message-detail',
  async up(db) {
    await db.schema.alterTable(db.table('runs'), (t) => {
      t.text('message_detail').nullable();
    });
  },
  async down(db) {
    await db.schema.alterTable(db.table('runs'), (t) => {
      t.dropColumn('message_detail');
    });
  },
});
