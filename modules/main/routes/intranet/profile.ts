import type { ModuleContext, ModuleRouter } from '../../../../core/modules/types.js';
import { PORTAL_VIEW, requireSignedIn } from '../../../../core/http/guards.js';
import { isPortalError, type PortalError } from '../../../../core/errors/portal-error.js';
import { discardUploads, parseMultipart } from '../../../../core/files/parse-upload.js';
import { formatBytes } from '../../../../core/files/file-errors.js';
import type { User } from '../../../../core/services.js';
import type { UserPatch } from '../../../../core/users/user-service.js';
import { userErrors } from '../../../../core/users/errors.js';
import { field, type Ctx } from '../page.js';
import { intranetPage } from './render.js';
import { personCards } from './people.js';
import { FULL_VIEW } from './visibility.js';
import { PHOTO_MAX_BYTES, profileErrors, removePhoto, replacePhoto } from './photo.js';

type Form = Record<'name' | 'lastName' | 'position' | 'departmentId' | 'phone' | 'birthday' | 'language', string>;

const LANGUAGES = ['', 'en', 'ru'];

/** The signed-in user's own profile: view, edit the fields, upload or remove the photo. */
export function intranetProfileRoutes(router: ModuleRouter, { kernel, t }: ModuleContext): void {
  const guard = requireSignedIn(kernel, PORTAL_VIEW);

  async function show(ctx: Ctx, opts: { form?: Form; error?: string | null; photoError?: string | null; status?: number } = {}): Promise<void> {
    const user = await kernel.users.get(ctx.state.user!.id);
    const [person] = await personCards(kernel, [user], FULL_VIEW);
    const lang = ctx.state.language;
    await intranetPage(ctx, 'profile', t('INTRANET_PROFILE', lang), {
      person,
      form: opts.form ?? formOf(user),
      departments: await kernel.users.departments.flat(),
      error: opts.error ?? null,
      photoError: opts.photoError ?? null,
      saved: ctx.query.saved === '1',
      photoSaved: ctx.query.photo === '1',
      photoRemoved: ctx.query.photo === '0',
      nameMissing: !user.name.trim() || !user.lastName.trim(),
      maxPhoto: formatBytes(PHOTO_MAX_BYTES, lang),
    }, { status: opts.status ?? 200 });
  }

  router.get('/profile/', guard, (ctx) => show(ctx));

  router.post('/profile/', guard, async (ctx) => {
    const body = ctx.request.body;
    const form: Form = {
      name: field(body, 'name'),
      lastName: field(body, 'lastName'),
      position: field(body, 'position'),
      departmentId: field(body, 'departmentId'),
      phone: field(body, 'phone'),
      birthday: field(body, 'birthday'),
      language: field(body, 'language'),
    };
    try {
      await kernel.users.update(ctx.state.user!.id, patchOf(form, t, ctx.state.language));
      ctx.redirect('/profile/?saved=1');
    } catch (err) {
      if (!isPortalError(err) || err.status >= 500) throw err;
      await show(ctx, { form, error: readable(err, t, ctx.state.language), status: err.status });
    }
  });

  router.post('/profile/photo/', guard, async (ctx) => {
    const user = ctx.state.user!;
    let tmp: { tmpPath: string }[] = [];
    try {
      const upload = await parseMultipart(ctx as never, { maxBytes: PHOTO_MAX_BYTES, maxFiles: 1, maxFields: 5 });
      tmp = upload.files;
      await replacePhoto(kernel, user.id, upload.files.find((f) => f.field === 'photo'), user.id);
      ctx.redirect('/profile/?photo=1');
    } catch (err) {
      if (!isPortalError(err) || err.status >= 500) throw err;
      await show(ctx, { photoError: readable(err, t, ctx.state.language), status: err.status });
    } finally {
      await discardUploads(tmp);
    }
  });

  router.post('/profile/photo/delete/', guard, async (ctx) => {
    await removePhoto(kernel, ctx.state.user!.id);
    ctx.redirect('/profile/?photo=0');
  });
}

function formOf(u: User): Form {
  return {
    name: u.name,
    lastName: u.lastName,
    position: u.position,
    departmentId: u.departmentId ? String(u.departmentId) : '',
    phone: u.phone,
    birthday: u.birthday ?? '',
    language: u.language ?? '',
  };
}

type T = ModuleContext['t'];

function patchOf(form: Form, t: T, lang: string): UserPatch {
  const departmentId = form.departmentId === '' ? null : Number(form.departmentId);
  if (departmentId !== null && (!Number.isSafeInteger(departmentId) || departmentId <= 0)) {
    throw profileErrors.PROFILE_FIELD_INVALID(t('INTRANET_ERR_DEPARTMENTID', lang), { field: 'departmentId' });
  }
  if (!form.name.trim() || !form.lastName.trim()) throw userErrors.USER_NAME_REQUIRED('', { field: form.name.trim() ? 'lastName' : 'name' });
  if (!LANGUAGES.includes(form.language)) throw profileErrors.PROFILE_FIELD_INVALID(t('INTRANET_ERR_LANGUAGE', lang), { field: 'language' });
  return {
    name: form.name,
    lastName: form.lastName,
    position: form.position,
    departmentId,
    phone: form.phone,
    birthday: form.birthday.trim() || null,
    language: form.language || null,
  };
}

/** The error in the page's language where we have a message for it. */
function readable(err: PortalError, t: T, lang: string): string {
  if (err.code === 'USER_NAME_REQUIRED') return t('ACC_NAME_REQUIRED', lang);
  if (err.code === 'FILE_TOO_LARGE' || err.code === 'PAYLOAD_TOO_LARGE') return t('INTRANET_ERR_PHOTO_SIZE', lang, { MAX: formatBytes(PHOTO_MAX_BYTES, lang) });
  if (err.code === 'PHOTO_NOT_IMAGE') return t('INTRANET_ERR_PHOTO_TYPE', lang);
  if (err.code === 'PHOTO_MISSING') return t('INTRANET_ERR_PHOTO_MISSING', lang);
  const fieldName = typeof err.details?.field === 'string' ? err.details.field : '';
  const key = `INTRANET_ERR_${fieldName.toUpperCase()}`;
  const message = fieldName ? t(key, lang) : '';
  return message && message !== key ? message : err.message;
}
