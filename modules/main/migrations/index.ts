import type { Migration } from '../../../core/modules/types.js';
import createSites from './2026-11-26-01-create-sites.js';
import createUsersGroups from './2026-11-26-02-create-users-groups.js';
import createRights from './2026-11-26-03-create-rights.js';
import createSessions from './2026-11-26-04-create-sessions.js';
import createOptions from './2026-11-26-05-create-options.js';
import createAgents from './2026-11-26-06-create-agents.js';
import createMail from './2026-11-26-07-create-mail.js';
import createFiles from './2026-11-26-08-create-files.js';
import createSecurityLog from './2026-11-26-09-create-security-log.js';
import createPagesMenus from './2026-11-27-10-create-pages-menus.js';
import intranetProfiles from './2026-11-27-11-intranet-profiles.js';
import siteTimeZone from './2026-12-03-01-site-time-zone.js';
import addFileUrlKeys from './2026-12-03-12-add-file-url-keys.js';
import loginThrottle from './2026-12-04-20-login-throttle.js';
import departmentHeads from './2026-12-04-21-department-heads.js';
import serviceAccounts from './2026-12-04-22-service-accounts.js';
import foldSearchText from './2026-12-04-23-fold-search-text.js';
import uniqueUserEmails from './2026-12-04-24-unique-user-emails.js';
import accountTokens from './2026-12-05-25-account-tokens.js';
import mailQueueKeys from './2026-12-06-26-mail-queue-keys.js';

export const migrations: Migration[] = [
  createSites,
  createUsersGroups,
  createRights,
  createSessions,
  createOptions,
  createAgents,
  createMail,
  createFiles,
  createSecurityLog,
  createPagesMenus,
  intranetProfiles,
  siteTimeZone,
  addFileUrlKeys,
  loginThrottle,
  departmentHeads,
  serviceAccounts,
  foldSearchText,
  // The one that may stop on existing data (shared e-mail addresses) comes last.
  uniqueUserEmails,
  accountTokens,
  mailQueueKeys,
];
