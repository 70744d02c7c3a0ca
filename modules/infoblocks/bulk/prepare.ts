import type { ModuleContext } from '../../../core/modules/types.js';
import { elementRow, fail, sectionIdList, type Row } from '../element-row.js';
import { ibErrors } from '../errors.js';
import type { IblockMeta } from '../meta.js';
import type { ElementInput, ElementPatch, Property } from '../types.js';
import { convertProperties, missingLinkError, missingLinks, type LinkValues, type NormalizedProperties } from '../values.js';
import { atItem } from './item-error.js';
import type { Principal } from '../../../core/services.js';
import { fileDenied, fileUses, type ReferenceCheck } from '../references.js';

/** One batch item after before-events and validation, ready to write. */
export interface PreparedItem {
  index: number;
  /** The stored row the item updates; null when it creates an element. */
  current: Row | null;
  /** Element columns (all of them on create, the given ones on update). */
  row: Row;
  /** New section bindings; null keeps the current ones (update without sectionIds). */
  sectionIds: number[] | null;
  props: NormalizedProperties;
  links: LinkValues;
}

const CHUNK = 500;

/**
 * Runs the before-event of every item (create, or update when matched) and validates it exactly like add/update,
 * without touching the database; errors and vetoes name the item.
 */
export async function prepareItems(ctx: ModuleContext, m: IblockMeta, items: ElementInput[], matches: (Row | null)[]): Promise<PreparedItem[]> {
  const iblockId = m.iblock.id;
  const out: PreparedItem[] = [];
  for (const [index, item] of items.entries()) {
    try {
      if (!item || typeof item !== 'object' || Array.isArray(item)) throw fail('an item must be an object');
      const current = matches[index] ?? null;
      let input: ElementPatch;
      let row: Row;
      if (current) {
        input = (await ctx.events.runBefore('infoblocks.element.update', { id: Number(current.id), iblockId, patch: item })).patch;
        row = elementRow(input, true, current);
      } else {
        input = (await ctx.events.runBefore('infoblocks.element.create', { iblockId, input: item })).input;
        row = elementRow(input, false);
      }
      const links: LinkValues = new Map();
      const sectionIds = current && input.sectionIds === undefined ? null : sectionIdList(m, input.sectionIds);
      out.push({ index, current, row, sectionIds, props: convertProperties(m, input.properties, !current, links), links });
    } catch (err) {
      atItem(err, index);
    }
  }
  return out;
}

/**
 * Pictures, sections and link values of the whole batch must exist: one query per kind and link property; element
 * and section links must point into infoblocks the principal reads, and files must be ones they may use (references.ts).
 * `allowPending` (dry runs): file values given as PENDING_FILE (stored as 0) pass.
 */
export async function checkBatchLinks(ctx: ModuleContext, m: IblockMeta, items: PreparedItem[], principal: Principal, refs: ReferenceCheck, allowPending = false): Promise<void> {
  const pictureFields = [['preview_picture', 'previewPicture'], ['detail_picture', 'detailPicture']] as const;
  const pictures = items.flatMap((p) => pictureFields.map(([col]) => Number(p.row[col] ?? 0))).filter((id) => id > 0);
  if (pictures.length) {
    const found = await ctx.kernel.files.existingIds(pictures);
    for (const p of items) {
      for (const [col, field] of pictureFields) {
        const id = Number(p.row[col] ?? 0);
        if (id > 0 && !found.has(id)) atItem(fail(`${field}: file ${id} does not exist`), p.index);
      }
    }
  }

  const sectionIds = [...new Set(items.flatMap((p) => p.sectionIds ?? []))];
  if (sectionIds.length) {
    const found = new Set<number>();
    for (let i = 0; i < sectionIds.length; i += CHUNK) {
      const ids = (await ctx.db.read('sections').whereIn('id', sectionIds.slice(i, i + CHUNK)).where({ iblock_id: m.iblock.id }).pluck('id')) as unknown[];
      for (const id of ids) found.add(Number(id));
    }
    for (const p of items) {
      const missing = p.sectionIds?.find((id) => !found.has(id));
      if (missing !== undefined) atItem(ibErrors.SECTION_NOT_FOUND(`${missing} in infoblock ${m.iblock.id}`), p.index);
    }
  }

  const byProperty = new Map<Property, number[]>();
  for (const p of items) {
    for (const [prop, ids] of p.links) {
      if (allowPending && prop.type === 'file') p.links.set(prop, ids.filter((id) => id !== 0));
      (byProperty.get(prop) ?? byProperty.set(prop, []).get(prop)!).push(...p.links.get(prop)!);
    }
  }
  const readable = refs.readableIblocks(principal);
  for (const [prop, ids] of byProperty) {
    const missing = await missingLinks(ctx, prop, ids, readable);
    if (!missing.size) continue;
    for (const p of items) {
      const id = p.links.get(prop)?.find((x) => missing.has(x));
      if (id !== undefined) atItem(missingLinkError(prop, id), p.index);
    }
  }

  const may = await refs.fileVerdicts(principal, m, items.flatMap((p) => (p.current ? [Number(p.current.id)] : [])));
  for (const p of items) {
    for (const use of fileUses(m, p.row, p.props)) if (!(await may(use.fileId))) atItem(fileDenied(use), p.index);
  }
}
