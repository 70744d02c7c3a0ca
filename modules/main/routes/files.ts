import type { ModuleContext, ModuleRouter } from '../../../core/modules/types.js';
import { checkRight, denyAccess } from '../../../core/http/guards.js';
import { coreErrors } from '../../../core/errors/codes.js';
import { serveFile } from '../../../core/files/serve-file.js';

/**
 * Uploaded files with nosniff and attachment where needed. The module that stored a file decides who may read it
 * (infoblocks: readers of an infoblock whose elements use it); files of modules without a check need the portal view.
 */
export function fileRoutes(router: ModuleRouter, { kernel }: ModuleContext): void {
  router.get('/upload/:id/:name', async (ctx) => {
    const id = Number(ctx.params.id);
    if (!Number.isSafeInteger(id) || id <= 0) throw coreErrors.NOT_FOUND('file');
    const file = await kernel.files.get(id).catch((err: { code?: string }) => {
      if (err.code === 'FILE_NOT_FOUND') return null;
      throw err;
    });
    const check = file && kernel.files.readCheckOf(file.module);
    if (!check) await checkRight(kernel, ctx, 'main.portal.view');
    if (!file) throw coreErrors.NOT_FOUND('file');
    if (check && !(await check(ctx.state.principal, file))) await denyAccess(kernel, ctx, 'You may not read this file', { file: id });
    await serveFile(ctx as never, kernel.files, file);
  });
}
