import type { Next, ParameterizedContext } from 'koa';
import type { Kernel } from '../kernel.js';
import type { User } from '../services.js';
import { coreErrors } from '../errors/codes.js';
import { anonymousCsrfToken, CSRF_NONCE, CSRF_SECRET, newCsrfNonce } from './anonymous-csrf.js';
import { cookieNames, cookieOptions } from './cookies.js';
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
      const sid = ctx.cookies.get(cookieNames(kernel.config.http.secureCookies).session);
      const session = sid ? await kernel.sessions.load(sid) : null;
      if (sid && !session) ctx.cookies.set(cookieNames(kernel.config.http.secureCookies).session, null, cookieOptions({ secure: kernel.config.http.secureCookies }));
      if (session?.userId) {
        user = await kernel.users.get(session.userId).catch(() => null);
        if (user && !user.active) user = null;
      }
      ctx.state.session = session;
      ctx.state.auth = user ? 'session' : 'anonymous';
      ctx.state.csrfToken = session?.csrfToken ?? (await anonymousCsrf(ctx, kernel));
    }
    ctx.state.user = user;
    ctx.state.principal = await kernel.users.principalOf(user);
    if (user?.language) ctx.state.language = user.language;
    await next();
  };
}

/** The form token of a visitor without a session, bound to their `portal_csrf` cookie (made when missing). */
export async function anonymousCsrf(ctx: Ctx, kernel: Kernel): Promise<string> {
  const name = cookieNames(kernel.config.http.secureCookies).csrf;
  let nonce = ctx.cookies.get(name);
  if (!nonce || !CSRF_NONCE.test(nonce)) {
    nonce = newCsrfNonce();
    ctx.cookies.set(name, nonce, cookieOptions({ secure: kernel.config.http.secureCookies }));
  }
  return anonymousCsrfToken(await kernel.secrets.key(CSRF_SECRET), nonce);
}

/** Signs the user in: a new session id (rotation), cookie set, old session dropped. */
export async function signIn(ctx: Ctx, kernel: Kernel, user: User): Promise<SessionData> {
  const base = ctx.state.session ?? (await kernel.sessions.create({ userId: null, ip: ctx.ip, userAgent: ctx.get('User-Agent').slice(0, 255) }));
  const session = await kernel.sessions.rotate(base, user.id);
  const names = cookieNames(kernel.config.http.secureCookies);
  ctx.cookies.set(names.session, session.id, cookieOptions({ secure: kernel.config.http.secureCookies }, kernel.config.security.sessionTtlSeconds * 1000));
  ctx.cookies.set(names.csrf, null, cookieOptions({ secure: kernel.config.http.secureCookies }));
  ctx.state.session = session;
  ctx.state.user = user;
  ctx.state.auth = 'session';
  ctx.state.csrfToken = session.csrfToken;
  ctx.state.principal = await kernel.users.principalOf(user);
  return session;
}

export async function signOut(ctx: Ctx, kernel: Kernel): Promise<void> {
  if (ctx.state.session) await kernel.sessions.destroy(ctx.state.session.id);
  ctx.cookies.set(cookieNames(kernel.config.http.secureCookies).session, null, cookieOptions({ secure: kernel.config.http.secureCookies }));
  ctx.state.session = null;
  ctx.state.user = null;
}
