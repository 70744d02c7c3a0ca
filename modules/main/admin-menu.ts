import type { AdminMenuEntry, AdminMenuSection } from '../../core/modules/types.js';
import en from './lang/en-admin.js';
import ru from './lang/ru-admin.js';

const entry = (section: AdminMenuSection, href: string, key: string): AdminMenuEntry => ({
  href,
  title: { en: en[key]!, ru: ru[key]! },
  section,
  operation: 'main.admin.view',
});

/** Main's screens in the admin side menu; other modules add theirs through their own manifests. */
export const adminMenu: AdminMenuEntry[] = [
  entry('overview', '/admin/', 'ADM_DASHBOARD'),
  entry('content', '/admin/pages/', 'ADM_PAGES'),
  entry('content', '/admin/menus/', 'ADM_MENUS'),
  entry('content', '/admin/components/', 'ADM_COMPONENTS'),
  entry('content', '/admin/sites/', 'ADM_SITES'),
  entry('content', '/admin/templates/', 'ADM_TEMPLATES'),
  entry('people', '/admin/users/', 'ADM_USERS'),
  entry('people', '/admin/groups/', 'ADM_GROUPS'),
  entry('people', '/admin/rights/', 'ADM_RIGHTS'),
  entry('system', '/admin/modules/', 'ADM_MODULES'),
  entry('system', '/admin/settings/', 'ADM_SETTINGS'),
  entry('system', '/admin/cache/', 'ADM_CACHE'),
  entry('system', '/admin/agents/', 'ADM_AGENTS'),
  entry('system', '/admin/mail/', 'ADM_MAIL'),
  entry('system', '/admin/mail/queue/', 'ADM_MAIL_QUEUE'),
  entry('system', '/admin/security/', 'ADM_SECURITY'),
];
