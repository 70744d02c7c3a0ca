import type { ModuleContext, ModuleRouter } from '../../../core/modules/types.js';
import { requireRight } from '../../../core/http/guards.js';
import { coreErrors } from '../../../core/errors/codes.js';
import { serveFile } from '../../../core/files/serve-file.js';

/** Uploaded files, for signed-in users, with nosniff and attachment where needed. */
export function fileRoutes(router: ModuleRouter, { kernel }: ModuleContext): void {
  router.get('/upload/:id/:name', requireRight(kernel, 'main.portal.view'), async (ctx) => {
    const id = Number(ctx.params.id);
    if (!Number.isInteger(id) || id <= 0) throw coreErrors.NOT_FOUND('file');
    await serveFile(ctx as never, kernel.files, id);
  });
}
