import type { ModuleDb, ModuleTx } from '../../../core/db/module-db.js';
import type { Row } from '../element-row.js';
import { multiTable, singleTable } from '../storage/value-columns.js';
import type { PreparedItem } from './prepare.js';
import { insertReturningIds, insertRows, upsertRows, type Rows } from './sql.js';
import { dropUnchanged } from './unchanged.js';

const CHUNK = 500;

function groupBy<T>(list: T[], key: (x: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const x of list) (groups.get(key(x)) ?? groups.set(key(x), []).get(key(x))!).push(x);
  return [...groups.values()];
}

async function deleteIn(tx: ModuleTx, table: string, ids: number[], more?: { column: string; values: number[] }): Promise<void> {
  for (let i = 0; i < ids.length; i += CHUNK) {
    const q = tx.table(table).whereIn('element_id', ids.slice(i, i + CHUNK));
    if (more) q.whereIn(more.column, more.values);
    await q.delete();
  }
}

/**
 * Writes prepared items in one transaction with multi-row statements: new elements, their single-value rows,
 * multiple values and section bindings are INSERTed many rows at a time; updated elements and single-value rows are
 * upserted in groups of items that change the same columns; `first` runs at the start of the transaction. Returns the
 * element ids in item order.
 */
export async function writeBatch(db: ModuleDb, iblockId: number, items: PreparedItem[], userId: number | null, first?: (tx: ModuleTx) => Promise<void>): Promise<number[]> {
  const now = Date.now();
  const creates = items.filter((p) => !p.current);
  const updates = items.filter((p) => p.current);
  return db.transaction(async (tx) => {
    const trx = tx.knex;
    await first?.(tx);
    await dropUnchanged(tx, iblockId, updates);
    const newIds = await insertReturningIds(trx, db.dialect, db.table('elements'), creates.map((p) => ({
      ...p.row, iblock_id: iblockId, created_by: userId, modified_by: userId, created_at: now, modified_at: now,
    })) as Rows);
    const idOf = new Map<PreparedItem, number>();
    creates.forEach((p, i) => idOf.set(p, newIds[i]!));
    updates.forEach((p) => idOf.set(p, Number(p.current!.id)));

    for (const group of groupBy(updates, (p) => Object.keys(p.row).sort().join())) {
      const columns = [...Object.keys(group[0]!.row), 'modified_by', 'modified_at'];
      const rows = group.map((p) => ({ ...(p.current as Row), ...p.row, modified_by: userId, modified_at: now })) as Rows;
      await upsertRows(trx, db.dialect, db.table('elements'), 'id', rows, columns);
    }

    const single = db.table(singleTable(iblockId));
    await insertRows(trx, db.dialect, single, creates.map((p) => ({ element_id: idOf.get(p)!, ...p.props.single })));
    for (const group of groupBy(updates.filter((p) => Object.keys(p.props.single).length), (p) => Object.keys(p.props.single).sort().join())) {
      await upsertRows(trx, db.dialect, single, 'element_id', group.map((p) => ({ element_id: idOf.get(p)!, ...p.props.single })), Object.keys(group[0]!.props.single));
    }

    for (const group of groupBy(updates.filter((p) => p.props.replacedMulti.length), (p) => [...p.props.replacedMulti].sort().join())) {
      await deleteIn(tx, multiTable(iblockId), group.map((p) => idOf.get(p)!), { column: 'property_id', values: group[0]!.props.replacedMulti });
    }
    await insertRows(trx, db.dialect, db.table(multiTable(iblockId)), items.flatMap((p) => p.props.multi.map((v) => ({ element_id: idOf.get(p)!, property_id: v.property_id, [v.column]: v.value }))));

    await deleteIn(tx, 'element_sections', updates.filter((p) => p.sectionIds !== null).map((p) => idOf.get(p)!));
    await insertRows(trx, db.dialect, db.table('element_sections'), items.flatMap((p) => (p.sectionIds ?? []).map((section_id) => ({ element_id: idOf.get(p)!, section_id }))));
    return items.map((p) => idOf.get(p)!);
  });
}
