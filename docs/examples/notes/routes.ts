import type { ModuleContext, ModuleRouter } from '../../../core/modules/types.js';
import { requireRight } from '../../../core/http/guards.js';

/** JSON routes; the kernel answers 404 for them while the module is not installed. */
export function routes(router: ModuleRouter, { kernel }: ModuleContext): void {
  router.get('/api/v1/notes', requireRight(kernel, 'notes.read'), async (ctx) => {
    ctx.body = { result: await kernel.api('notes').list(ctx.state.principal) };
  });

  router.post('/api/v1/notes', requireRight(kernel, 'notes.write'), async (ctx) => {
    const body = (ctx.request.body ?? {}) as { title?: unknown; body?: unknown };
    const note = await kernel.api('notes').add(ctx.state.principal, {
      authorId: ctx.state.user!.id,
      title: typeof body.title === 'string' ? body.title : '',
      body: typeof body.body === 'string' ? body.body : '',
    });
    ctx.status = 201;
    ctx.body = { result: note };
  });
}
