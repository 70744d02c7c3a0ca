import type { Kernel } from '../core/kernel.js';
import type { SiteInfo } from '../core/http/state.js';
import { newPlacement } from '../core/pages/page-store.js';
import { pagesOf } from '../core/pages/services.js';
import type { Placement } from '../core/pages/types.js';
import { NEWS_TEXTS } from './demo-news-content.js';

/** The news block the demo puts on the home page (after the welcome box). */
export const HOME_NEWS_PARAMS = { iblock: 'news', pageSize: 4, paging: false, sortBy: 'ACTIVE_FROM', sortOrder: 'DESC', allLink: true, properties: 'IMPORTANCE' };

/** The demo's /news/ page: the catalog with its sections menu and filter form. */
export const NEWS_CATALOG_PARAMS = { iblock: 'news', pageSize: 5, sortBy: 'ACTIVE_FROM', sortOrder: 'DESC', filterName: 'nf', sectionCounts: true, listProperties: 'SOURCE,IMPORTANCE' };

/**
 * Pages for the demo news, as an administrator would build them in the page builder (so
 * they can be edited or removed there), on the default site:
 * - `/news/`: a DB page with infoblocks.catalog;
 * - `/`: a DB page over main's home page, with the same placements plus the latest news;
 * - a "News" item in the top and left menus.
 * A page an administrator already made on either path is left alone, so running this
 * again changes nothing. Returns the paths it created.
 */
export async function installNewsPages(kernel: Kernel, site: SiteInfo, lang: 'en' | 'ru'): Promise<string[]> {
  const { store, files, menus } = pagesOf(kernel);
  const texts = NEWS_TEXTS[lang];
  const existing = new Set((await store.list(site.id)).map((p) => p.path));
  const created: string[] = [];

  if (!existing.has('/news/')) {
    await publish(kernel, site.id, '/news/', texts.iblock, 'main.portal.view', [newPlacement({ component: 'infoblocks.catalog', params: NEWS_CATALOG_PARAMS })]);
    created.push('/news/');
  }
  const home = files.find(site.id, '/', lang);
  if (!existing.has('/') && home) {
    const news = newPlacement({ component: 'infoblocks.list', params: HOME_NEWS_PARAMS, area: 'main' });
    const welcome = home.placements.findIndex((p) => p.component === 'main.welcome');
    const placements = home.placements.map((p) => newPlacement(p));
    placements.splice(welcome + 1, 0, news);
    await publish(kernel, site.id, '/', home.title, home.access, placements, home.template);
    created.push('/');
  }
  for (const menu of ['top', 'left'] as const) {
    const items = await menus.effective(site.id, menu);
    if (items.some((i) => i.href === '/news/')) continue;
    const own = (await menus.stored(site.id, menu)).length > 0;
    await menus.create({ siteId: own ? site.id : '*', menu, label: { en: 'News', ru: 'Новости' }, href: '/news/', sort: 15, operation: 'main.portal.view' });
  }
  return created;
}

async function publish(kernel: Kernel, siteId: string, path: string, title: string, access: string | null, placements: Placement[], template: string | null = null): Promise<void> {
  const { store } = pagesOf(kernel);
  const page = await store.create({ siteId, path, title, access, template });
  await store.saveDraft(page.id, { title, template, access, placements });
  await store.publish(page.id);
}
