import type { ModuleContext } from '../../core/modules/types.js';
import type { ModuleTx } from '../../core/db/module-db.js';
import type { Principal } from '../../core/services.js';
import { coreErrors } from '../../core/errors/codes.js';
import type { IblockAccess } from './access.js';
import { rank } from './access.js';
import { ibErrors } from './errors.js';
import type { IblockMeta, MetaStore } from './meta.js';
import { findByCode, hydrate, queryElements, resolveSelect } from './query/list.js';
import { createImportBatch } from './bulk/import-batch.js';
import { createBulkReads } from './bulk/read.js';
import { elementRow, fail, sectionIdList } from './element-row.js';
import { fileIdsOf, markFileCandidates, sweepFiles, touchesFiles } from './storage/file-refs.js';
import { multiTable, singleTable } from './storage/value-columns.js';
import { ibTags } from './tags.js';
import type { Element, ElementInput, ElementPatch, ListQuery, ListResult } from './types.js';
import { normalizeProperties, type NormalizedProperties } from './values.js';
import { createReferenceCheck, fileUses } from './references.js';

type Row = Record<string, unknown>;

/** Elements: validated writes to the element row, its property tables and section bindings. */
export function createElementsApi(ctx: ModuleContext, access: IblockAccess, meta: MetaStore) {
  const { db, cache, events, kernel } = ctx;
  const refs = createReferenceCheck(ctx, access);

  async function siteDir(m: IblockMeta): Promise<string> {
    if (!m.iblock.siteId) return '/';
    return (await kernel.sites.get(m.iblock.siteId).catch(() => ({ dir: '/' }))).dir ?? '/';
  }

  async function checkFiles(row: Row): Promise<void> {
    for (const col of ['preview_picture', 'detail_picture']) {
      if (row[col]) await kernel.files.get(Number(row[col])).catch(() => { throw fail(`${col === 'preview_picture' ? 'previewPicture' : 'detailPicture'}: file ${String(row[col])} does not exist`); });
    }
  }

  async function checkSections(m: IblockMeta, ids: unknown): Promise<number[]> {
    const list = sectionIdList(m, ids);
    const found = list.length ? ((await db.read('sections').whereIn('id', list).where({ iblock_id: m.iblock.id }).pluck('id')) as unknown[]).map(Number) : [];
    const missing = list.find((id) => !found.includes(id));
    if (missing !== undefined) throw ibErrors.SECTION_NOT_FOUND(`${missing} in infoblock ${m.iblock.id}`);
    return list;
  }

  async function writeValues(tx: ModuleTx, iblockId: number, elementId: number, props: NormalizedProperties, isNew: boolean): Promise<void> {
    if (isNew) await tx.table(singleTable(iblockId)).insert({ element_id: elementId, ...props.single });
    else if (Object.keys(props.single).length) await tx.table(singleTable(iblockId)).where({ element_id: elementId }).update(props.single);
    if (props.replacedMulti.length && !isNew) await tx.table(multiTable(iblockId)).where({ element_id: elementId }).whereIn('property_id', props.replacedMulti).delete();
    const rows = props.multi.map((v) => ({ element_id: elementId, property_id: v.property_id, [v.column]: v.value }));
    for (let i = 0; i < rows.length; i += 200) await tx.table(multiTable(iblockId)).insert(rows.slice(i, i + 200));
  }

  async function writeSections(tx: ModuleTx, elementId: number, ids: number[], isNew: boolean): Promise<void> {
    if (!isNew) await tx.table('element_sections').where({ element_id: elementId }).delete();
    if (ids.length) await tx.table('element_sections').insert(ids.map((section_id) => ({ element_id: elementId, section_id })));
  }

  /** Elements by id with all properties (missing ids are left out). */
  async function loadMany(m: IblockMeta, ids: number[], viaWriter = true): Promise<Element[]> {
    if (!ids.length) return [];
    const rows = (await (viaWriter ? db.write('elements') : db.read('elements'))
      .from(`${db.table('elements')} as e`)
      .leftJoin(`${db.table(singleTable(m.iblock.id))} as s`, 's.element_id', 'e.id')
      .whereIn('e.id', ids)
      .where('e.iblock_id', m.iblock.id)
      .select('s.*', 'e.*')) as Row[];
    return hydrate(ctx, m, rows, resolveSelect(m, undefined), await siteDir(m));
  }

  const load = async (m: IblockMeta, id: number, viaWriter = true): Promise<Element | null> => (await loadMany(m, [id], viaWriter))[0] ?? null;

  async function iblockOf(id: number): Promise<{ row: Row; m: IblockMeta }> {
    const row = (await db.write('elements').where({ id }).first()) as Row | undefined;
    if (!row) throw ibErrors.ELEMENT_NOT_FOUND(String(id));
    return { row, m: await meta.load(Number(row.iblock_id)) };
  }

  const api = {
    async add(principal: Principal, iblockId: number, input: ElementInput): Promise<Element> {
      const m = await meta.load(iblockId);
      const level = await access.assert(principal, iblockId, 'U');
      const data = await events.runBefore('infoblocks.element.create', { iblockId, input, principal });
      const row = elementRow(data.input, false);
      // Edit-through-workflow: the element waits inactive until someone with W publishes it.
      if (rank(level) < rank('W')) row.active = false;
      await checkFiles(row);
      const sectionIds = await checkSections(m, data.input.sectionIds);
      const props = await normalizeProperties(ctx, m, data.input.properties, true, refs.readableIblocks(principal));
      await refs.assertFiles(principal, m, fileUses(m, row, props), []);
      const now = Date.now();
      const element = await db.transaction(async (tx) => {
        const [rawId] = await tx.table('elements').insert({ ...row, iblock_id: iblockId, created_by: principal.userId, modified_by: principal.userId, created_at: now, modified_at: now });
        const id = Number(rawId);
        await writeValues(tx, iblockId, id, props, true);
        await writeSections(tx, id, sectionIds, true);
        return id;
      });
      const created = (await load(m, element))!;
      await cache.invalidateTags(ibTags.iblock(iblockId));
      await events.emitAfter('infoblocks.element.created', created);
      return created;
    },

    async get(principal: Principal, id: number): Promise<Element> {
      const { m } = await iblockOf(id);
      await access.assert(principal, m.iblock.id, 'R');
      const key = `infoblocks:element:${id}`;
      const el = await cache.remember(key, { ttl: 600, tags: [ibTags.element(id), ibTags.iblock(m.iblock.id)] }, () => load(m, id, false));
      if (!el) throw ibErrors.ELEMENT_NOT_FOUND(String(id));
      return el;
    },

    /** The element of an infoblock with this code (the detail page). */
    async getByCode(principal: Principal, iblockId: number, code: string): Promise<Element> {
      const m = await meta.load(iblockId);
      await access.assert(principal, iblockId, 'R');
      const key = `infoblocks:code:${iblockId}:${String(code)}`;
      const el = await cache.remember(key, { ttl: 600, tags: [ibTags.iblock(iblockId)] }, async () => findByCode(ctx, m, String(code), await siteDir(m)));
      if (!el) throw ibErrors.ELEMENT_NOT_FOUND(`"${code}"`);
      return el;
    },

    /** Elements matching the filter grammar, one page with the total (cached per query under the infoblock tag). */
    async list(principal: Principal, iblockId: number, query: ListQuery = {}): Promise<ListResult<Element>> {
      const m = await meta.load(iblockId);
      await access.assert(principal, iblockId, 'R');
      const usesNow = JSON.stringify(query.filter ?? {}).includes('ACTIVE_DATE') && query.now === undefined;
      const run = async () => queryElements(ctx, m, query, await siteDir(m));
      if (usesNow) return run();
      const key = `infoblocks:list:${iblockId}:${JSON.stringify([query.filter ?? null, query.order ?? null, query.select ?? null, query.page ?? 1, query.pageSize ?? 20, query.now ?? null])}`;
      return cache.remember(key, { ttl: 600, tags: [ibTags.iblock(iblockId)] }, run);
    },

    async update(principal: Principal, id: number, patch: ElementPatch): Promise<Element> {
      const { row: current, m } = await iblockOf(id);
      const iblockId = m.iblock.id;
      const level = await access.assert(principal, iblockId, 'U');
      if (rank(level) < rank('W') && (current.created_by === null || Number(current.created_by) !== principal.userId)) {
        throw coreErrors.ACCESS_DENIED('With edit-through-workflow rights you can change only your own elements', { iblockId });
      }
      const data = await events.runBefore('infoblocks.element.update', { id, iblockId, patch, principal });
      // A listener kept the change elsewhere (a workflow draft of a published element): the live element stays as it is.
      if (data.heldBy) return (await load(m, id))!;
      const row = elementRow(data.patch, true, current);
      if (rank(level) < rank('W')) row.active = false;
      await checkFiles(row);
      const sectionIds = data.patch.sectionIds === undefined ? null : await checkSections(m, data.patch.sectionIds);
      const props = await normalizeProperties(ctx, m, data.patch.properties, false, refs.readableIblocks(principal));
      await refs.assertFiles(principal, m, fileUses(m, row, props), [id]);
      await db.transaction(async (tx) => {
        const before = touchesFiles(m, row, props) ? await fileIdsOf((name) => tx.table(name), m, [id]) : [];
        await tx.table('elements').where({ id }).update({ ...row, modified_by: principal.userId, modified_at: Date.now() });
        await writeValues(tx, iblockId, id, props, false);
        if (sectionIds) await writeSections(tx, id, sectionIds, false);
        await markFileCandidates(ctx, tx, before);
      });
      const updated = (await load(m, id))!;
      await cache.invalidateTags(ibTags.iblock(iblockId), ibTags.element(id));
      await events.emitAfter('infoblocks.element.updated', updated);
      return updated;
    },

    /** Creates or updates many elements in one transaction (docs/infoblocks.md, "Bulk import"). */
    importBatch: createImportBatch(ctx, access, meta, refs, (m, ids) => loadMany(m, ids)),
    /** pages (every element, keyset-paged), keysOf (xml_id/code by id), idsOf (id by xml_id or code). */
    ...createBulkReads(ctx, access, meta, siteDir),

    /**
     * Deletes those of `fileIds` no element references: files stored for elements that were never written (an import
     * that failed). Only the principal's own files, or any with the manage right; returns how many went.
     */
    async releaseFiles(principal: Principal, fileIds: number[]): Promise<number> {
      const manager = principal.isAdmin || (await kernel.rights.can(principal, 'infoblocks.manage'));
      const own = async (id: number) => manager || (principal.userId !== null && (await kernel.files.get(id).catch(() => null))?.createdBy === principal.userId);
      const allowed: number[] = [];
      for (const id of new Set(fileIds)) if (await own(id)) allowed.push(id);
      return sweepFiles(ctx, allowed);
    },

    async delete(principal: Principal, id: number): Promise<void> {
      const { m } = await iblockOf(id);
      await access.assert(principal, m.iblock.id, 'W');
      const element = (await load(m, id))!;
      await events.runBefore('infoblocks.element.delete', { element });
      await db.transaction(async (tx) => {
        await deleteElementRows(ctx, tx, m, [id]);
        await events.emitAfter('infoblocks.element.deleted', element, tx);
      });
      await cache.invalidateTags(ibTags.iblock(m.iblock.id), ibTags.element(id));
    },
  };
  return api;
}

/** Removes elements' rows from every table, their files once committed (no events; used by delete and infoblock purge). */
export async function deleteElementRows(ctx: ModuleContext, tx: ModuleTx, m: IblockMeta, ids: number[]): Promise<void> {
  const iblockId = m.iblock.id;
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    await markFileCandidates(ctx, tx, await fileIdsOf((name) => tx.table(name), m, chunk));
    await tx.table(multiTable(iblockId)).whereIn('element_id', chunk).delete();
    await tx.table(singleTable(iblockId)).whereIn('element_id', chunk).delete();
    await tx.table('element_sections').whereIn('element_id', chunk).delete();
    await tx.table('elements').whereIn('id', chunk).delete();
  }
}
