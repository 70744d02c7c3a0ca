import { timingSafeEqual } from 'node:crypto';
import type { Next, ParameterizedContext } from 'koa';
import { coreErrors } from '../errors/codes.js';
import { drainPeekedBody, peekMultipartField } from '../files/multipart-peek.js';
import type { PortalState } from './state.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const MULTIPART = /^multipart\/form-data\b/i;

/**
 * Every state-changing request made with cookies must carry the CSRF token, as the
 * X-CSRF-Token header or the `_csrf` field of the body: a form or JSON body, or a
 * multipart body whose `_csrf` comes before any file (read without storing anything).
 * Never from the query string, where tokens end up in history and logs.
 * Token-authenticated API calls carry no cookies and are exempt.
 */
export function csrfProtection() {
  return async (ctx: ParameterizedContext<PortalState>, next: Next): Promise<void> => {
    if (SAFE_METHODS.has(ctx.method) || ctx.state.auth === 'token') return next();
    try {
      if (!sameToken(await sentToken(ctx), ctx.state.csrfToken)) throw coreErrors.CSRF_TOKEN_INVALID();
      await next();
    } finally {
      drainPeekedBody(ctx.req);
    }
  };
}

async function sentToken(ctx: ParameterizedContext<PortalState>): Promise<string> {
  const header = ctx.get('X-CSRF-Token');
  if (header) return header;
  if (MULTIPART.test(ctx.get('Content-Type'))) return (await peekMultipartField(ctx.req, '_csrf')) ?? '';
  const body = ctx.request.body as Record<string, unknown> | undefined;
  return typeof body?._csrf === 'string' ? body._csrf : '';
}

function sameToken(a: string, b: string): boolean {
  if (!a || !b) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
