import { defineModule } from '../../core/modules/types.js';
import createLdap from './migrations/2026-12-03-01-create-ldap.js';
import runMessageDetail from './migrations/2026-12-03-02-run-message-detail.js';
import { createLdapApi, MANAGE, type LdapApi } from './api.js';
import { ldapCli } from './cli.js';
import { ldapAdminRoutes } from './admin/routes.js';
import en from './lang/en.js';
import ru from './lang/ru.js';

declare module '../../core/modules/types.js' {
  interface ModuleApis {
    ldap: LdapApi;
  }
}

/** Active Directory and OpenLDAP: sign-in, scheduled and manual sync of users, groups and departments. */
export default defineModule<LdapApi>({
  id: 'ldap',
  version: '0.1.0',
  title: { en: 'LDAP / Active Directory', ru: 'LDAP / Active Directory' },
  dependencies: { main: '^0.1.0' },
  migrations: [createLdap, runMessageDetail],
  rights: {
    levels: {
      D: { title: { en: 'No access', ru: 'Нет доступа' }, operations: [] },
      W: { title: { en: 'Manage directory servers', ru: 'Управление серверами каталога' }, operations: [MANAGE] },
    },
    defaultLevel: 'D',
    operations: { [MANAGE]: { en: 'Manage directory servers and syncs', ru: 'Управление серверами каталога и синхронизацией' } },
  },
  lang: { en, ru },
  setup: (ctx) => createLdapApi(ctx),
  routes: (router, ctx) => ldapAdminRoutes(router, ctx),
  admin: {
    menu: [
      { href: '/admin/ldap/', title: { en: 'LDAP / AD servers', ru: 'Серверы LDAP / AD' }, section: 'people', operation: MANAGE },
      { href: '/admin/ldap/runs/', title: { en: 'LDAP sync log', ru: 'Журнал синхронизации LDAP' }, section: 'people', operation: MANAGE },
    ],
  },
  // Checks every 5 minutes which servers are due (each has its own interval); a run holds a cluster lock.
  agents: (ctx) => [{ name: 'sync', interval: 300, maxAttempts: 1, run: async () => void (await ctx.kernel.api('ldap').syncDue()) }],
  cli: ldapCli,
});
