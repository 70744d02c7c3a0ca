import { timingSafeEqual } from 'node:crypto';
import type { Next, ParameterizedContext } from 'koa';
import { coreErrors } from '../errors/codes.js';
import { drainPeekedBody, peekMultipartField } from '../files/multipart-peek.js';
import type { PortalState } from './state.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const MULTIPART = /^multipart\/form-data\b/i;

/**
 * Every state-changing request made with cookies must come from this site (Fetch
 * Metadata / Origin, when the browser sends them) and carry the CSRF token, as the
 * X-CSRF-Token header or the `_csrf` field of the body: a form or JSON body, or a
 * multipart body whose `_csrf` comes before any file (read without storing anything).
 * Never from the query string, where tokens end up in history and logs.
 * Token-authenticated API calls carry no cookies and are exempt.
 */
export function csrfProtection(options: { publicUrl?: string } = {}) {
  const publicHost = hostOf(options.publicUrl);
  return async (ctx: ParameterizedContext<PortalState>, next: Next): Promise<void> => {
    if (SAFE_METHODS.has(ctx.method) || ctx.state.auth === 'token') return next();
    try {
      if (fromAnotherSite(ctx, publicHost)) throw coreErrors.CSRF_TOKEN_INVALID('', { reason: 'cross_site' });
      if (!sameToken(await sentToken(ctx), ctx.state.csrfToken)) throw coreErrors.CSRF_TOKEN_INVALID();
      await next();
    } finally {
      drainPeekedBody(ctx.req);
    }
  };
}

/**
 * Whether the browser says another site sent this request: Sec-Fetch-Site "cross-site" or
 * "same-site" (a sibling host that could also plant cookies); without it, an Origin other
 * than this host or the public URL ("null" included). Clients that send neither (scripts)
 * rely on the token alone.
 */
function fromAnotherSite(ctx: ParameterizedContext<PortalState>, publicHost: string | null): boolean {
  const site = ctx.get('Sec-Fetch-Site');
  if (site) return site === 'cross-site' || site === 'same-site';
  const origin = ctx.get('Origin');
  if (!origin) return false;
  const host = hostOf(origin);
  return host === null || (host !== ctx.host.toLowerCase() && host !== publicHost);
}

function hostOf(url: string | undefined): string | null {
  if (!url || url === 'null') return null;
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return null;
  }
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
