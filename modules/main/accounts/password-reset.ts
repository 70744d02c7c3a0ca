import type { ModuleContext, ModuleRouter } from '../../../core/modules/types.js';
import { isPortalError } from '../../../core/errors/portal-error.js';
import { allowPageCache } from '../../../core/http/page-cache.js';
import { localizedMessage } from '../../../core/i18n/error-text.js';
import { datesFor } from '../../../core/time/date-format.js';
import { userErrors } from '../../../core/users/errors.js';
import { checkPasswordPolicy, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../../core/users/passwords.js';
import { validateEmail } from '../../../core/users/user-validation.js';
import { field, page, type Ctx } from '../routes/page.js';
import { mailUser } from './account-mail.js';
import { afterResponse, throttleForm } from './throttle.js';

/** How long a password-reset link works. */
export const RESET_LINK_MS = 3600_000;
const PASSWORD_RULE = { MIN: PASSWORD_MIN_LENGTH, MAX: PASSWORD_MAX_LENGTH };

/**
 * "Forgot your password?": /auth/forgot/ mails a one-time link (the same answer, and the
 * same work before it, whether or not the address belongs to an account), /auth/reset/ sets
 * the new password with it, which signs the account out everywhere.
 */
export function passwordResetRoutes(router: ModuleRouter, { kernel, t }: ModuleContext): void {
  const tr = (ctx: Ctx) => (key: string, params?: Record<string, string>) => t(key, ctx.state.language, params);
  const forgot = (ctx: Ctx, data: { email: string; error?: string | null; sent?: boolean }, status = 200) =>
    page(ctx, 'auth/forgot', t('ACC_FORGOT_TITLE', ctx.state.language), { error: null, sent: false, ...data }, status);
  const invalid = (ctx: Ctx) =>
    page(ctx, 'auth/link-invalid', t('ACC_RESET_TITLE', ctx.state.language), { heading: t('ACC_RESET_TITLE', ctx.state.language), again: '/auth/forgot/', againLabel: t('ACC_LINK_AGAIN_RESET', ctx.state.language) }, 400);

  router.get('/auth/forgot/', async (ctx) => {
    allowPageCache(ctx);
    await forgot(ctx, { email: '' });
  });

  router.post('/auth/forgot/', async (ctx) => {
    const email = field(ctx.request.body, 'email').trim().slice(0, 255);
    try {
      validateEmail(email);
    } catch {
      return forgot(ctx, { email, error: t('ACC_EMAIL_INVALID', ctx.state.language) }, 400);
    }
    const refused = await throttleForm(kernel, ctx, 'reset', email.toLowerCase(), tr(ctx));
    if (refused) return forgot(ctx, { email, error: refused }, 429);
    const place = { site: ctx.state.site, language: ctx.state.language, request: { protocol: ctx.protocol, host: ctx.host } };
    const ip = ctx.ip;
    afterResponse(kernel, 'password reset mail', async () => {
      const user = await kernel.users.findByEmail(email);
      // Blocked, unconfirmed and directory (LDAP) accounts get no local password this way.
      if (!user || !user.active || user.externalAuthId) return;
      const token = await kernel.users.accountTokens.issue(user.id, 'password_reset', RESET_LINK_MS);
      const expires = datesFor({ language: user.language ?? place.language, site: place.site }).dateTime(Date.now() + RESET_LINK_MS);
      await mailUser(kernel, 'USER_PASSWORD_RESET', user, { ...place, language: user.language ?? place.language }, { EXPIRES: expires }, { URL: `/auth/reset/?token=${token}` });
      await kernel.users.securityLog.record('password.reset_requested', { userId: user.id, login: user.login, ip });
    });
    await forgot(ctx, { email, sent: true });
  });

  router.get('/auth/reset/', async (ctx) => {
    const token = typeof ctx.query.token === 'string' ? ctx.query.token : '';
    const user = await userOfLink(token);
    if (!user) return invalid(ctx);
    await page(ctx, 'auth/reset', t('ACC_RESET_TITLE', ctx.state.language), { token, login: user.login, error: null, passwordRule: PASSWORD_RULE });
  });

  router.post('/auth/reset/', async (ctx) => {
    const body = ctx.request.body;
    const token = field(body, 'token');
    const password = field(body, 'password');
    const user = await userOfLink(token);
    if (!user) return invalid(ctx);
    try {
      // The password first: a typo does not use the link up.
      checkPasswordPolicy(password, user.login);
      if (password !== field(body, 'password2')) throw userErrors.PASSWORD_MISMATCH();
    } catch (err) {
      if (!isPortalError(err) || err.status >= 500) throw err;
      const error = localizedMessage(kernel.i18n, err, ctx.state.language);
      return page(ctx, 'auth/reset', t('ACC_RESET_TITLE', ctx.state.language), { token, login: user.login, error, passwordRule: PASSWORD_RULE }, err.status);
    }
    if ((await kernel.users.accountTokens.consume(token, 'password_reset')) !== user.id) return invalid(ctx);
    // Every session of the user ends, this browser's too if it was signed in as them.
    await kernel.users.setPassword(user.id, password);
    await kernel.users.securityLog.record('password.reset', { userId: user.id, login: user.login, ip: ctx.ip });
    ctx.redirect('/auth/login/?done=reset');
  });

  /** The active user a valid reset link belongs to, else null. */
  async function userOfLink(token: string) {
    const id = await kernel.users.accountTokens.peek(token, 'password_reset');
    const user = id === null ? null : await kernel.users.find(id);
    return user && user.active ? user : null;
  }
}
