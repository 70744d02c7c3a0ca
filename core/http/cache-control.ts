import type { Next, ParameterizedContext } from 'koa';
import type { PortalState } from './state.js';

/**
 * Responses for a signed-in user (pages, error pages, redirects, JSON) are `private, no-store`:
 * no shared cache may keep them and no browser cache either. A response that already chose
 * private caching (a downloaded file) keeps its header. Runs around the error handler, so
 * error pages are covered too. /api/ responses are `no-store` already (api-requests.ts).
 */
export function signedInPrivate() {
  return async (ctx: ParameterizedContext<PortalState>, next: Next): Promise<void> => {
    await next();
    if (!ctx.state.user || ctx.path.startsWith('/api/')) return;
    const current = String(ctx.response.get('Cache-Control') ?? '');
    if (!/\bprivate\b/.test(current)) ctx.set('Cache-Control', 'private, no-store');
  };
}
