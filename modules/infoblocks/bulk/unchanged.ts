import type { ModuleTx } from '../../../core/db/module-db.js';
import { multiTable } from '../storage/value-columns.js';
import type { PreparedItem } from './prepare.js';

const CHUNK = 500;
type Row = Record<string, unknown>;

const same = (stored: unknown, value: string | number): boolean => (typeof value === 'number' ? Number(stored) === value : String(stored) === value);

async function rowsOf(tx: ModuleTx, table: string, ids: number[], order: string): Promise<Row[]> {
  const rows: Row[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) rows.push(...((await tx.table(table).whereIn('element_id', ids.slice(i, i + CHUNK)).orderBy(order)) as Row[]));
  return rows;
}

/**
 * Leaves out of matched items what is already stored: multiple values equal to the stored ones (same order) and
 * section sets equal to the stored ones, so re-importing unchanged data deletes and inserts no value rows.
 */
export async function dropUnchanged(tx: ModuleTx, iblockId: number, updates: PreparedItem[]): Promise<void> {
  const idOf = (p: PreparedItem) => Number(p.current!.id);
  const multi = updates.filter((p) => p.props.replacedMulti.length);
  if (multi.length) {
    const stored = new Map<string, Row[]>();
    for (const r of await rowsOf(tx, multiTable(iblockId), multi.map(idOf), 'id')) {
      const key = `${Number(r.element_id)}:${Number(r.property_id)}`;
      (stored.get(key) ?? stored.set(key, []).get(key)!).push(r);
    }
    for (const p of multi) {
      const unchanged = p.props.replacedMulti.filter((propertyId) => {
        const values = p.props.multi.filter((v) => v.property_id === propertyId);
        const old = stored.get(`${idOf(p)}:${propertyId}`) ?? [];
        return values.length === old.length && values.every((v, i) => same(old[i]![v.column], v.value));
      });
      if (!unchanged.length) continue;
      p.props.replacedMulti = p.props.replacedMulti.filter((id) => !unchanged.includes(id));
      p.props.multi = p.props.multi.filter((v) => !unchanged.includes(v.property_id));
    }
  }
  const rebound = updates.filter((p) => p.sectionIds !== null);
  if (rebound.length) {
    const stored = new Map<number, Set<number>>();
    for (const r of await rowsOf(tx, 'element_sections', rebound.map(idOf), 'element_id')) {
      const id = Number(r.element_id);
      (stored.get(id) ?? stored.set(id, new Set()).get(id)!).add(Number(r.section_id));
    }
    for (const p of rebound) {
      const old = stored.get(idOf(p)) ?? new Set<number>();
      if (old.size === p.sectionIds!.length && p.sectionIds!.every((id) => old.has(id))) p.sectionIds = null;
    }
  }
}
