import type { ModuleContext } from '../../core/modules/types.js';
import type { Principal } from '../../core/services.js';
import type { IblockAccess } from './access.js';
import { ibErrors } from './errors.js';
import { toSection } from './mappers.js';
import type { MetaStore } from './meta.js';
import { ibTags } from './tags.js';
import type { Section, SectionInput } from './types.js';
import { bool, int, SLUG, str } from './validate.js';

const fail = (m: string, details?: Record<string, unknown>) => ibErrors.IBLOCK_INPUT_INVALID(m, details);
type Row = Record<string, unknown>;

/** Bounds of a subtree in materialized paths of digits and "/": [path, path with its last "/" as "0"). */
export function subtreeRange(path: string): [string, string] {
  return [path, `${path.slice(0, -1)}0`];
}

const childCodePath = (parentCodePath: string, code: string, id: number) => (parentCodePath ? `${parentCodePath}/` : '') + (code || String(id));

/** The section tree: materialized paths ("/1/7/12/") make a subtree one indexed range query. */
export function createSectionsApi(ctx: ModuleContext, access: IblockAccess, meta: MetaStore) {
  const { db, cache, events } = ctx;

  async function row(id: number): Promise<Row> {
    const r = (await db.write('sections').where({ id }).first()) as Row | undefined;
    if (!r) throw ibErrors.SECTION_NOT_FOUND(String(id));
    return r;
  }

  function fields(input: Partial<SectionInput>, partial: boolean): Row {
    const out: Row = {};
    const has = (k: keyof SectionInput) => !partial || input[k] !== undefined;
    if (has('name')) out.name = str(input.name, 'name', fail, { required: true, max: 255 });
    if (has('code')) out.code = str(input.code, 'code', fail, { max: 100, pattern: SLUG });
    if (has('xmlId')) out.xml_id = input.xmlId ? str(input.xmlId, 'xmlId', fail, { max: 100 }) : null;
    if (has('active')) out.active = bool(input.active, 'active', fail, true);
    if (has('sort')) out.sort = int(input.sort, 'sort', fail, 500);
    if (has('description')) out.description = str(input.description, 'description', fail, { max: 4000 });
    return out;
  }

  const api = {
    async add(principal: Principal, iblockId: number, input: SectionInput): Promise<Section> {
      const m = await meta.load(iblockId);
      await access.assert(principal, iblockId, 'W');
      if (!m.iblock.sectionsEnabled) throw ibErrors.SECTIONS_DISABLED(String(iblockId));
      const data = await events.runBefore('infoblocks.section.create', { iblockId, input });
      const f = fields(data.input, false);
      const parentId = data.input.parentId ? int(data.input.parentId, 'parentId', fail) : null;
      const parent = parentId ? await row(parentId) : null;
      if (parent && Number(parent.iblock_id) !== iblockId) throw ibErrors.SECTION_MOVE_INVALID(`Section ${parentId} belongs to another infoblock`);
      const now = Date.now();
      const section = await db.transaction(async (tx) => {
        const [rawId] = await tx.table('sections').insert({ ...f, iblock_id: iblockId, parent_id: parentId, path: '/', depth: 1, created_at: now, modified_at: now });
        const id = Number(rawId);
        const path = `${parent ? String(parent.path) : '/'}${id}/`;
        const codePath = childCodePath(parent ? String(parent.code_path) : '', String(f.code), id);
        await tx.table('sections').where({ id }).update({ path, depth: parent ? Number(parent.depth) + 1 : 1, code_path: codePath });
        const s = toSection((await tx.table('sections').where({ id }).first()) as Row);
        await events.emitAfter('infoblocks.section.created', s, tx);
        return s;
      });
      await cache.invalidateTags(ibTags.iblock(iblockId));
      return section;
    },

    async get(principal: Principal, id: number): Promise<Section> {
      const s = toSection(await row(id));
      await access.assert(principal, s.iblockId, 'R');
      return s;
    },

    /** The whole tree (or a subtree) in path order: parents before children, siblings by sort. */
    async list(principal: Principal, iblockId: number, opts: { parentId?: number; activeOnly?: boolean; maxDepth?: number } = {}): Promise<Section[]> {
      await meta.load(iblockId);
      await access.assert(principal, iblockId, 'R');
      const key = `infoblocks:sections:${iblockId}:${opts.parentId ?? 0}:${opts.activeOnly ? 1 : 0}:${opts.maxDepth ?? 0}`;
      const rows = await cache.remember(key, { ttl: 600, tags: [ibTags.iblock(iblockId)] }, async () => {
        const q = db.read('sections').where({ iblock_id: iblockId });
        if (opts.parentId) {
          const [lo, hi] = subtreeRange(String((await row(opts.parentId)).path));
          q.where('path', '>', lo).andWhere('path', '<', hi);
        }
        if (opts.activeOnly) q.where({ active: true });
        if (opts.maxDepth) q.where('depth', '<=', opts.maxDepth);
        return (await q) as Row[];
      });
      const sections = rows.map(toSection);
      return sortTree(sections);
    },

    /** Ids of the section and all its descendants (one range query on the path index). */
    async subtreeIds(id: number): Promise<number[]> {
      const r = await row(id);
      const [lo, hi] = subtreeRange(String(r.path));
      return ((await db.read('sections').where({ iblock_id: r.iblock_id }).where('path', '>=', lo).andWhere('path', '<', hi).pluck('id')) as unknown[]).map(Number);
    },

    /** Renames, re-sorts or moves a section (parentId) with its whole subtree. */
    async update(principal: Principal, id: number, patch: Partial<SectionInput>): Promise<Section> {
      const current = await row(id);
      const iblockId = Number(current.iblock_id);
      await access.assert(principal, iblockId, 'W');
      const data = await events.runBefore('infoblocks.section.update', { id, iblockId, patch });
      const f = fields(data.patch, true);
      const moving = data.patch.parentId !== undefined && (data.patch.parentId || null) !== (current.parent_id === null ? null : Number(current.parent_id));
      const section = await db.transaction(async (tx) => {
        let parent: Row | null = current.parent_id === null ? null : ((await tx.table('sections').where({ id: current.parent_id }).first()) as Row);
        if (moving) {
          const newParentId = data.patch.parentId ? int(data.patch.parentId, 'parentId', fail) : null;
          parent = newParentId ? ((await tx.table('sections').where({ id: newParentId }).first()) as Row | undefined) ?? null : null;
          if (newParentId && !parent) throw ibErrors.SECTION_NOT_FOUND(String(newParentId));
          if (parent && Number(parent.iblock_id) !== iblockId) throw ibErrors.SECTION_MOVE_INVALID(`Section ${newParentId} belongs to another infoblock`);
          if (parent && String(parent.path).startsWith(String(current.path))) throw ibErrors.SECTION_MOVE_INVALID(`Section ${id} cannot move into itself or its descendant ${newParentId}`);
          f.parent_id = newParentId;
        }
        await tx.table('sections').where({ id }).update({ ...f, modified_at: Date.now() });
        if (moving || f.code !== undefined) {
          // Recompute path, depth and code path of the subtree, parents first.
          const [lo, hi] = subtreeRange(String(current.path));
          const subtree = ((await tx.table('sections').where({ iblock_id: iblockId }).where('path', '>=', lo).andWhere('path', '<', hi)) as Row[]).sort((a, b) => Number(a.depth) - Number(b.depth));
          const computed = new Map<number, { path: string; depth: number; codePath: string }>();
          for (const s of subtree) {
            const sid = Number(s.id);
            const p = sid === id ? (parent ? { path: String(parent.path), depth: Number(parent.depth), codePath: String(parent.code_path) } : { path: '/', depth: 0, codePath: '' }) : computed.get(Number(s.parent_id))!;
            const code = sid === id && f.code !== undefined ? String(f.code) : String(s.code);
            const next = { path: `${p.path}${sid}/`, depth: p.depth + 1, codePath: childCodePath(p.codePath, code, sid) };
            computed.set(sid, next);
            await tx.table('sections').where({ id: sid }).update({ path: next.path, depth: next.depth, code_path: next.codePath });
          }
        }
        const s = toSection((await tx.table('sections').where({ id }).first()) as Row);
        await events.emitAfter('infoblocks.section.updated', s, tx);
        return s;
      });
      await cache.invalidateTags(ibTags.iblock(iblockId), ibTags.section(id));
      return section;
    },

    /** Deletes the section and its subsections; their elements stay, unbound from them. */
    async delete(principal: Principal, id: number): Promise<void> {
      const section = toSection(await row(id));
      await access.assert(principal, section.iblockId, 'W');
      await events.runBefore('infoblocks.section.delete', { section });
      const ids = await api.subtreeIds(id);
      await db.transaction(async (tx) => {
        for (let i = 0; i < ids.length; i += 500) {
          const chunk = ids.slice(i, i + 500);
          await tx.table('element_sections').whereIn('section_id', chunk).delete();
          await tx.table('sections').whereIn('id', chunk).delete();
        }
        await events.emitAfter('infoblocks.section.deleted', section, tx);
      });
      await cache.invalidateTags(ibTags.iblock(section.iblockId), ...ids.map(ibTags.section));
    },
  };
  return api;
}

/** Depth-first order with siblings by (sort, id). */
export function sortTree(sections: Section[]): Section[] {
  const children = new Map<number | null, Section[]>();
  const ids = new Set(sections.map((s) => s.id));
  for (const s of sections) {
    const key = s.parentId !== null && ids.has(s.parentId) ? s.parentId : null;
    children.set(key, [...(children.get(key) ?? []), s]);
  }
  const out: Section[] = [];
  const walk = (key: number | null) => {
    for (const s of (children.get(key) ?? []).sort((a, b) => a.sort - b.sort || a.id - b.id)) {
      out.push(s);
      walk(s.id);
    }
  };
  walk(null);
  return out;
}
