import type { ModuleContext } from '../../../core/modules/types.js';
import type { Principal } from '../../../core/services.js';
import type { IblockAccess } from '../access.js';
import { fail } from '../element-row.js';
import type { IblockMeta, MetaStore } from '../meta.js';
import { ibTags } from '../tags.js';
import type { Element, ElementInput } from '../types.js';
import { MATCH_BY, matchItems, type MatchBy } from './match.js';
import { checkBatchLinks, prepareItems, type PreparedItem } from './prepare.js';
import { writeBatch } from './write-batch.js';
import type { ReferenceCheck } from '../references.js';
import { fileIdsOf, markFileCandidates, touchesFiles } from '../storage/file-refs.js';

export interface ImportBatchOptions {
  /** How items find the element they update: 'xmlId' (default; items without one by code), 'code', or 'none'. */
  matchBy?: MatchBy;
  /** Validate and match (before-events included) but write nothing; ids are then the matched ids, 0 for new items. */
  dryRun?: boolean;
}
export interface ImportBatchResult {
  created: number;
  updated: number;
  /** Element ids in item order. */
  ids: number[];
}

type LoadMany = (m: IblockMeta, ids: number[]) => Promise<Element[]>;
const LOAD_CHUNK = 500;

/** After-events per element, in item order; elements are loaded only when someone listens. */
async function emitAfterEvents(ctx: ModuleContext, m: IblockMeta, items: PreparedItem[], ids: number[], loadMany: LoadMany): Promise<void> {
  const { events } = ctx;
  if (!events.listenerCount('infoblocks.element.created') && !events.listenerCount('infoblocks.element.updated')) return;
  for (let i = 0; i < ids.length; i += LOAD_CHUNK) {
    const chunk = ids.slice(i, i + LOAD_CHUNK);
    const byId = new Map((await loadMany(m, chunk)).map((e) => [e.id, e]));
    for (const [k, id] of chunk.entries()) {
      const element = byId.get(id);
      if (!element) continue;
      if (items[i + k]!.current) await events.emitAfter('infoblocks.element.updated', element);
      else await events.emitAfter('infoblocks.element.created', element);
    }
  }
}

/**
 * `elements.importBatch`: creates or updates many elements of one infoblock in one transaction (needs W). Items are
 * validated like add/update (errors name the item index), before-events run per item, link targets are checked with
 * one query per property, rows are written with multi-row statements, the infoblock's cache tag is invalidated once,
 * and after-events follow the commit.
 */
export function createImportBatch(ctx: ModuleContext, access: IblockAccess, meta: MetaStore, refs: ReferenceCheck, loadMany: LoadMany) {
  return async function importBatch(principal: Principal, iblockId: number, items: ElementInput[], opts: ImportBatchOptions = {}): Promise<ImportBatchResult> {
    const m = await meta.load(iblockId);
    await access.assert(principal, iblockId, 'W');
    if (!Array.isArray(items)) throw fail('items must be a list of elements');
    const matchBy = opts.matchBy ?? 'xmlId';
    if (!MATCH_BY.includes(matchBy)) throw fail(`matchBy must be one of ${MATCH_BY.join(', ')}`);
    if (!items.length) return { created: 0, updated: 0, ids: [] };

    const matches = await matchItems(ctx.db, iblockId, items, matchBy);
    const prepared = await prepareItems(ctx, m, items, matches);
    await checkBatchLinks(ctx, m, prepared, principal, refs, opts.dryRun === true);
    const updated = prepared.filter((p) => p.current).length;
    const result = { created: prepared.length - updated, updated };
    if (opts.dryRun) return { ...result, ids: prepared.map((p) => (p.current ? Number(p.current.id) : 0)) };

    // Files the updated elements may drop are swept once the batch commits.
    const replacing = prepared.filter((p) => p.current && touchesFiles(m, p.row, p.props)).map((p) => Number(p.current!.id));
    const ids = await writeBatch(ctx.db, iblockId, prepared, principal.userId, async (tx) => {
      if (replacing.length) await markFileCandidates(ctx, tx, await fileIdsOf((name) => tx.table(name), m, replacing));
    });
    await ctx.cache.invalidateTags(ibTags.iblock(iblockId));
    await emitAfterEvents(ctx, m, prepared, ids, loadMany);
    return { ...result, ids };
  };
}
