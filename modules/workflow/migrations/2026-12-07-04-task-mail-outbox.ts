import { defineMigration } from '../../../core/modules/types.js';

/**
 * A task's WORKFLOW_TASK mail is still to be queued (set in the transaction that creates the task, cleared once the
 * mail is in the kernel's queue): the outbox that makes the mail survive a crash between the commit and the queueing.
 */
export default defineMigration({
  name: '2026-12-07-04-task-mail-outbox',
  async up(db) {
    await db.schema.alterTable(db.table('tasks'), (t) => {
      t.boolean('mail_pending').notNullable().defaultTo(false);
      t.index(['mail_pending', 'created_at']);
    });
  },
  async down(db) {
    await db.schema.alterTable(db.table('tasks'), (t) => {
      t.dropIndex(['mail_pending', 'created_at']);
      t.dropColumn('mail_pending');
    });
  },
});
