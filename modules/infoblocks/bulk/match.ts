import type { ModuleDb } from '../../../core/db/module-db.js';
import { fail, type Row } from '../element-row.js';
import type { ElementInput } from '../types.js';
import { atItem } from './item-error.js';

/** How batch items find the elements they update: by xml_id (else code), by code only, or never (always create). */
export type MatchBy = 'xmlId' | 'code' | 'none';
export const MATCH_BY: readonly MatchBy[] = ['xmlId', 'code', 'none'];

interface Key {
  column: 'xml_id' | 'code';
  value: string;
}

const CHUNK = 500;
const text = (v: unknown): string | null => ((typeof v === 'string' || typeof v === 'number') && String(v).trim() !== '' ? String(v).trim() : null);

function keyOf(item: ElementInput, matchBy: MatchBy): Key | null {
  if (!item || typeof item !== 'object' || matchBy === 'none') return null;
  const xmlId = matchBy === 'xmlId' ? text(item.xmlId) : null;
  if (xmlId) return { column: 'xml_id', value: xmlId };
  const code = text(item.code);
  return code ? { column: 'code', value: code } : null;
}

/**
 * Element rows of an infoblock by exact xml_id or code (the oldest when several share one), one query per 500 values.
 * MariaDB's case-insensitive collation only widens the query; rows are filtered here, so both databases agree.
 */
export async function rowsByKey(db: ModuleDb, iblockId: number, column: 'xml_id' | 'code', values: string[]): Promise<Map<string, Row>> {
  const unique = [...new Set(values)];
  const found = new Map<string, Row>();
  for (let i = 0; i < unique.length; i += CHUNK) {
    const chunk = unique.slice(i, i + CHUNK);
    const wanted = new Set(chunk);
    const rows = (await db.write('elements').where({ iblock_id: iblockId }).whereIn(column, chunk).orderBy('id')) as Row[];
    for (const r of rows) {
      const v = String(r[column]);
      if (wanted.has(v) && !found.has(v)) found.set(v, r);
    }
  }
  return found;
}

/**
 * The existing element row each item updates (null: the item is created). Keys compare exactly; with several
 * elements holding one key the oldest wins; a key repeated inside the batch is an error naming both items.
 */
export async function matchItems(db: ModuleDb, iblockId: number, items: ElementInput[], matchBy: MatchBy): Promise<(Row | null)[]> {
  const keys = items.map((item) => keyOf(item, matchBy));
  const firstIndex = new Map<string, number>();
  keys.forEach((k, i) => {
    if (!k) return;
    const id = `${k.column}:${k.value}`;
    const earlier = firstIndex.get(id);
    if (earlier !== undefined) atItem(fail(`${k.column === 'xml_id' ? 'xmlId' : 'code'} "${k.value}" repeats item ${earlier} of the batch`), i);
    firstIndex.set(id, i);
  });
  const found = new Map<string, Row>();
  for (const column of ['xml_id', 'code'] as const) {
    const rows = await rowsByKey(db, iblockId, column, keys.filter((k) => k?.column === column).map((k) => k!.value));
    for (const [value, row] of rows) found.set(`${column}:${value}`, row);
  }
  return keys.map((k) => (k ? (found.get(`${k.column}:${k.value}`) ?? null) : null));
}
