import type { ModuleContext, ModuleRouter } from '../../../core/modules/types.js';
import { isPortalError } from '../../../core/errors/portal-error.js';
import { signIn, signOut } from '../../../core/http/auth.js';
import { allowPageCache } from '../../../core/http/page-cache.js';
import { field, page, safeBack } from './page.js';

export function authRoutes(router: ModuleRouter, { kernel, t }: ModuleContext): void {
  router.get('/auth/login/', async (ctx) => {
    if (ctx.state.user) return ctx.redirect(safeBack(ctx.query.back));
    allowPageCache(ctx);
    const lang = ctx.state.language;
    await page(ctx, 'login', t('SIGN_IN', lang), { back: safeBack(ctx.query.back), login: '', error: null });
  });

  router.post('/auth/login/', async (ctx) => {
    const login = field(ctx.request.body, 'login').trim();
    const password = field(ctx.request.body, 'password');
    const back = safeBack(field(ctx.request.body, 'back'));
    try {
      if (!login || !password) throw Object.assign(new Error(t('SIGN_IN_FAILED', ctx.state.language)), { status: 400 });
      const user = await kernel.users.authenticate(login, password, ctx.ip);
      await signIn(ctx, kernel, user);
      ctx.redirect(back);
    } catch (err) {
      const status = isPortalError(err) ? err.status : (err as { status?: number }).status;
      if (!status || (status >= 500 && !(isPortalError(err) && err.code === 'LOGIN_UNAVAILABLE'))) throw err;
      const message = isPortalError(err) && err.code !== 'LOGIN_FAILED' ? err.message : t('SIGN_IN_FAILED', ctx.state.language);
      await page(ctx, 'login', t('SIGN_IN', ctx.state.language), { back, login, error: message }, status);
    }
  });

  router.post('/auth/logout/', async (ctx) => {
    await signOut(ctx, kernel);
    ctx.redirect('/auth/login/');
  });
}
