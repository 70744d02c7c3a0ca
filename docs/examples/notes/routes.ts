import type { ModuleContext, ModuleRouter } from '../../../core/modules/types.js';
import { requireRight } from '../../../core/http/guards.js';
import { str } from '../../../core/http/admin-forms.js';
import { submitForm } from '../../../core/http/flash.js';

/** JSON routes and the board's form; the kernel answers 404 for them while the module is not installed. */
export function routes(router: ModuleRouter, { kernel, t }: ModuleContext): void {
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

  // The board's form (notes.board on the page /notes/): post, then redirect back with a flash message.
  router.post('/notes/', requireRight(kernel, 'notes.write'), (ctx) =>
    submitForm(ctx, kernel, '/notes/', async () => {
      const form = ctx.request.body as Record<string, unknown>;
      const note = await kernel.api('notes').add(ctx.state.principal, { authorId: ctx.state.user!.id, title: str(form, 'title'), body: str(form, 'body') });
      return t('NOTE_ADDED', ctx.state.language, { TITLE: note.title });
    }),
  );
}
