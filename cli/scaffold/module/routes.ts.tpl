import { str } from '../../core/http/admin-forms.js';
import { submitForm } from '../../core/http/flash.js';
import { requireRight } from '../../core/http/guards.js';
import type { ModuleContext, ModuleRouter } from '../../core/modules/types.js';

/**
 * Routes answer JSON and form posts; the HTML page is the file page `/__ID__/` (module.ts)
 * with the component __ID__.items. Every call goes through the one API, `kernel.api('__ID__')`,
 * which checks rights again; `requireRight` only answers early (sign-in, 401 or 403).
 */
export function routes(router: ModuleRouter, { kernel, t }: ModuleContext): void {
  router.get('/api/v1/__ID__/items', requireRight(kernel, '__ID__.items.view'), async (ctx) => {
    ctx.body = { result: await kernel.api('__ID__').list(ctx.state.principal) };
  });

  // The page's form: add, then back to the page with a flash message (post-redirect-get).
  router.post('/__ID__/', requireRight(kernel, '__ID__.items.add'), (ctx) =>
    submitForm(ctx, kernel, '/__ID__/', async () => {
      const item = await kernel.api('__ID__').add(ctx.state.principal, str(ctx.request.body, 'title'));
      return t('ADDED', ctx.state.language, { TITLE: item.title });
    }),
  );
}
