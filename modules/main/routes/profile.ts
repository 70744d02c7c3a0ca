import type { ModuleContext, ModuleRouter } from '../../../core/modules/types.js';
import { PORTAL_VIEW, requireSignedIn } from '../../../core/http/guards.js';
import { isPortalError } from '../../../core/errors/portal-error.js';
import { signIn } from '../../../core/http/auth.js';
import { field, page } from './page.js';

export function profileRoutes(router: ModuleRouter, { kernel, t }: ModuleContext): void {
  const guard = requireSignedIn(kernel, PORTAL_VIEW);

  router.get('/profile/password/', guard, async (ctx) => {
    await page(ctx, 'profile-password', t('CHANGE_PASSWORD', ctx.state.language), { error: null, done: ctx.query.done === '1' });
  });

  router.post('/profile/password/', guard, async (ctx) => {
    const user = ctx.state.user!;
    const current = field(ctx.request.body, 'current');
    const next = field(ctx.request.body, 'password');
    try {
      await kernel.users.authenticate(user.login, current, ctx.ip);
      // Other sessions of the user end; this one continues under a new id.
      await kernel.users.setPassword(user.id, next, { keepSessionId: ctx.state.session?.id });
      await signIn(ctx, kernel, user);
      ctx.redirect('/profile/password/?done=1');
    } catch (err) {
      if (!isPortalError(err) || err.status >= 500) throw err;
      const message = err.code === 'LOGIN_FAILED' ? t('SIGN_IN_FAILED', ctx.state.language) : err.message;
      await page(ctx, 'profile-password', t('CHANGE_PASSWORD', ctx.state.language), { error: message, done: false }, err.status === 401 ? 400 : err.status);
    }
  });
}
