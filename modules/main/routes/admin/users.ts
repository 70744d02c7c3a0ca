import type { ModuleContext, ModuleRouter } from '../../../../core/modules/types.js';
import { coreErrors } from '../../../../core/errors/codes.js';
import { checkPasswordPolicy, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../../../core/users/passwords.js';
import { localizedMessage } from '../../../../core/i18n/error-text.js';
import { discardUploads, parseMultipart } from '../../../../core/files/parse-upload.js';
import { formatBytes } from '../../../../core/files/file-errors.js';
import type { PortalError } from '../../../../core/errors/portal-error.js';
import type { Group, User } from '../../../../core/services.js';
import type { UserPatch } from '../../../../core/users/user-service.js';
import { PHOTO_MAX_BYTES, removePhoto, replacePhoto } from '../intranet/photo.js';
import { photoUrlOf } from '../intranet/people.js';
import { mailUser } from '../../accounts/account-mail.js';
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
  /** HR fields, as typed ('' = none). */
  position: string;
  departmentId: string;
  phone: string;
  birthday: string;
  /** A person of the company (listed in the directory), not a service account. */
  employee: boolean;
  /** New users: mail them "Account created" (USER_INFO). */
  notify?: boolean;
}

/** The fields of the HR part a POST sent; a field the form did not send stays as it is. */
const HR_FIELDS = ['position', 'departmentId', 'phone', 'birthday', 'employee'] as const;

/** /admin/users/: search, paging, create, edit, password reset, block/unblock, delete. */
export function userRoutes(router: ModuleRouter, _mctx: ModuleContext, kit: AdminKit): void {
  const { kernel } = kit;
  const edit = kit.change('main.users.edit');

  router.get('/admin/users/', kit.view, (ctx) => renderList(kit, ctx));

  router.get('/admin/users/new/', kit.view, async (ctx) => {
    await renderForm(kit, ctx, null, { login: '', email: '', name: '', lastName: '', active: true, groupIds: [], position: '', departmentId: '', phone: '', birthday: '', employee: true, notify: true });
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
        password, groupIds: groupIds(kit, ctx, form.groupIds), ...hrPatch(kit, ctx, body, form),
      });
    } catch (err) {
      const e = formError(err);
      return renderForm(kit, ctx, null, form, readable(kit, ctx, e, form), e.status);
    }
    if (form.notify) {
      const place = { site: ctx.state.site, language: user.language ?? ctx.state.site.language, request: { protocol: ctx.protocol, host: ctx.host } };
      // The account exists either way; a mail that cannot be queued (a bad sender in the settings) is logged.
      await mailUser(kernel, 'USER_INFO', user, place, {}, { URL: '/auth/login/' }).catch((err: unknown) => kernel.log.warn({ err, userId: user.id }, 'account mail not queued'));
    }
    done(ctx, `/admin/users/${user.id}/`, 'created');
  });

  router.get('/admin/users/:id/', kit.view, async (ctx) => {
    const user = await kernel.users.get(intId(ctx.params.id, 'user'));
    await renderForm(kit, ctx, user, formOf(user));
  });

  router.post('/admin/users/:id/', ...edit, async (ctx) => {
    const user = await kernel.users.get(intId(ctx.params.id, 'user'));
    const body = ctx.request.body;
    const form = { ...formOf(user), ...readForm(body, formOf(user)), login: user.login };
    const password = str(body, 'password');
    try {
      if (password) checkPasswordPolicy(password, user.login);
      await kernel.users.update(user.id, {
        email: form.email, name: form.name, lastName: form.lastName, active: form.active, groupIds: groupIds(kit, ctx, form.groupIds), ...hrPatch(kit, ctx, body, form),
      });
      if (password) await kernel.users.setPassword(user.id, password, { keepSessionId: user.id === ctx.state.user?.id ? ctx.state.session?.id : undefined });
    } catch (err) {
      const e = formError(err);
      return renderForm(kit, ctx, user, form, readable(kit, ctx, e, form), e.status);
    }
    done(ctx, `/admin/users/${user.id}/`, 'saved');
  });

  router.post('/admin/users/:id/photo/', ...edit, async (ctx) => {
    const user = await kernel.users.get(intId(ctx.params.id, 'user'));
    let tmp: { tmpPath: string }[] = [];
    try {
      const upload = await parseMultipart(ctx as never, { maxBytes: PHOTO_MAX_BYTES, maxFiles: 1, maxFields: 5 });
      tmp = upload.files;
      await replacePhoto(kernel, user.id, upload.files.find((f) => f.field === 'photo'), ctx.state.user!.id);
    } catch (err) {
      const e = formError(err);
      return renderForm(kit, ctx, user, formOf(user), readable(kit, ctx, e), e.status);
    } finally {
      await discardUploads(tmp);
    }
    done(ctx, `/admin/users/${user.id}/`, 'saved');
  });

  router.post('/admin/users/:id/photo/delete/', ...edit, async (ctx) => {
    const user = await kernel.users.get(intId(ctx.params.id, 'user'));
    await removePhoto(kernel, user.id);
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

/** The form as posted; HR fields the form did not send keep the values of `base`. */
function readForm(body: unknown, base?: UserForm): UserForm {
  const sent = (name: string) => Object.hasOwn((body ?? {}) as object, name);
  const text = (name: (typeof HR_FIELDS)[number], fallback: string) => (sent(name) ? str(body, name) : fallback);
  return {
    login: str(body, 'login').trim(),
    email: str(body, 'email').trim(),
    name: str(body, 'name'),
    lastName: str(body, 'lastName'),
    active: checked(body, 'active'),
    groupIds: list(body, 'groups'),
    position: text('position', base?.position ?? ''),
    departmentId: text('departmentId', base?.departmentId ?? ''),
    phone: text('phone', base?.phone ?? ''),
    birthday: text('birthday', base?.birthday ?? ''),
    // A hidden "0" before the checkbox's "1": the last value sent wins.
    employee: sent('employee') ? list(body, 'employee').at(-1) === '1' : (base?.employee ?? true),
    notify: checked(body, 'notify'),
  };
}

function formOf(user: User): UserForm {
  return {
    login: user.login, email: user.email, name: user.name, lastName: user.lastName, active: user.active, groupIds: user.groupIds.map(String),
    position: user.position, departmentId: user.departmentId ? String(user.departmentId) : '', phone: user.phone, birthday: user.birthday ?? '', employee: user.employee,
  };
}

/** The HR part of a create or update, for the fields the form sent. */
function hrPatch(kit: AdminKit, ctx: Ctx, body: unknown, form: UserForm): UserPatch {
  const sent = (name: string) => Object.hasOwn((body ?? {}) as object, name);
  const patch: UserPatch = {};
  if (sent('position')) patch.position = form.position;
  if (sent('phone')) patch.phone = form.phone;
  if (sent('birthday')) patch.birthday = form.birthday.trim() || null;
  if (sent('employee')) patch.employee = form.employee;
  if (sent('departmentId')) {
    if (form.departmentId !== '' && !/^[1-9][0-9]{0,9}$/.test(form.departmentId)) {
      throw coreErrors.VALIDATION_FAILED(kit.t(ctx, 'ADM_USER_ERR_DEPARTMENTID'), { field: 'departmentId' });
    }
    patch.departmentId = form.departmentId ? Number(form.departmentId) : null;
  }
  return patch;
}

/** The error in the screen's language where there is a message for it (the field it is about). */
function readable(kit: AdminKit, ctx: Ctx, err: PortalError, form?: UserForm): string {
  if (err.code === 'USER_EMAIL_TAKEN') return kit.t(ctx, 'ADM_USER_ERR_EMAIL_TAKEN', { EMAIL: String(err.details?.email ?? ''), LOGIN: String(err.details?.login ?? '') });
  if (err.code === 'USER_LOGIN_TAKEN') return kit.t(ctx, 'ADM_USER_ERR_LOGIN_TAKEN');
  if (err.code === 'USER_LOGIN_INVALID') return kit.t(ctx, 'ADM_USER_HINT_LOGIN');
  if (err.code === 'FILE_TOO_LARGE' || err.code === 'PAYLOAD_TOO_LARGE') return kit.t(ctx, 'ADM_USER_ERR_PHOTO_SIZE', { MAX: formatBytes(PHOTO_MAX_BYTES, ctx.state.language) });
  if (err.code === 'PHOTO_NOT_IMAGE' || err.code === 'PHOTO_MISSING') return kit.t(ctx, `ADM_USER_ERR_${err.code}`);
  const field = typeof err.details?.field === 'string' ? err.details.field : '';
  const key = `ADM_USER_ERR_${field.toUpperCase()}`;
  const value = form && Object.hasOwn(form, field) ? String(form[field as keyof UserForm]).slice(0, 100) : '';
  return field && kit.t(ctx, key) !== key ? kit.t(ctx, key, { VALUE: value }) : localizedMessage(kit.kernel.i18n, err, ctx.state.language);
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
  await kit.render(ctx, 'user-form', title, {
    heading: title, editing: user, form, groups, error, canEdit: await kit.can(ctx, 'main.users.edit'),
    departments: await kit.kernel.users.departments.flat(),
    photoUrl: user ? await photoUrlOf(kit.kernel, user.photoFileId) : null,
    maxPhoto: formatBytes(PHOTO_MAX_BYTES, ctx.state.language),
    passwordRule: { MIN: PASSWORD_MIN_LENGTH, MAX: PASSWORD_MAX_LENGTH },
  }, status);
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
