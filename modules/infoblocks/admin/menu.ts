import type { AdminMenuEntry } from '../../../core/modules/types.js';

/** The module's entries in the admin side menu (Content). */
export const adminMenu: AdminMenuEntry[] = [
  { href: '/admin/infoblocks/', title: { en: 'Infoblocks', ru: 'Инфоблоки' }, section: 'content', operation: 'main.admin.view' },
  { href: '/admin/infoblocks/types/', title: { en: 'Infoblock types', ru: 'Типы инфоблоков' }, section: 'content', operation: 'main.admin.view' },
];
