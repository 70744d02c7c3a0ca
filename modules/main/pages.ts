import type { PageDefinition } from '../../core/pages/types.js';

/**
 * File pages of the main module (docs/pages.md). The home page is the dashboard built
 * from the intranet components. Module routes answer before pages, so this page shows
 * once no module route claims "/" (routes/home.ts answers it today).
 */
export const pages: PageDefinition[] = [
  {
    path: '/',
    title: { en: 'Home', ru: 'Главная' },
    access: 'main.portal.view',
    placements: [
      { component: 'main.welcome', area: 'main' },
      { component: 'main.users.new', params: { limit: 6 }, area: 'main' },
      { component: 'main.company.stats', area: 'sidebar' },
      { component: 'main.users.birthdays', params: { days: 14 }, area: 'sidebar' },
    ],
  },
];
