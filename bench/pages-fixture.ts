import type { PageDefinition } from '../core/pages/types.js';

/** The three real, cached components the page benchmark places on its page. */
export const BENCH_COMPONENTS = ['main.company.stats', 'main.users.new', 'main.users.birthdays'];

/** A file page (no access operation of its own; the bench opens the portal to anonymous visitors) with the layout and the three components (main area and sidebar). */
export const BENCH_PAGE: PageDefinition = {
  path: '/bench/',
  title: 'Benchmark page',
  placements: [
    { component: 'main.company.stats' },
    { component: 'main.users.new', params: { limit: 6 } },
    { component: 'main.users.birthdays', params: { days: 14, limit: 8 }, area: 'sidebar' },
  ],
};
