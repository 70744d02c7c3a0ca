import type { ModuleContext } from '../../core/modules/types.js';
import type { Principal } from '../../core/services.js';
import type { IblockAccess } from './access.js';
import type { MetaStore } from './meta.js';

export interface CountOptions {
  /** Count only active elements within their active dates (and, with subsections, only active subsections). */
  activeOnly?: boolean;
  /** Count the elements of a section's whole subtree, each element once. */
  includeSubsections?: boolean;
  /** The instant active dates compare with (default now). */
  now?: number;
}

/** Element counts per section in one grouped query (api.sections.countElements). */
export function createSectionCounts(ctx: ModuleContext, access: IblockAccess, meta: MetaStore) {
  const { db } = ctx;
  return {
    /** Section id -> number of elements; sections without elements are left out. */
    async countElements(principal: Principal, iblockId: number, opts: CountOptions = {}): Promise<Record<number, number>> {
      await meta.load(iblockId);
      await access.assert(principal, iblockId, 'R');
      const q = db.read('sections').from(`${db.table('sections')} as a`).where('a.iblock_id', iblockId);
      let bound = 'a.id';
      if (opts.includeSubsections) {
        // Descendants (and the section itself) share its materialized path as a prefix.
        q.join(`${db.table('sections')} as d`, 'd.iblock_id', 'a.iblock_id').whereRaw('SUBSTR(??, 1, LENGTH(??)) = ??', ['d.path', 'a.path', 'a.path']);
        if (opts.activeOnly) q.where('d.active', true);
        bound = 'd.id';
      }
      q.join(`${db.table('element_sections')} as es`, 'es.section_id', bound).join(`${db.table('elements')} as e`, 'e.id', 'es.element_id');
      if (opts.activeOnly) {
        const now = opts.now ?? Date.now();
        q.where('e.active', true)
          .where((w) => w.whereNull('e.active_from').orWhere('e.active_from', '<=', now))
          .where((w) => w.whereNull('e.active_to').orWhere('e.active_to', '>=', now));
      }
      const rows = (await q.groupBy('a.id').select('a.id').countDistinct({ n: 'es.element_id' })) as { id: unknown; n: unknown }[];
      return Object.fromEntries(rows.map((r) => [Number(r.id), Number(r.n)]));
    },
  };
}
