import type { ModuleContext } from '../../core/modules/types.js';

/** Files main stores are user photos: shown wherever colleagues are, so for whoever may see the directory, and their owner. */
export function registerMainFileAccess(ctx: ModuleContext): void {
  ctx.kernel.files.setReadCheck('main', async (principal, file) => {
    if (principal.userId !== null && file.createdBy === principal.userId) return true;
    return ctx.kernel.rights.can(principal, 'main.users.view');
  });
}
