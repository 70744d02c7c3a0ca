import type { ModuleContext, ModuleRouter } from '../../../core/modules/types.js';
import { checkRight, denyAccess, PORTAL_VIEW } from '../../../core/http/guards.js';
import { coreErrors } from '../../../core/errors/codes.js';
import { serveFile } from '../../../core/files/serve-file.js';

/**
 * Uploaded files at /upload/<id>/<key>/<name> (kernel.files.url), with nosniff and attachment where needed.
 * A wrong or missing key is a 404 for everyone, as if the file did not exist. A file is then served to whoever
 * may view the portal (the switch pages follow: anonymous visitors only while an admin opened the portal to
 * them) and whom the module that stored it allows (infoblocks: readers of an infoblock whose elements use it).
 */
export function fileRoutes(router: ModuleRouter, { kernel }: ModuleContext): void {
  router.get('/upload/:id/:key/:name', async (ctx) => {
    const id = Number(ctx.params.id);
    const file = Number.isSafeInteger(id) && id > 0 ? await kernel.files.byUrl(id, ctx.params.key ?? '') : null;
    if (!file) throw coreErrors.NOT_FOUND('file');
    await checkRight(kernel, ctx, PORTAL_VIEW);
    const check = kernel.files.readCheckOf(file.module);
    if (check && !(await check(ctx.state.principal, file))) await denyAccess(kernel, ctx, 'You may not read this file', { file: id });
    await serveFile(ctx as never, kernel.files, file);
  });
}
