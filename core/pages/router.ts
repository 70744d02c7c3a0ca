import type { Next, ParameterizedContext } from 'koa';
import type { Kernel } from '../kernel.js';
import type { PortalState } from '../http/state.js';
import type { Views } from '../http/views.js';
import { checkRight, PORTAL_VIEW } from '../http/guards.js';
import { complexRouteMatches, ownsSubtree, renderPage } from './page-renderer.js';
import { allowPageCache } from '../http/page-cache.js';
import { parentPaths } from './paths.js';
import { pagesOf } from './services.js';
import type { ResolvedPage } from './types.js';

type Ctx = ParameterizedContext<PortalState>;

export interface PageMatch {
  page: ResolvedPage;
  /** The part of the URL below the page (only for pages with a complex component). */
  subPath: string;
}

/**
 * The page for a site and URL path: an exact page (a DB page wins over a file page on
 * the same path), else the nearest parent page that has a complex component.
 */
export async function findPage(kernel: Kernel, siteId: string, path: string, language: string): Promise<PageMatch | null> {
  const { store, files } = pagesOf(kernel);
  const db = await store.published(siteId);
  const at = (p: string) => (Object.hasOwn(db, p) ? db[p]! : files.find(siteId, p, language));
  const exact = at(path);
  if (exact) return { page: exact, subPath: '' };
  for (const parent of parentPaths(path)) {
    const page = at(parent);
    if (page && ownsSubtree(kernel, page)) return { page, subPath: path.slice(parent.length) };
  }
  return null;
}

/** Whether a page (or a complex component's route below one) answers a GET of `path` on the request's site. */
export async function pageAnswers(kernel: Kernel, ctx: Ctx, path: string): Promise<boolean> {
  if (!ctx.state.site) return false;
  const match = await findPage(kernel, ctx.state.site.id, path, ctx.state.language ?? 'en');
  return Boolean(match && (match.subPath === '' || complexRouteMatches(kernel, match.page, match.subPath)));
}

/**
 * Serves pages for GET/HEAD requests no module route answered: checks the portal's
 * switch (PORTAL_VIEW: anonymous visitors only once an admin opened the portal), then
 * the page's own access operation (sign-in redirect for visitors, 403 for users), and renders it.
 * A URL without its trailing slash (`/about`, `/forum/topic/5`) is left to the app's
 * trailing-slash redirect.
 */
export function pageRouter(kernel: Kernel, views: Views) {
  return async (ctx: Ctx, next: Next): Promise<void> => {
    if ((ctx.method !== 'GET' && ctx.method !== 'HEAD') || !ctx.state.site) return next();
    const match = await findPage(kernel, ctx.state.site.id, ctx.path, ctx.state.language ?? 'en');
    if (!match) return next();
    if (match.subPath && !match.subPath.endsWith('/') && complexRouteMatches(kernel, match.page, `${match.subPath}/`)) return next();
    await checkRight(kernel, ctx, PORTAL_VIEW);
    if (match.page.access) await checkRight(kernel, ctx, match.page.access);
    // Signed in: cached per audience (groups decide the checks above), unless the renderer meets a part built for this user.
    if (match.subPath === '' && ctx.state.user && ctx.state.auth === 'session') {
      allowPageCache(ctx);
      ctx.state.personalAreas = [];
    } else if (match.subPath === '' && !ctx.state.user && !match.page.access && everyPlacementCached(kernel, match.page)) allowPageCache(ctx);
    await renderPage(kernel, views, ctx, match.page, { subPath: match.subPath });
  };
}

/** A public page may be cached whole only if each of its components caches its own result. */
function everyPlacementCached(kernel: Kernel, page: ResolvedPage): boolean {
  return page.placements.every((p) => {
    try {
      const def = kernel.components.get(p.component);
      return 'cache' in def && Boolean(def.cache);
    } catch {
      return false;
    }
  });
}
