import { defineMigration } from '../../../core/modules/types.js';

/**
 * Sign-in throttling per login and client (core/users/login-guard.ts): which client an
 * attempt came from ("ip:<address>" or "d:<device id>"), indexed for the streak of one
 * client and for the addresses a login signed in from. Logins are keyed lower-cased now.
 */
export default defineMigration({
  name: '2026-12-04-20-login-throttle',
  async up(db) {
    await db.schema.alterTable(db.table('login_attempts'), (t) => {
      t.string('client', 80).notNullable().defaultTo('');
      t.index(['login', 'client', 'id'], 'main_login_attempts_client_idx');
      t.index(['login', 'ip'], 'main_login_attempts_login_ip_idx');
    });
    const client = db.dialect === 'mysql' ? "CONCAT('ip:', ip)" : "'ip:' || ip";
    await db.write('login_attempts').update({ client: db.raw(client), login: db.raw('LOWER(login)') });
  },
  async down(db) {
    await db.schema.alterTable(db.table('login_attempts'), (t) => {
      t.dropIndex(['login', 'client', 'id'], 'main_login_attempts_client_idx');
      t.dropIndex(['login', 'ip'], 'main_login_attempts_login_ip_idx');
      t.dropColumn('client');
    });
  },
});
