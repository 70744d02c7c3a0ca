import type { ModuleContext } from '../../../core/modules/types.js';
import type { Principal } from '../../../core/services.js';
import type { IblockAccess } from '../access.js';
import { rank } from '../access.js';
import type { Row } from '../element-row.js';
import type { IblockMeta, MetaStore } from '../meta.js';
import { hydrate, resolveSelect } from '../query/list.js';
import { singleTable } from '../storage/value-columns.js';
import type { Element } from '../types.js';
import { rowsByKey } from './match.js';

export interface ElementKeys {
  iblockId: number;
  xmlId: string | null;
  code: string;
}

const CHUNK = 500;

/** Reads for exchange formats: every element page by page, keys of linked elements, ids by key. */
export function createBulkReads(ctx: ModuleContext, access: IblockAccess, meta: MetaStore, siteDir: (m: IblockMeta) => Promise<string>) {
  const { db } = ctx;
  return {
    /**
     * Every element of the infoblock in id order, `pageSize` at a time, with all properties and sections.
     * Keyset pages (id > last): no total count, no OFFSET scans, nothing cached, so 1M elements stream evenly.
     */
    async *pages(principal: Principal, iblockId: number, opts: { pageSize?: number } = {}): AsyncGenerator<Element[]> {
      const m = await meta.load(iblockId);
      await access.assert(principal, iblockId, 'R');
      const pageSize = Math.min(Math.max(Math.trunc(opts.pageSize ?? CHUNK), 1), 5000);
      const dir = await siteDir(m);
      const sel = resolveSelect(m, undefined);
      let after = 0;
      for (;;) {
        const rows = (await db.read('elements')
          .from(`${db.table('elements')} as e`)
          .leftJoin(`${db.table(singleTable(iblockId))} as s`, 's.element_id', 'e.id')
          .where('e.iblock_id', iblockId)
          .where('e.id', '>', after)
          .orderBy('e.id')
          .limit(pageSize)
          .select('s.*', 'e.*')) as Row[];
        if (!rows.length) return;
        yield await hydrate(ctx, m, rows, sel, dir);
        if (rows.length < pageSize) return;
        after = Number(rows[rows.length - 1]!.id);
      }
    },

    /** xml_id, code and infoblock of elements by id; elements the principal may not read are left out. */
    async keysOf(principal: Principal, ids: number[]): Promise<Map<number, ElementKeys>> {
      const wanted = [...new Set(ids.filter((id) => Number.isSafeInteger(id) && id > 0))];
      const out = new Map<number, ElementKeys>();
      const readable = new Map<number, boolean>();
      for (let i = 0; i < wanted.length; i += CHUNK) {
        const rows = (await db.read('elements').whereIn('id', wanted.slice(i, i + CHUNK)).select('id', 'iblock_id', 'xml_id', 'code')) as Row[];
        for (const r of rows) {
          const iblockId = Number(r.iblock_id);
          if (!readable.has(iblockId)) readable.set(iblockId, rank(await access.levelOf(principal, iblockId)) >= rank('R'));
          if (readable.get(iblockId)) out.set(Number(r.id), { iblockId, xmlId: r.xml_id === null ? null : String(r.xml_id), code: String(r.code) });
        }
      }
      return out;
    },

    /** Ids of the infoblock's elements by exact xml_id or code (the oldest when several share one). */
    async idsOf(principal: Principal, iblockId: number, by: 'xmlId' | 'code', values: string[]): Promise<Map<string, number>> {
      await meta.load(iblockId);
      await access.assert(principal, iblockId, 'R');
      const rows = await rowsByKey(db, iblockId, by === 'xmlId' ? 'xml_id' : 'code', values.map(String));
      return new Map([...rows].map(([k, r]) => [k, Number(r.id)]));
    },
  };
}
