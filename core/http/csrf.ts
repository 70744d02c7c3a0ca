import { timingSafeEqual } from 'node:crypto';
import type { Next, ParameterizedContext } from 'koa';
import { coreErrors } from '../errors/codes.js';
import type { PortalState } from './state.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Every state-changing request made with cookies must carry the CSRF token, as the
 * `_csrf` form field or the X-CSRF-Token header. Token-authenticated API calls carry
 * no cookies and are exempt.
 */
export function csrfProtection() {
  return async (ctx: ParameterizedContext<PortalState>, next: Next): Promise<void> => {
    if (SAFE_METHODS.has(ctx.method) || ctx.state.auth === 'token') return next();
    const body = ctx.request.body as Record<string, unknown> | undefined;
    const sent = ctx.get('X-CSRF-Token') || (typeof body?._csrf === 'string' ? body._csrf : '') || String(ctx.query._csrf ?? '');
    if (!sameToken(sent, ctx.state.csrfToken)) throw coreErrors.CSRF_TOKEN_INVALID();
    await next();
  };
}

function sameToken(a: string, b: string): boolean {
  if (!a || !b) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
