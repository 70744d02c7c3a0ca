import type { Next, ParameterizedContext } from 'koa';
import type { Kernel } from '../kernel.js';
import { trackDependencies } from '../cache/dependencies.js';
import { cookieNames } from './cookies.js';
import type { PortalState } from './state.js';
import { storeForAudience } from './audience-cache.js';

type Ctx = ParameterizedContext<PortalState>;

export const TOKEN_SLOT = '\u0000csrf\u0000';

/** Cache key of a page; the entry is one string, "<content type>\n<body>". */
export function pageKey(protocol: string, host: string, url: string): string {
  return `page:${protocol}://${host}${url}`;
}

/**
 * Whole-page cache for anonymous visitors (Bitrix calls it the composite site), and per audience for
 * signed-in users (core/http/audience-cache.ts).
 * A handler opts in with `allowPageCache(ctx)`; the page is stored with every cache
 * tag it was built from, so invalidating any of them (a site, a menu, a component's
 * data) drops the page too, and it expires after `ttlSeconds` at the latest. The
 * visitor's CSRF token is cut out before storing and put back on each hit.
 */
export function pageCache(kernel: Kernel, ttlSeconds: number) {
  const names = cookieNames(kernel.config.http.secureCookies);
  return async (ctx: Ctx, next: Next): Promise<void> => {
    if (ttlSeconds <= 0 || (ctx.method !== 'GET' && ctx.method !== 'HEAD') || ctx.get('Authorization')) return next();
    // Hits are answered before koa by servePageCacheHit (core/http/front-cache.ts).
    const signedIn = Boolean(ctx.cookies.get(names.session));
    const key = pageKey(ctx.protocol, ctx.host, ctx.url);
    const { dependencies } = await trackDependencies(next);
    if (!ctx.state.pageCacheable || ctx.status !== 200 || typeof ctx.body !== 'string') return;
    // A session cookie: the copy for the user's audience (core/http/audience-cache.ts).
    if (signedIn) return storeForAudience(kernel, ctx, dependencies, ttlSeconds);
    if (ctx.state.user) return;
    const cookies = ctx.response.headers['set-cookie'];
    const onlyCsrf = !cookies || (Array.isArray(cookies) ? cookies : [String(cookies)]).every((c) => c.startsWith(`${names.csrf}=`));
    if (!onlyCsrf) return;
    const token = ctx.state.csrfToken;
    const body = token ? ctx.body.split(token).join(TOKEN_SLOT) : ctx.body;
    const type = String(ctx.response.get('Content-Type') || 'text/html; charset=utf-8');
    await kernel.cache.setDependent(key, `${type}\n${body}`, ttlSeconds, dependencies);
    ctx.set('X-Page-Cache', 'miss');
  };
}

/**
 * Marks the response as the same for every anonymous visitor of this URL, or, signed in, for every user
 * with the same groups and language but for the header's user menu (filled in per request).
 */
export function allowPageCache(ctx: { state: PortalState }): void {
  ctx.state.pageCacheable = true;
}
