import './events.js';
import type { ModuleContext } from '../../core/modules/types.js';
import { IblockAccess } from './access.js';
import { createElementsApi, deleteElementRows } from './elements-api.js';
import { registerFileAccess } from './file-access.js';
import { createIblocksApi } from './iblocks-api.js';
import { MetaStore } from './meta.js';
import { createPropertiesApi } from './properties-api.js';
import { createSectionCounts } from './section-counts.js';
import { createSectionsApi } from './sections-api.js';
import { createTypesApi } from './types-api.js';
import { createFilesApi } from './unused-files.js';
import { componentReferences } from './component-references.js';

/** kernel.api('infoblocks'): types and infoblocks, properties, sections, elements. */
export function createInfoblocksApi(ctx: ModuleContext) {
  const access = new IblockAccess(ctx);
  const meta = new MetaStore(ctx);
  registerFileAccess(ctx, access);
  const purgeContent = async (iblockId: number) => {
    const m = await meta.load(iblockId);
    const ids = ((await ctx.db.write('elements').where({ iblock_id: iblockId }).pluck('id')) as unknown[]).map(Number);
    await ctx.db.transaction(async (tx) => {
      await deleteElementRows(ctx, tx, m, ids);
      await tx.table('sections').where({ iblock_id: iblockId }).delete();
    });
  };
  const iblocks = createIblocksApi({ ctx, access, meta, purgeContent });
  return {
    iblocks,
    ...componentReferences(ctx, iblocks),
    types: createTypesApi(ctx, access),
    properties: createPropertiesApi(ctx, access, meta),
    sections: { ...createSectionsApi(ctx, access, meta), ...createSectionCounts(ctx, access, meta) },
    elements: createElementsApi(ctx, access, meta),
    files: createFilesApi(ctx, access),
  };
}

export type InfoblocksApi = ReturnType<typeof createInfoblocksApi>;

declare module '../../core/modules/types.js' {
  interface ModuleApis {
    infoblocks: InfoblocksApi;
  }
}
