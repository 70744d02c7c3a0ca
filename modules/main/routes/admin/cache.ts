import type { ModuleContext, ModuleRouter } from '../../../../core/modules/types.js';
import { coreErrors } from '../../../../core/errors/codes.js';
import { done, formError, str, type AdminKit, type Ctx } from './http.js';

const TAG = /^[\x21-\x7e]{1,200}$/;

/** /admin/cache/: clear everything, or invalidate one tag. */
export function cacheRoutes(router: ModuleRouter, _mctx: ModuleContext, kit: AdminKit): void {
  const { kernel } = kit;
  const clear = kit.change('main.cache.clear');

  const renderPage = async (ctx: Ctx, tag = '', error: string | null = null, status = 200): Promise<void> => {
    const tags = ['main:sites', 'main:groups', 'rights', ...[...kernel.modules.available.keys()].filter((id) => kernel.modules.isInstalled(id)).map((id) => `main:options:${id}`)];
    await kit.render(ctx, 'cache', kit.t(ctx, 'ADM_CACHE'), { driver: kernel.cache.driverName, tag, tags, error, canClear: await kit.can(ctx, 'main.cache.clear') }, status);
  };

  router.get('/admin/cache/', kit.view, (ctx) => renderPage(ctx));

  router.post('/admin/cache/clear/', ...clear, async (ctx) => {
    await kernel.cache.clear();
    done(ctx, '/admin/cache/', 'cleared');
  });

  router.post('/admin/cache/tag/', ...clear, async (ctx) => {
    const tag = str(ctx.request.body, 'tag').trim();
    try {
      if (!TAG.test(tag)) throw coreErrors.VALIDATION_FAILED(kit.t(ctx, 'ADM_CACHE_TAG_INVALID'));
      await kernel.cache.invalidateTags(tag);
    } catch (err) {
      const e = formError(err);
      return renderPage(ctx, tag, e.message, e.status);
    }
    done(ctx, '/admin/cache/', 'tag_cleared');
  });
}
