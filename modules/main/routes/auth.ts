import type { ModuleContext, ModuleRouter } from '../../../core/modules/types.js';
import { isPortalError } from '../../../core/errors/portal-error.js';
import { signIn, signOut } from '../../../core/http/auth.js';
import { cookieNames, cookieOptions } from '../../../core/http/cookies.js';
import { setRetryAfter, wantsJson } from '../../../core/http/error-handler.js';
import { allowPageCache } from '../../../core/http/page-cache.js';
import { localizedMessage } from '../../../core/i18n/error-text.js';
import { DEVICE_TOKEN_DAYS } from '../../../core/users/device-token.js';
import { field, page, safeBack, type Ctx } from './page.js';
import { registrationOpen } from '../accounts/registration.js';

export function authRoutes(router: ModuleRouter, { kernel, t }: ModuleContext): void {
  const secure = kernel.config.http.secureCookies;
  const deviceCookie = cookieNames(secure).device;

  router.get('/auth/login/', async (ctx) => {
    if (ctx.state.user) return ctx.redirect(safeBack(ctx.query.back));
    allowPageCache(ctx);
    const lang = ctx.state.language;
    const notice = ctx.query.done === 'reset' ? t('ACC_RESET_DONE', lang) : ctx.query.done === 'confirmed' ? t('ACC_CONFIRMED', lang) : null;
    await page(ctx, 'login', t('SIGN_IN', lang), { back: safeBack(ctx.query.back), login: '', error: null, notice, canRegister: await registrationOpen(kernel, ctx.state.site.id) });
  });

  router.post('/auth/login/', async (ctx) => {
    const login = field(ctx.request.body, 'login').trim();
    const password = field(ctx.request.body, 'password');
    const back = safeBack(field(ctx.request.body, 'back'));
    const device = ctx.cookies.get(deviceCookie);
    try {
      if (!login || !password) throw Object.assign(new Error(t('SIGN_IN_FAILED', ctx.state.language)), { status: 400 });
      const user = await kernel.users.authenticate(login, password, { ip: ctx.ip, ...(device ? { device } : {}) });
      await rememberDevice(ctx, user.login, device);
      await signIn(ctx, kernel, user);
      ctx.redirect(back);
    } catch (err) {
      const status = isPortalError(err) ? err.status : (err as { status?: number }).status;
      if (!status || (status >= 500 && !(isPortalError(err) && err.code === 'LOGIN_UNAVAILABLE')) || wantsJson(ctx)) throw err;
      setRetryAfter(ctx, err);
      const message = isPortalError(err) && err.code !== 'LOGIN_FAILED' ? localizedMessage(kernel.i18n, err, ctx.state.language) : t('SIGN_IN_FAILED', ctx.state.language);
      const error = (await unconfirmed(err, login)) ? t('ACC_NOT_CONFIRMED', ctx.state.language) : message;
      await page(ctx, 'login', t('SIGN_IN', ctx.state.language), { back, login, error, notice: null, canRegister: await registrationOpen(kernel, ctx.state.site.id) }, status);
    }
  });

  router.post('/auth/logout/', async (ctx) => {
    await signOut(ctx, kernel);
    ctx.redirect('/auth/login/');
  });

  /** A blocked account (the right password given) that is a registration waiting for its confirmation. */
  async function unconfirmed(err: unknown, login: string): Promise<boolean> {
    if (!isPortalError(err) || err.code !== 'USER_BLOCKED') return false;
    const user = await kernel.users.findByLogin(login);
    return user !== null && (await kernel.users.accountTokens.has(user.id, 'registration'));
  }

  /** Gives the browser a device cookie for this login (kept after sign-out), unless it has one. */
  async function rememberDevice(ctx: Ctx, login: string, current: string | undefined): Promise<void> {
    if (current && (await kernel.users.isDeviceToken(login, current))) return;
    ctx.cookies.set(deviceCookie, await kernel.users.deviceToken(login), cookieOptions({ secure }, DEVICE_TOKEN_DAYS * 86_400_000));
  }
}
