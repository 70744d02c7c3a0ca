import type { ModuleContext } from '../../core/modules/types.js';
import type { ReferenceChecker } from '../../core/components/references.js';
import { isPortalError } from '../../core/errors/portal-error.js';
import type { Principal } from '../../core/services.js';

const SYSTEM: Principal = { userId: null, groupIds: [], isAdmin: true };

/**
 * Answers the page builder whether a component parameter's infoblock exists (`refers: { module: 'infoblocks',
 * kind: 'iblock' }`, a code or an id) and is active; who may read it is checked when the page renders.
 */
export function componentReferences(ctx: ModuleContext, iblocks: { get(p: Principal, id: number): Promise<{ active: boolean }>; getByCode(p: Principal, code: string): Promise<{ active: boolean }> }): ReferenceChecker {
  return {
    async checkReference(kind, value, language) {
      if (kind !== 'iblock') return ctx.t('IB_REF_KIND_UNKNOWN', language, { KIND: kind });
      const ref = String(value).trim();
      const found = await (/^\d+$/.test(ref) ? iblocks.get(SYSTEM, Number(ref)) : iblocks.getByCode(SYSTEM, ref)).catch((err: unknown) => {
        if (isPortalError(err) && err.status === 404) return null;
        throw err;
      });
      if (!found) return ctx.t('IB_REF_IBLOCK_MISSING', language, { VALUE: ref });
      return found.active ? null : ctx.t('IB_REF_IBLOCK_INACTIVE', language, { VALUE: ref });
    },
  };
}
