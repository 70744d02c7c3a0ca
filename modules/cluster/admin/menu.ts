import type { AdminMenuEntry } from '../../../core/modules/types.js';

export const adminMenu: AdminMenuEntry[] = [{ href: '/admin/cluster/', title: { en: 'Cluster', ru: 'Кластер' }, section: 'system', operation: 'cluster.manage' }];
