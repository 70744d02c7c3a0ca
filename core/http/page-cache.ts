import type { Next, ParameterizedContext } from 'koa';
import type { Kernel } from '../kernel.js';
import { trackDependencies } from '../cache/dependencies.js';
import { anonymousCsrfToken } from './auth.js';
import { SESSION_COOKIE } from './cookies.js';
import type { PortalState } from './state.js';

type Ctx = ParameterizedContext<PortalState>;

const TOKEN_SLOT = '\u0000csrf\u0000';

interface CachedPage {
  type: string;
  body: string;
}

/**
 * Whole-page cache for anonymous visitors (Bitrix calls it the composite site).
 * A handler opts in with `allowPageCache(ctx)`; the page is stored with every cache
 * tag it was built from, so invalidating any of them (a site, a menu, a component's
 * data) drops the page too, and it expires after `ttlSeconds` at the latest. The
 * visitor's CSRF token is cut out before storing and put back on each hit.
 */
export function pageCache(kernel: Kernel, ttlSeconds: number) {
  return async (ctx: Ctx, next: Next): Promise<void> => {
    if (ttlSeconds <= 0 || (ctx.method !== 'GET' && ctx.method !== 'HEAD') || ctx.get('Authorization') || ctx.cookies.get(SESSION_COOKIE)) {
      return next();
    }
    const key = `page:${ctx.protocol}://${ctx.host}${ctx.url}`;
    const hit = await kernel.cache.get<CachedPage>(key);
    if (hit) {
      const token = anonymousCsrfToken(ctx, kernel);
      ctx.type = hit.type;
      ctx.set('Cache-Control', 'no-store');
      ctx.set('X-Page-Cache', 'hit');
      ctx.body = hit.body.split(TOKEN_SLOT).join(token);
      return;
    }
    const { dependencies } = await trackDependencies(next);
    if (!ctx.state.pageCacheable || ctx.status !== 200 || typeof ctx.body !== 'string' || ctx.state.user) return;
    const cookies = ctx.response.headers['set-cookie'];
    const onlyCsrf = !cookies || (Array.isArray(cookies) ? cookies : [String(cookies)]).every((c) => c.startsWith('portal_csrf='));
    if (!onlyCsrf) return;
    const token = ctx.state.csrfToken;
    const body = token ? ctx.body.split(token).join(TOKEN_SLOT) : ctx.body;
    await kernel.cache.setDependent(key, { type: String(ctx.response.get('Content-Type') || 'text/html'), body }, ttlSeconds, dependencies);
    ctx.set('X-Page-Cache', 'miss');
  };
}

/** Marks the response as the same for every anonymous visitor of this URL. */
export function allowPageCache(ctx: { state: PortalState }): void {
  if (!ctx.state.user) ctx.state.pageCacheable = true;
}
