import type { ModuleContext, ModuleRouter } from '../../../core/modules/types.js';
import { PORTAL_VIEW, requireRight, requireSignedIn } from '../../../core/http/guards.js';
import { coreErrors } from '../../../core/errors/codes.js';
import type { Kernel } from '../../../core/kernel.js';
import type { User } from '../../../core/services.js';
import type { Ctx } from './page.js';
import { photoUrlOf } from './intranet/people.js';
import { FULL_VIEW, profileViewFor, searchScope, viewOf, type ProfileView } from './intranet/visibility.js';

const ID = /^[1-9][0-9]{0,9}$/;

/** JSON API of the main module; callers authenticate by session cookie or API token. */
export function apiRoutes(router: ModuleRouter, { kernel }: ModuleContext): void {
  router.get('/api/v1/main/me', requireSignedIn(kernel, PORTAL_VIEW), async (ctx) => {
    ctx.body = { result: await userJson(kernel, ctx.state.user!, FULL_VIEW) };
  });

  router.get('/api/v1/main/users', requireRight(kernel, 'main.users.view'), async (ctx) => {
    const limit = intParam(ctx.query.limit, 'limit', 50, 1, 500);
    const offset = intParam(ctx.query.offset, 'offset', 0, 0, Number.MAX_SAFE_INTEGER);
    const search = typeof ctx.query.search === 'string' ? ctx.query.search : undefined;
    const view = await viewerView(kernel, ctx);
    const { items, total } = await kernel.users.list({ search, searchAlso: searchScope(view), limit, offset, active: true, employee: true });
    const result = await Promise.all(items.map((u) => userJson(kernel, u, viewOf(view, ctx.state.user?.id, u.id))));
    ctx.body = { result, total, next: offset + items.length < total ? offset + items.length : null };
  });

  router.get('/api/v1/main/users/:id', requireRight(kernel, 'main.users.view'), async (ctx) => {
    const raw = ctx.params.id ?? '';
    const user = ID.test(raw) ? await kernel.users.find(Number(raw)) : null;
    if (!user || !user.active) throw coreErrors.NOT_FOUND(`user ${raw.slice(0, 20)}`);
    ctx.body = { result: await userJson(kernel, user, viewOf(await viewerView(kernel, ctx), ctx.state.user?.id, user.id)) };
  });
}

function viewerView(kernel: Kernel, ctx: Ctx): Promise<ProfileView> {
  return profileViewFor(kernel, ctx.state.principal, ctx.state.site?.id ?? '');
}

/**
 * What the API shows of a user, as the view allows: never the password, sessions or external
 * ids; fields the view hides are left out. A birthday without the year is "--MM-DD" (ISO 8601).
 */
async function userJson(kernel: Kernel, u: User, view: ProfileView) {
  const birthday = u.birthday && view.birthday ? (view.full ? u.birthday : `--${u.birthday.slice(5, 10)}`) : null;
  return {
    id: u.id,
    name: u.name,
    lastName: u.lastName,
    position: u.position,
    departmentId: u.departmentId,
    photoUrl: await photoUrlOf(kernel, u.photoFileId),
    ...(view.email ? { email: u.email } : {}),
    ...(view.phone ? { phone: u.phone } : {}),
    ...(view.birthday ? { birthday } : {}),
    ...(view.full ? { login: u.login, active: u.active, groupIds: u.groupIds, language: u.language } : {}),
  };
}

function intParam(raw: unknown, name: string, fallback: number, min: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw coreErrors.VALIDATION_FAILED(`${name} must be an integer from ${min} to ${max}`);
  return n;
}
