import { randomUUID } from 'node:crypto';
import type { Next, ParameterizedContext } from 'koa';
import type { Kernel } from '../kernel.js';
import type { User } from '../services.js';
import { coreErrors } from '../errors/codes.js';
import { CSRF_COOKIE, SESSION_COOKIE, cookieOptions } from './cookies.js';
import type { PortalState, SessionData } from './state.js';

type Ctx = ParameterizedContext<PortalState>;

/**
 * Finds who is calling: an API token (Authorization: Bearer) or the session cookie.
 * Sets ctx.state.user, principal, session, auth and csrfToken.
 */
export function authenticate(kernel: Kernel) {
  return async (ctx: Ctx, next: Next): Promise<void> => {
    let user: User | null = null;
    const header = ctx.get('Authorization');
    if (header) {
      const m = /^Bearer\s+(\S+)$/i.exec(header);
      if (!m) throw coreErrors.UNAUTHENTICATED('Authorization header must be "Bearer <token>"');
      user = await kernel.tokens.verify(m[1]!);
      if (!user) throw coreErrors.UNAUTHENTICATED('the API token is invalid, expired or revoked');
      ctx.state.auth = 'token';
      ctx.state.session = null;
      ctx.state.csrfToken = '';
    } else {
      const sid = ctx.cookies.get(SESSION_COOKIE);
      const session = sid ? await kernel.sessions.load(sid) : null;
      if (sid && !session) ctx.cookies.set(SESSION_COOKIE, null, cookieOptions({ secure: kernel.config.http.secureCookies }));
      if (session?.userId) {
        user = await kernel.users.get(session.userId).catch(() => null);
        if (user && !user.active) user = null;
      }
      ctx.state.session = session;
      ctx.state.auth = user ? 'session' : 'anonymous';
      ctx.state.csrfToken = session?.csrfToken ?? anonymousCsrfToken(ctx, kernel);
    }
    ctx.state.user = user;
    ctx.state.principal = await kernel.users.principalOf(user);
    if (user?.language) ctx.state.language = user.language;
    await next();
  };
}

/** Double-submit token for visitors without a session (the sign-in form). */
export function anonymousCsrfToken(ctx: Ctx, kernel: Kernel): string {
  const existing = ctx.cookies.get(CSRF_COOKIE);
  if (existing && /^[A-Za-z0-9_-]{32,64}$/.test(existing)) return existing;
  // randomUUID draws from a pooled CSPRNG buffer: 122 random bits without a syscall per request.
  const token = randomUUID().replaceAll('-', '');
  ctx.cookies.set(CSRF_COOKIE, token, cookieOptions({ secure: kernel.config.http.secureCookies }));
  return token;
}

/** Signs the user in: a new session id (rotation), cookie set, old session dropped. */
export async function signIn(ctx: Ctx, kernel: Kernel, user: User): Promise<SessionData> {
  const base = ctx.state.session ?? (await kernel.sessions.create({ userId: null, ip: ctx.ip, userAgent: ctx.get('User-Agent').slice(0, 255) }));
  const session = await kernel.sessions.rotate(base, user.id);
  ctx.cookies.set(SESSION_COOKIE, session.id, cookieOptions({ secure: kernel.config.http.secureCookies }, kernel.config.security.sessionTtlSeconds * 1000));
  ctx.cookies.set(CSRF_COOKIE, null, cookieOptions({ secure: kernel.config.http.secureCookies }));
  ctx.state.session = session;
  ctx.state.user = user;
  ctx.state.auth = 'session';
  ctx.state.csrfToken = session.csrfToken;
  ctx.state.principal = await kernel.users.principalOf(user);
  return session;
}

export async function signOut(ctx: Ctx, kernel: Kernel): Promise<void> {
  if (ctx.state.session) await kernel.sessions.destroy(ctx.state.session.id);
  ctx.cookies.set(SESSION_COOKIE, null, cookieOptions({ secure: kernel.config.http.secureCookies }));
  ctx.state.session = null;
  ctx.state.user = null;
}
