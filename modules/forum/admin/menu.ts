import type { AdminMenuEntry } from '../../../core/modules/types.js';

/**
 * The forum's entries in the admin side menu (Content). The queue has no operation: it shows in every admin frame,
 * also the one a moderator without the rest of the admin area sees on the queue; its screen checks who moderates.
 */
export const adminMenu: AdminMenuEntry[] = [
  { href: '/admin/forum/', title: { en: 'Forums', ru: 'Форумы' }, section: 'content', operation: 'forum.manage' },
  { href: '/admin/forum/permissions/', title: { en: 'Forum permissions', ru: 'Права на форумы' }, section: 'content', operation: 'forum.manage' },
  { href: '/admin/forum/moderation/', title: { en: 'Moderation queue', ru: 'Очередь модерации' }, section: 'content' },
  { href: '/admin/forum/bad-words/', title: { en: 'Bad words', ru: 'Нецензурные слова' }, section: 'content', operation: 'forum.manage' },
];
