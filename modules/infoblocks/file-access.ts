import type { ModuleContext } from '../../core/modules/types.js';
import type { IblockAccess } from './access.js';
import { rank } from './access.js';
import { iblocksUsing } from './storage/file-refs.js';

/**
 * Who may download a file the infoblocks stored (/upload/<id>/…): whoever may read an infoblock whose elements use
 * it; a file no element uses (yet), only whoever stored it and infoblock managers.
 */
export function registerFileAccess(ctx: ModuleContext, access: IblockAccess): void {
  ctx.kernel.files.setReadCheck('infoblocks', async (principal, file) => {
    const iblockIds = (await iblocksUsing(ctx.db, [file.id])).get(file.id);
    if (!iblockIds) {
      if (principal.userId !== null && file.createdBy === principal.userId) return true;
      return principal.isAdmin || (await ctx.kernel.rights.can(principal, 'infoblocks.manage'));
    }
    for (const id of iblockIds) if (rank(await access.levelOf(principal, id)) >= rank('R')) return true;
    return false;
  });
}
