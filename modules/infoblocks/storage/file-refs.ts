import type { Knex } from 'knex';
import type { ModuleDb, ModuleTx } from '../../../core/db/module-db.js';
import type { ModuleContext } from '../../../core/modules/types.js';
import type { IblockMeta } from '../meta.js';
import type { NormalizedProperties } from '../values.js';
import { multiTable, singleColumn, singleTable } from './value-columns.js';

/**
 * Files of elements: an element's pictures and file property values point at files of the kernel's file
 * service. When a change may leave a file unreferenced (delete, replace, property or infoblock removal), its id
 * becomes a candidate in the same transaction; after the commit the candidates nobody references any more are
 * deleted (bytes and record). The `infoblocks.files.sweep` agent retries what a crash or failure left behind.
 */

const CHUNK = 500;
type Table = (name: string) => Knex.QueryBuilder;
const ids = (list: unknown[]): number[] => list.map(Number).filter((id) => Number.isSafeInteger(id) && id > 0);

/** File ids the given elements reference now (pictures and every file property). */
export async function fileIdsOf(table: Table, m: IblockMeta, elementIds: number[]): Promise<number[]> {
  const out = new Set<number>();
  const single = m.properties.filter((p) => p.type === 'file' && !p.multiple);
  const multiple = m.properties.filter((p) => p.type === 'file' && p.multiple).map((p) => p.id);
  for (let i = 0; i < elementIds.length; i += CHUNK) {
    const chunk = elementIds.slice(i, i + CHUNK);
    for (const r of (await table('elements').whereIn('id', chunk).select('preview_picture', 'detail_picture')) as Record<string, unknown>[]) {
      for (const id of ids([r.preview_picture, r.detail_picture])) out.add(id);
    }
    if (single.length) {
      const rows = (await table(singleTable(m.iblock.id)).whereIn('element_id', chunk).select(single.map((p) => singleColumn(p.id)))) as Record<string, unknown>[];
      for (const r of rows) for (const id of ids(Object.values(r))) out.add(id);
    }
    if (multiple.length) {
      const values = (await table(multiTable(m.iblock.id)).whereIn('element_id', chunk).whereIn('property_id', multiple).pluck('value_int')) as unknown[];
      for (const id of ids(values)) out.add(id);
    }
  }
  return [...out];
}

/** Whether an element change can drop a file reference (it writes pictures or file property values). */
export function touchesFiles(m: IblockMeta, row: Record<string, unknown>, props: NormalizedProperties): boolean {
  if ('preview_picture' in row || 'detail_picture' in row) return true;
  return m.properties.some((p) => p.type === 'file' && (p.multiple ? props.replacedMulti.includes(p.id) : singleColumn(p.id) in props.single));
}

/** Records files that may have lost their last reference (sweep them once the change is done). */
export async function recordFileCandidates(table: Table, fileIds: number[]): Promise<void> {
  const now = Date.now();
  for (let i = 0; i < fileIds.length; i += CHUNK) {
    await table('file_candidates').insert(fileIds.slice(i, i + CHUNK).map((file_id) => ({ file_id, created_at: now }))).onConflict('file_id').ignore();
  }
}

/** Records candidates inside the transaction of the change and sweeps them once it commits. */
export async function markFileCandidates(ctx: ModuleContext, tx: ModuleTx, fileIds: number[]): Promise<void> {
  if (!fileIds.length) return;
  await recordFileCandidates((name) => tx.table(name), fileIds);
  tx.onCommit(() => sweepFiles(ctx, fileIds).then(() => undefined));
}

/** The infoblocks whose elements reference each of `fileIds` (files nobody references are left out). */
export async function iblocksUsing(db: ModuleDb, fileIds: number[]): Promise<Map<number, Set<number>>> {
  const out = new Map<number, Set<number>>();
  const add = (fileId: unknown, iblockId: number) => {
    const id = Number(fileId);
    if (id > 0) (out.get(id) ?? out.set(id, new Set()).get(id)!).add(iblockId);
  };
  for (const column of ['preview_picture', 'detail_picture']) {
    const rows = (await db.write('elements').whereIn(column, fileIds).distinct(column, 'iblock_id')) as Record<string, unknown>[];
    for (const r of rows) add(r[column], Number(r.iblock_id));
  }
  const props = (await db.write('properties').where({ type: 'file' }).select('id', 'iblock_id', 'multiple')) as Record<string, unknown>[];
  for (const p of props) {
    const [iblockId, column] = [Number(p.iblock_id), singleColumn(Number(p.id))];
    const q = Number(p.multiple)
      ? db.write(multiTable(iblockId)).where({ property_id: Number(p.id) }).whereIn('value_int', fileIds).distinct('value_int').pluck('value_int')
      : db.write(singleTable(iblockId)).whereIn(column, fileIds).distinct(column).pluck(column);
    for (const id of (await q) as unknown[]) add(id, iblockId);
  }
  return out;
}

/**
 * Deletes the infoblocks' files among `fileIds` that no element references and clears them as candidates;
 * files other modules stored are left alone. Failures are logged (the agent tries again). Returns how many went.
 */
export async function sweepFiles(ctx: ModuleContext, fileIds: number[]): Promise<number> {
  let deleted = 0;
  try {
    for (let i = 0; i < fileIds.length; i += CHUNK) {
      const chunk = fileIds.slice(i, i + CHUNK);
      const inUse = await iblocksUsing(ctx.db, chunk);
      for (const id of chunk.filter((x) => !inUse.has(x))) {
        const file = await ctx.kernel.files.get(id).catch(() => null);
        if (file?.module !== 'infoblocks') continue;
        await ctx.kernel.files.delete(id);
        deleted++;
      }
      await ctx.db.write('file_candidates').whereIn('file_id', chunk).delete();
    }
  } catch (err) {
    ctx.log.warn({ err }, 'unreferenced infoblock files not removed yet (the sweep agent tries again)');
  }
  return deleted;
}

/** The agent's run: sweeps every recorded candidate, in file id order. */
export async function sweepCandidates(ctx: ModuleContext): Promise<number> {
  let deleted = 0;
  let after = 0;
  for (;;) {
    const batch = ids((await ctx.db.write('file_candidates').where('file_id', '>', after).orderBy('file_id').limit(CHUNK).pluck('file_id')) as unknown[]);
    if (!batch.length) return deleted;
    deleted += await sweepFiles(ctx, batch);
    after = batch[batch.length - 1]!;
  }
}
