import { defineMigration } from '../../../core/modules/types.js';

/** A time zone per site (IANA name); null shows times in the server's zone. */
export default defineMigration({
  name: '2026-12-03-01-site-time-zone',
  async up(db) {
    await db.schema.alterTable(db.table('sites'), (t) => {
      t.string('time_zone', 64).nullable();
    });
  },
  async down(db) {
    await db.schema.alterTable(db.table('sites'), (t) => {
      t.dropColumn('time_zone');
    });
  },
});
