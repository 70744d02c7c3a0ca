import { defineMigration } from '../../../core/modules/types.js';

/**
 * An optional idempotency key per queued message (`mail.send(..., { key })`): a sender that may run the same send
 * twice (a workflow step interrupted by a crash) queues it once. NULL keys (every other send) do not collide.
 */
export default defineMigration({
  name: '2026-12-06-26-mail-queue-keys',
  async up(db) {
    await db.schema.alterTable(db.table('mail_queue'), (t) => {
      t.string('dedupe_key', 190).nullable().unique('main_mail_queue_dedupe_uq');
    });
  },
  async down(db) {
    await db.schema.alterTable(db.table('mail_queue'), (t) => {
      t.dropUnique(['dedupe_key'], 'main_mail_queue_dedupe_uq');
      t.dropColumn('dedupe_key');
    });
  },
});
