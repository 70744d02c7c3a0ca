import type { Next, ParameterizedContext } from 'koa';
import type { Kernel } from '../kernel.js';
import { coreErrors } from '../errors/codes.js';
import { operationTitle } from '../rights/operation-title.js';
import { wantsJson } from './error-handler.js';
import type { PortalState } from './state.js';

type Ctx = ParameterizedContext<PortalState>;

/**
 * The portal's switch: who may view pages and files at all. Employees (group "registered") have it; visitors who are
 * not signed in only once an admin opens the portal to them (the "everyone" group on main's rights screen).
 */
export const PORTAL_VIEW = 'main.portal.view';

/**
 * Route guard: anonymous visitors are sent to the sign-in page (or get 401 on the
 * API); signed-in users without the right get 403 and a security-log entry.
 */
export function requireRight(kernel: Kernel, operation: string) {
  return async (ctx: Ctx, next: Next): Promise<void> => {
    await checkRight(kernel, ctx, operation);
    await next();
  };
}

/** Like requireRight, for routes about the signed-in user (a profile): anonymous visitors sign in even if they hold the right. */
export function requireSignedIn(kernel: Kernel, operation: string) {
  return async (ctx: Ctx, next: Next): Promise<void> => {
    if (!ctx.state.user) await denyAccess(kernel, ctx, 'Sign in first', { operation });
    await checkRight(kernel, ctx, operation);
    await next();
  };
}

export async function checkRight(kernel: Kernel, ctx: Ctx, operation: string, object?: unknown): Promise<void> {
  if (await kernel.rights.can(ctx.state.principal, operation, object)) return;
  await denyAccess(kernel, ctx, `You do not have the right "${operationTitle(kernel.rights, operation, 'en') ?? operation}"`, { operation });
}

/** Refuses the request as checkRight does: sign-in (401 on the API) when anonymous, else 403 and a security-log entry. */
export async function denyAccess(kernel: Kernel, ctx: Ctx, message: string, details: Record<string, unknown>): Promise<never> {
  if (!ctx.state.user) {
    if (wantsJson(ctx) || ctx.method !== 'GET') throw coreErrors.UNAUTHENTICATED();
    ctx.redirect(`/auth/login/?back=${encodeURIComponent(ctx.originalUrl)}`);
    throw new RedirectSignal();
  }
  await kernel.users.securityLog
    .record('access.denied', { userId: ctx.state.user.id, login: ctx.state.user.login, ip: ctx.ip, details: { ...details, path: ctx.path } })
    .catch(() => undefined);
  throw coreErrors.ACCESS_DENIED(message, typeof details.operation === 'string' ? { operation: details.operation } : undefined);
}

/** Thrown after ctx.redirect() to stop the route; the app turns it into the redirect response. */
export class RedirectSignal extends Error {
  constructor() {
    super('redirect');
  }
}
