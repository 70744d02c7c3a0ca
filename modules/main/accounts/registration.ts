import type { ModuleContext, ModuleRouter } from '../../../core/modules/types.js';
import { coreErrors } from '../../../core/errors/codes.js';
import { isPortalError, type PortalError } from '../../../core/errors/portal-error.js';
import { localizedMessage } from '../../../core/i18n/error-text.js';
import { datesFor } from '../../../core/time/date-format.js';
import { userErrors } from '../../../core/users/errors.js';
import { checkPasswordPolicy, hashPassword, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../../core/users/passwords.js';
import { validateEmail, validateLogin } from '../../../core/users/user-validation.js';
import type { User } from '../../../core/services.js';
import { field, page, type Ctx } from '../routes/page.js';
import { mailUser, type MailPlace } from './account-mail.js';
import { afterResponse, throttleForm } from './throttle.js';

/** How long a new account waits for its confirmation before it is deleted. */
export const CONFIRM_LINK_MS = 24 * 3600_000;
const PASSWORD_RULE = { MIN: PASSWORD_MIN_LENGTH, MAX: PASSWORD_MAX_LENGTH };

type Form = Record<'name' | 'lastName' | 'email' | 'login', string>;

/** Whether visitors may register on the site (the `allow_registration` option). */
export async function registrationOpen(kernel: ModuleContext['kernel'], siteId: string): Promise<boolean> {
  return (await kernel.options.get<boolean>('main', 'allow_registration', siteId)) === true;
}

/**
 * Self-registration while `allow_registration` is on (404 otherwise): /auth/register/ makes
 * an inactive account and mails a link; /auth/confirm/ activates it. An address that already
 * has an account gets the same answer on the page and a mail to its owner instead, so the form
 * does not tell who has an account. Unconfirmed accounts are deleted by an agent (purgeUnconfirmed).
 */
export function registrationRoutes(router: ModuleRouter, { kernel, t }: ModuleContext): void {
  const tr = (ctx: Ctx) => (key: string, params?: Record<string, string>) => t(key, ctx.state.language, params);
  const form = (ctx: Ctx, data: { form: Form; error?: string | null; sent?: boolean }, status = 200) =>
    page(ctx, 'auth/register', t('ACC_REGISTER_LINK', ctx.state.language), { error: null, sent: false, passwordRule: PASSWORD_RULE, ...data }, status);
  const invalid = (ctx: Ctx) =>
    page(ctx, 'auth/link-invalid', t('ACC_CONFIRM_TITLE', ctx.state.language), { heading: t('ACC_CONFIRM_TITLE', ctx.state.language), again: '/auth/register/', againLabel: t('ACC_LINK_AGAIN_REGISTER', ctx.state.language) }, 400);
  const assertOpen = async (ctx: Ctx) => {
    if (!(await registrationOpen(kernel, ctx.state.site.id))) throw coreErrors.NOT_FOUND(t('ERR_REGISTRATION_CLOSED', ctx.state.language));
  };

  router.get('/auth/register/', async (ctx) => {
    await assertOpen(ctx);
    if (ctx.state.user) return ctx.redirect('/');
    await form(ctx, { form: { name: '', lastName: '', email: '', login: '' } });
  });

  router.post('/auth/register/', async (ctx) => {
    await assertOpen(ctx);
    const body = ctx.request.body;
    const data: Form = { name: field(body, 'name').trim(), lastName: field(body, 'lastName').trim(), email: field(body, 'email').trim(), login: field(body, 'login').trim() };
    const password = field(body, 'password');
    const refused = await throttleForm(kernel, ctx, 'register', '', tr(ctx));
    if (refused) return form(ctx, { form: data, error: refused }, 429);
    try {
      if (!data.name || !data.lastName) throw userErrors.USER_NAME_REQUIRED('', { field: 'name' });
      validateEmail(data.email);
      validateLogin(data.login);
      checkPasswordPolicy(password, data.login);
      if (password !== field(body, 'password2')) throw userErrors.PASSWORD_MISMATCH();
      if (await kernel.users.findByLogin(data.login)) throw userErrors.USER_LOGIN_TAKEN(data.login);
    } catch (err) {
      if (!isPortalError(err) || err.status >= 500) throw err;
      return form(ctx, { form: data, error: readable(err, ctx) }, err.status);
    }
    const place: MailPlace = { site: ctx.state.site, language: ctx.state.language, request: { protocol: ctx.protocol, host: ctx.host } };
    const owner = await kernel.users.findByEmail(data.email);
    if (owner) {
      await hashPassword(password); // the work a new account costs, so both answers take as long
      afterResponse(kernel, 'registration mail', () => mailExisting(owner, place));
      return form(ctx, { form: data, sent: true });
    }
    let user: User;
    try {
      user = await kernel.users.create({ ...data, password, active: false, language: ctx.state.language });
    } catch (err) {
      if (!isPortalError(err) || err.status >= 500) throw err;
      if (err.code === 'USER_EMAIL_TAKEN') return form(ctx, { form: data, sent: true }); // registered a moment ago
      return form(ctx, { form: data, error: readable(err, ctx) }, err.status);
    }
    await kernel.users.securityLog.record('registration.created', { userId: user.id, login: user.login, ip: ctx.ip });
    afterResponse(kernel, 'registration mail', () => mailConfirmation(user, place));
    await form(ctx, { form: data, sent: true });
  });

  router.get('/auth/confirm/', async (ctx) => {
    const token = typeof ctx.query.token === 'string' ? ctx.query.token : '';
    const id = await kernel.users.accountTokens.peek(token, 'registration');
    const user = id === null ? null : await kernel.users.find(id);
    if (!user) return invalid(ctx);
    // A button, not the GET itself: mail scanners that open links do not activate accounts.
    await page(ctx, 'auth/confirm', t('ACC_CONFIRM_TITLE', ctx.state.language), { token, login: user.login });
  });

  router.post('/auth/confirm/', async (ctx) => {
    const id = await kernel.users.accountTokens.consume(field(ctx.request.body, 'token'), 'registration');
    const user = id === null ? null : await kernel.users.find(id);
    if (!user) return invalid(ctx);
    await kernel.users.setActive(user.id, true);
    await kernel.users.securityLog.record('registration.confirmed', { userId: user.id, login: user.login, ip: ctx.ip });
    ctx.redirect('/auth/login/?done=confirmed');
  });

  async function mailExisting(owner: User, place: MailPlace): Promise<void> {
    // Registered before and still unconfirmed: a new link (the old one stops working).
    if (!owner.active && (await kernel.users.accountTokens.has(owner.id, 'registration'))) return mailConfirmation(owner, place);
    await mailUser(kernel, 'USER_REGISTRATION_EXISTS', owner, { ...place, language: owner.language ?? place.language }, {}, { URL: '/auth/login/', RESET_URL: '/auth/forgot/' });
  }

  async function mailConfirmation(user: User, place: MailPlace): Promise<void> {
    const token = await kernel.users.accountTokens.issue(user.id, 'registration', CONFIRM_LINK_MS);
    const language = user.language ?? place.language;
    const expires = datesFor({ language, site: place.site }).dateTime(Date.now() + CONFIRM_LINK_MS);
    await mailUser(kernel, 'USER_REGISTRATION_CONFIRM', user, { ...place, language }, { EXPIRES: expires }, { URL: `/auth/confirm/?token=${token}` });
  }

  function readable(err: PortalError, ctx: Ctx): string {
    const lang = ctx.state.language;
    if (err.code === 'USER_NAME_REQUIRED') return t('ACC_NAME_REQUIRED', lang);
    if (err.code === 'USER_LOGIN_TAKEN') return t('ACC_LOGIN_TAKEN', lang);
    if (err.code === 'USER_LOGIN_INVALID') return t('ACC_LOGIN_HINT', lang);
    if (err.code === 'USER_EMAIL_INVALID') return t('ACC_EMAIL_INVALID', lang);
    return localizedMessage(kernel.i18n, err, lang);
  }
}

/**
 * Deletes the accounts whose confirmation link expired unused (never active, never signed in).
 * Returns how many; the `registrations.purge` agent runs it hourly.
 */
export async function purgeUnconfirmed(kernel: ModuleContext['kernel'], now = Date.now()): Promise<number> {
  let deleted = 0;
  for (const id of await kernel.users.accountTokens.purgeExpired('registration', now)) {
    const user = await kernel.users.find(id);
    if (!user || user.active || user.lastLoginAt) continue;
    await kernel.users.delete(user.id);
    deleted++;
  }
  return deleted;
}
