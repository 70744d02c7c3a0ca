import type { ModuleContext, ModuleRouter } from '../../../core/modules/types.js';
import { PORTAL_VIEW, requireSignedIn } from '../../../core/http/guards.js';
import { isPortalError } from '../../../core/errors/portal-error.js';
import { signIn } from '../../../core/http/auth.js';
import { cookieNames } from '../../../core/http/cookies.js';
import { setRetryAfter } from '../../../core/http/error-handler.js';
import { localizedMessage } from '../../../core/i18n/error-text.js';
import { userErrors } from '../../../core/users/errors.js';
import { checkPasswordPolicy, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../../core/users/passwords.js';
import { field, page } from './page.js';

const PASSWORD_RULE_PARAMS = { MIN: PASSWORD_MIN_LENGTH, MAX: PASSWORD_MAX_LENGTH };

export function profileRoutes(router: ModuleRouter, { kernel, t }: ModuleContext): void {
  const guard = requireSignedIn(kernel, PORTAL_VIEW);
  const deviceCookie = cookieNames(kernel.config.http.secureCookies).device;

  router.get('/profile/password/', guard, async (ctx) => {
    await page(ctx, 'profile-password', t('CHANGE_PASSWORD', ctx.state.language), { error: null, done: ctx.query.done === '1', passwordRule: PASSWORD_RULE_PARAMS });
  });

  router.post('/profile/password/', guard, async (ctx) => {
    const user = ctx.state.user!;
    const current = field(ctx.request.body, 'current');
    const next = field(ctx.request.body, 'password');
    try {
      // The new password first: a typo there costs no attempt of the throttle.
      checkPasswordPolicy(next, user.login);
      if (next !== field(ctx.request.body, 'password2')) throw userErrors.PASSWORD_MISMATCH();
      const device = ctx.cookies.get(deviceCookie);
      await kernel.users.checkPassword(user.id, current, { ip: ctx.ip, ...(device ? { device } : {}) });
      // Other sessions of the user end; this one continues under a new id.
      await kernel.users.setPassword(user.id, next, { keepSessionId: ctx.state.session?.id });
      await signIn(ctx, kernel, user);
      ctx.redirect('/profile/password/?done=1');
    } catch (err) {
      if (!isPortalError(err) || err.status >= 500) throw err;
      setRetryAfter(ctx, err);
      await page(ctx, 'profile-password', t('CHANGE_PASSWORD', ctx.state.language), { error: localizedMessage(kernel.i18n, err, ctx.state.language), done: false, passwordRule: PASSWORD_RULE_PARAMS }, err.status);
    }
  });
}
