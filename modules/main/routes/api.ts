import type { ModuleContext, ModuleRouter } from '../../../core/modules/types.js';
import { PORTAL_VIEW, requireRight, requireSignedIn } from '../../../core/http/guards.js';
import { coreErrors } from '../../../core/errors/codes.js';
import type { Kernel } from '../../../core/kernel.js';
import type { User } from '../../../core/services.js';
import { photoUrlOf } from './intranet/people.js';

/** JSON API of the main module; callers authenticate by session cookie or API token. */
export function apiRoutes(router: ModuleRouter, { kernel }: ModuleContext): void {
  router.get('/api/v1/main/me', requireSignedIn(kernel, PORTAL_VIEW), async (ctx) => {
    ctx.body = { result: await publicUser(kernel, ctx.state.user!) };
  });

  router.get('/api/v1/main/users', requireRight(kernel, 'main.users.view'), async (ctx) => {
    const limit = intParam(ctx.query.limit, 'limit', 50, 1, 500);
    const offset = intParam(ctx.query.offset, 'offset', 0, 0, Number.MAX_SAFE_INTEGER);
    const search = typeof ctx.query.search === 'string' ? ctx.query.search : undefined;
    const { items, total } = await kernel.users.list({ search, limit, offset, active: true });
    ctx.body = { result: await Promise.all(items.map((u) => publicUser(kernel, u))), total, next: offset + items.length < total ? offset + items.length : null };
  });
}

/** What the API shows of a user: the profile, never the password, sessions or external ids. */
async function publicUser(kernel: Kernel, u: User) {
  return {
    id: u.id,
    login: u.login,
    email: u.email,
    name: u.name,
    lastName: u.lastName,
    active: u.active,
    groupIds: u.groupIds,
    position: u.position,
    departmentId: u.departmentId,
    phone: u.phone,
    birthday: u.birthday,
    language: u.language,
    photoUrl: await photoUrlOf(kernel, u.photoFileId),
  };
}

function intParam(raw: unknown, name: string, fallback: number, min: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw coreErrors.VALIDATION_FAILED(`${name} must be an integer from ${min} to ${max}`);
  return n;
}
