import type { ModuleContext } from '../../core/modules/types.js';
import type { Principal } from '../../core/services.js';
import type { IblockAccess } from './access.js';
import { ibErrors } from './errors.js';
import { toIblockType } from './mappers.js';
import { ibTags } from './tags.js';
import type { IblockType, IblockTypeInput } from './types.js';
import { bool, int, str } from './validate.js';

const fail = (m: string, details?: Record<string, unknown>) => ibErrors.IBLOCK_INPUT_INVALID(m, details);
type Row = Record<string, unknown>;

/** One infoblock type and changes to it (its code is fixed); adding, listing and deleting are in iblocks. */
export function createTypesApi(ctx: ModuleContext, access: IblockAccess) {
  const { db, cache } = ctx;

  async function get(id: number): Promise<IblockType> {
    const row = Number.isSafeInteger(id) && id > 0 ? ((await db.write('types').where({ id }).first()) as Row | undefined) : undefined;
    if (!row) throw ibErrors.IBLOCK_TYPE_NOT_FOUND(String(id));
    return toIblockType(row);
  }

  return {
    get,

    /** Renames, re-sorts or turns sections on or off for new infoblocks of the type. */
    async update(principal: Principal, id: number, patch: Partial<Omit<IblockTypeInput, 'code'>>): Promise<IblockType> {
      await access.assertManage(principal);
      const current = await get(id);
      const row: Row = {};
      if (patch.names !== undefined) {
        const en = str(patch.names?.en, 'names.en', fail, { required: true, max: 255 });
        row.names = JSON.stringify({ en, ru: str(patch.names?.ru, 'names.ru', fail, { max: 255 }) || en });
      }
      if (patch.sort !== undefined) row.sort = int(patch.sort, 'sort', fail, current.sort);
      if (patch.sections !== undefined) row.sections = bool(patch.sections, 'sections', fail, current.sections);
      if (Object.keys(row).length) await db.write('types').where({ id }).update(row);
      await cache.invalidateTags(ibTags.all);
      return get(id);
    },
  };
}
