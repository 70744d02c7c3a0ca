import type { ModuleContext, ModuleRouter } from '../../../../core/modules/types.js';
import { coreErrors } from '../../../../core/errors/codes.js';
import { checkPasswordPolicy, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../../../core/users/passwords.js';
import { errorText } from '../../../../core/i18n/error-text.js';
import type { Group, User } from '../../../../core/services.js';
import { backTo, checked, done, formError, intId, list, pageNumber, pager, query, str, type AdminKit, type Ctx } from './http.js';

const PAGE_SIZE = 20;
/** Groups every user is in implicitly; not offered as checkboxes. */
const IMPLICIT = new Set(['everyone', 'registered']);

interface UserForm {
  login: string;
  email: string;
  name: string;
  lastName: string;
  active: boolean;
  groupIds: string[];
}

/** /admin/users/: search, paging, create, edit, password reset, block/unblock, delete. */
export function userRoutes(router: ModuleRouter, _mctx: ModuleContext, kit: AdminKit): void {
  const { kernel } = kit;
  const edit = kit.change('main.users.edit');

  router.get('/admin/users/', kit.view, (ctx) => renderList(kit, ctx));

  router.get('/admin/users/new/', kit.view, async (ctx) => {
    await renderForm(kit, ctx, null, { login: '', email: '', name: '', lastName: '', active: true, groupIds: [] });
  });

  router.post('/admin/users/new/', ...edit, async (ctx) => {
    const body = ctx.request.body;
    const form = readForm(body);
    const password = str(body, 'password');
    let user: User;
    try {
      if (!password) throw coreErrors.VALIDATION_FAILED(kit.t(ctx, 'ADM_PASSWORD_REQUIRED'));
      user = await kernel.users.create({
        login: form.login, email: form.email, name: form.name, lastName: form.lastName, active: form.active,
        password, groupIds: groupIds(kit, ctx, form.groupIds),
      });
    } catch (err) {
      const e = formError(err);
      return renderForm(kit, ctx, null, form, errorText(kernel.i18n, e, ctx.state.language), e.status);
    }
    done(ctx, `/admin/users/${user.id}/`, 'created');
  });

  router.get('/admin/users/:id/', kit.view, async (ctx) => {
    const user = await kernel.users.get(intId(ctx.params.id, 'user'));
    await renderForm(kit, ctx, user, { ...user, groupIds: user.groupIds.map(String) });
  });

  router.post('/admin/users/:id/', ...edit, async (ctx) => {
    const user = await kernel.users.get(intId(ctx.params.id, 'user'));
    const body = ctx.request.body;
    const form = { ...readForm(body), login: user.login };
    const password = str(body, 'password');
    try {
      if (password) checkPasswordPolicy(password, user.login);
      await kernel.users.update(user.id, { email: form.email, name: form.name, lastName: form.lastName, active: form.active, groupIds: groupIds(kit, ctx, form.groupIds) });
      if (password) await kernel.users.setPassword(user.id, password, { keepSessionId: user.id === ctx.state.user?.id ? ctx.state.session?.id : undefined });
    } catch (err) {
      const e = formError(err);
      return renderForm(kit, ctx, user, form, errorText(kernel.i18n, e, ctx.state.language), e.status);
    }
    done(ctx, `/admin/users/${user.id}/`, 'saved');
  });

  for (const [action, active] of [['block', false], ['unblock', true]] as const) {
    router.post(`/admin/users/:id/${action}/`, ...edit, async (ctx) => {
      const id = intId(ctx.params.id, 'user');
      await kernel.users.get(id);
      try {
        await kernel.users.setActive(id, active);
      } catch (err) {
        const e = formError(err);
        return renderList(kit, ctx, e.message, e.status);
      }
      done(ctx, backTo(str(ctx.request.body, 'back'), '/admin/users/'), active ? 'unblocked' : 'blocked');
    });
  }

  router.get('/admin/users/:id/delete/', kit.view, async (ctx) => {
    const user = await kernel.users.get(intId(ctx.params.id, 'user'));
    await renderDelete(kit, ctx, user);
  });

  router.post('/admin/users/:id/delete/', ...edit, async (ctx) => {
    const user = await kernel.users.get(intId(ctx.params.id, 'user'));
    try {
      await kernel.users.delete(user.id);
    } catch (err) {
      const e = formError(err);
      return renderDelete(kit, ctx, user, e.message, e.status);
    }
    done(ctx, '/admin/users/', 'deleted');
  });
}

function readForm(body: unknown): UserForm {
  return {
    login: str(body, 'login').trim(),
    email: str(body, 'email').trim(),
    name: str(body, 'name'),
    lastName: str(body, 'lastName'),
    active: checked(body, 'active'),
    groupIds: list(body, 'groups'),
  };
}

function groupIds(kit: AdminKit, ctx: Ctx, raw: string[]): number[] {
  return raw.map((v) => {
    if (!/^[1-9][0-9]{0,9}$/.test(v)) throw coreErrors.VALIDATION_FAILED(kit.t(ctx, 'ADM_GROUP_INVALID', { VALUE: v.slice(0, 20) }));
    return Number(v);
  });
}

async function renderList(kit: AdminKit, ctx: Ctx, error: string | null = null, status = 200): Promise<void> {
  const search = query(ctx, 'q').trim().slice(0, 100);
  const pageNo = pageNumber(ctx);
  const { items, total } = await kit.kernel.users.list({ search, limit: PAGE_SIZE, offset: (pageNo - 1) * PAGE_SIZE });
  const groups = new Map((await kit.kernel.groups.list()).map((g) => [g.id, g]));
  const users = items.map((u) => ({ ...u, groups: u.groupIds.map((id) => groups.get(id)).filter((g): g is Group => !!g && !IMPLICIT.has(g.code)) }));
  await kit.render(ctx, 'users', kit.t(ctx, 'ADM_USERS'), {
    users,
    search,
    pager: pager(ctx, total, PAGE_SIZE, pageNo),
    canEdit: await kit.can(ctx, 'main.users.edit'),
    error,
  }, status);
}

async function renderForm(kit: AdminKit, ctx: Ctx, user: User | null, form: UserForm, error: string | null = null, status = 200): Promise<void> {
  const groups = (await kit.kernel.groups.list()).filter((g) => !IMPLICIT.has(g.code));
  const title = user ? kit.t(ctx, 'ADM_USER_EDIT', { LOGIN: user.login }) : kit.t(ctx, 'ADM_USER_NEW');
  await kit.render(ctx, 'user-form', title, { heading: title, editing: user, form, groups, error, canEdit: await kit.can(ctx, 'main.users.edit'), passwordRule: { MIN: PASSWORD_MIN_LENGTH, MAX: PASSWORD_MAX_LENGTH } }, status);
}

function renderDelete(kit: AdminKit, ctx: Ctx, user: User, error: string | null = null, status = 200): Promise<void> {
  const heading = kit.t(ctx, 'ADM_USER_DELETE_TITLE', { LOGIN: user.login });
  return kit.render(ctx, '@admin/confirm', heading, {
    heading,
    message: kit.t(ctx, 'ADM_USER_DELETE_TEXT', { LOGIN: user.login }),
    action: `/admin/users/${user.id}/delete/`,
    button: kit.t(ctx, 'ADM_DELETE'),
    cancel: `/admin/users/${user.id}/`,
    error,
  }, status);
}
