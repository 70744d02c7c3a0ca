import type { Page } from 'playwright-core';
import { readPage } from './visible-text.js';

/** Links of every menu: the top and left menus, the intranet theme's column, the admin menu, user links. */
const MENU_LINKS = '.topnav a, .leftnav a, .admin-nav a, .shell-sidebar a, .usermenu a, .site-footer a';

export interface CrawledPage {
  path: string;
  status: number;
  lang: string;
  texts: string[];
}

/** Paths never followed: sign-out, downloads, confirmation screens, previews. */
function followable(href: string): boolean {
  return href.startsWith('/') && !href.startsWith('//') && !/^\/(auth\/logout|upload)\//.test(href) && !/\/(delete|preview)\/$/.test(href);
}

/** `/admin/users/5/`, `/admin/users/6/?back=…` are the same screen: at most `perShape` of each are visited. */
function shapeOf(pathname: string): string {
  return pathname.replace(/\/\d+(?=\/)/g, '/:n');
}

/**
 * Visits every page the menus of `starts` link to, and the pages those link to from their
 * content (one level), once per link and at most `perShape` per screen (path without the
 * query, numbers as one); returns what each page showed.
 */
export async function crawlMenus(page: Page, starts: string[], opts: { perShape?: number; limit?: number } = {}): Promise<CrawledPage[]> {
  const perShape = opts.perShape ?? 1;
  const limit = opts.limit ?? 120;
  const seen = new Set<string>();
  const shapes = new Map<string, number>();
  const out: CrawledPage[] = [];
  const queue: { path: string; depth: number }[] = starts.map((p) => ({ path: p, depth: 0 }));
  while (queue.length && out.length < limit) {
    const { path, depth } = queue.shift()!;
    if (seen.has(path)) continue;
    seen.add(path);
    const shape = shapeOf(path.split('?')[0]!);
    if ((shapes.get(shape) ?? 0) >= perShape) continue;
    shapes.set(shape, (shapes.get(shape) ?? 0) + 1);
    const res = await page.goto(path, { waitUntil: 'domcontentloaded' });
    const { lang, texts } = await readPage(page);
    out.push({ path, status: res?.status() ?? 0, lang, texts });
    if (depth >= 2) continue;
    const selector = depth === 0 ? MENU_LINKS : `${MENU_LINKS}, main a[href]`;
    const hrefs = (await page.locator(selector).evaluateAll((els) => els.map((a) => (a as unknown as { getAttribute(n: string): string | null }).getAttribute('href') ?? ''))) as string[];
    for (const href of hrefs) {
      if (!followable(href)) continue;
      const clean = href.split('#')[0]!;
      if (!seen.has(clean)) queue.push({ path: clean, depth: depth + 1 });
    }
  }
  return out;
}
