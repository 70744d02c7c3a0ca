import { defineMigration } from '../../../core/modules/types.js';

/** A round's escalation level (0: its first assignees; n: the n-th level of its deadline's `escalate` list). */
export default defineMigration({
  name: '2026-12-06-03-escalation-levels',
  async up(db) {
    await db.schema.alterTable(db.table('rounds'), (t) => {
      t.integer('escalation_level').notNullable().defaultTo(0);
    });
    await db.write('rounds').where({ escalated: true }).update({ escalation_level: 1 });
  },
  async down(db) {
    await db.schema.alterTable(db.table('rounds'), (t) => {
      t.dropColumn('escalation_level');
    });
  },
});
