import { defineMigration } from '../../../core/modules/types.js';
import { coreErrors } from '../../../core/errors/codes.js';

const INDEX = 'main_users_email_unique';

/**
 * One user per e-mail address, compared case-insensitively: a unique index (on SQLite with NOCASE; the
 * MariaDB column's utf8mb4_unicode_ci collation already ignores case). Addresses that several users share
 * already are reported by address and login instead of a bare "duplicate key" failure, and nothing changes
 * until they are fixed (in /admin/users/ or with `portal user`); then `portal migrate up` again.
 * Keep this the last migration of its batch: it is the one that may stop.
 */
export default defineMigration({
  name: '2026-12-04-24-unique-user-emails',
  async up(db) {
    const users = db.table('users');
    const rows = (await db.write('users').select('login', 'email').orderBy('id')) as { login: string; email: string }[];
    const byEmail = new Map<string, string[]>();
    for (const r of rows) byEmail.set(String(r.email).toLowerCase(), [...(byEmail.get(String(r.email).toLowerCase()) ?? []), String(r.login)]);
    const shared = [...byEmail].filter(([, logins]) => logins.length > 1);
    if (shared.length > 0) {
      const list = shared.slice(0, 20).map(([email, logins]) => `${email} (${logins.join(', ')})`).join('; ');
      throw coreErrors.MIGRATION_FAILED(
        `Each user needs an e-mail address of their own, but ${shared.length} address${shared.length === 1 ? ' is' : 'es are'} shared: ${list}${shared.length > 20 ? '; …' : ''}. ` +
          'Give these users different addresses (in /admin/users/ or with `portal user`), then run `portal migrate up` again.',
      );
    }
    if (db.dialect === 'sqlite') await db.raw(`CREATE UNIQUE INDEX ${INDEX} ON ${users} (email COLLATE NOCASE)`);
    else await db.raw(`ALTER TABLE ${users} ADD UNIQUE INDEX ${INDEX} (email)`);
  },
  async down(db) {
    if (db.dialect === 'sqlite') await db.raw(`DROP INDEX IF EXISTS ${INDEX}`);
    else await db.raw(`ALTER TABLE ${db.table('users')} DROP INDEX ${INDEX}`);
  },
});
