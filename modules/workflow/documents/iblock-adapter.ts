import type { ModuleContext } from '../../../core/modules/types.js';
import type { Principal } from '../../../core/services.js';
import type { Element } from '../../infoblocks/types.js';
import { matchFilter } from '../engine/filter-match.js';
import type { StatusService } from '../statuses/service.js';
import { ELEMENT } from '../statuses/service.js';
import type { DocumentAdapter, WorkflowDocument } from './adapter.js';

const SYSTEM: Principal = { userId: null, groupIds: [], isAdmin: true };

/**
 * Infoblock elements as workflow documents: scope is the infoblock's code, fields are the infoblocks filter fields
 * (NAME, CODE, ACTIVE, SORT, CREATED_BY, PROPERTY_<CODE>, ...) plus STATUS, the workflow status code. Conditions run
 * as an `elements.list` query with the document's ID, so they use the infoblocks grammar itself.
 */
export function iblockAdapter(ctx: ModuleContext, statuses: StatusService): DocumentAdapter {
  const ib = () => ctx.kernel.api('infoblocks');
  const element = async (id: string): Promise<Element | null> => (/^\d+$/.test(id) ? ib().elements.get(SYSTEM, Number(id)).catch(() => null) : null);
  const iblockLevel = async (principal: Principal, el: Element) => {
    const rights = await ib().iblocks.get(principal, el.iblockId).then(() => true, () => false);
    return rights;
  };
  return {
    type: ELEMENT,
    module: 'infoblocks',
    title: { en: 'Infoblock element', ru: 'Элемент инфоблока' },
    async load(id): Promise<WorkflowDocument | null> {
      const el = await element(id);
      if (!el) return null;
      const iblock = await ib().iblocks.get(SYSTEM, el.iblockId);
      const st = await statuses.state(ELEMENT, id);
      const fields: Record<string, unknown> = {
        ID: el.id, IBLOCK_ID: el.iblockId, NAME: el.name, CODE: el.code, ACTIVE: el.active ? 'Y' : 'N', SORT: el.sort,
        PREVIEW_TEXT: el.previewText, DETAIL_TEXT: el.detailText, CREATED_BY: el.createdBy, MODIFIED_BY: el.modifiedBy,
        SECTION_ID: el.sectionIds, TAGS: el.tags, STATUS: st?.status.code ?? null,
      };
      for (const [code, v] of Object.entries(el.properties)) fields[`PROPERTY_${code}`] = v;
      return { type: ELEMENT, id: String(el.id), title: el.name, authorId: el.createdBy, scope: iblock.code, url: el.detailUrl, fields };
    },
    async canRead(principal, id) {
      return ib().elements.get(principal, Number(id)).then(() => true, () => false);
    },
    async canStart(principal, id) {
      const el = await element(id);
      if (!el || !(await iblockLevel(principal, el))) return false;
      return ctx.kernel.rights.can(principal, 'workflow.start');
    },
    async matches(doc, filter) {
      const text = JSON.stringify(filter);
      if (text.includes('STATUS') || text.includes('VAR_')) return matchFilter(doc.fields, filter);
      const res = await ib().elements.list(SYSTEM, Number(doc.fields.IBLOCK_ID), { filter: { ID: Number(doc.id), 0: filter }, pageSize: 1, select: ['ID'] });
      return res.total > 0;
    },
    async setFields(id, fields) {
      const patch: Record<string, unknown> = {};
      const props: Record<string, unknown> = {};
      const names: Record<string, string> = { NAME: 'name', CODE: 'code', SORT: 'sort', PREVIEW_TEXT: 'previewText', DETAIL_TEXT: 'detailText', TAGS: 'tags' };
      for (const [k, v] of Object.entries(fields)) {
        if (k.startsWith('PROPERTY_')) props[k.slice(9)] = v;
        else if (Object.hasOwn(names, k)) patch[names[k]!] = v;
        else throw new Error(`setField: "${k}" is not a field of infoblock elements`);
      }
      if (Object.keys(props).length) patch.properties = props;
      statuses.bypass.add(Number(id));
      try {
        await ib().elements.update(SYSTEM, Number(id), patch);
      } finally {
        statuses.bypass.delete(Number(id));
      }
    },
    async setStatus(id, status, byUserId) {
      await statuses.move(null, id, status);
      void byUserId;
    },
  };
}
