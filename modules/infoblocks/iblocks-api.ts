import type { ModuleContext } from '../../core/modules/types.js';
import type { ModuleTx } from '../../core/db/module-db.js';
import type { Principal } from '../../core/services.js';
import { defaultRights, type IblockAccess } from './access.js';
import { ibErrors } from './errors.js';
import { toIblock, toIblockType } from './mappers.js';
import type { MetaStore } from './meta.js';
import { createPropertyTables, dropPropertyTables } from './storage/property-tables.js';
import { ibTags } from './tags.js';
import { IBLOCK_LEVELS, type Iblock, type IblockInput, type IblockLevel, type IblockPatch, type IblockType, type IblockTypeInput } from './types.js';
import { bool, CODE, int, str } from './validate.js';
import { linkProblem } from '../../core/security/safe-link.js';

const fail = (m: string, details?: Record<string, unknown>) => ibErrors.IBLOCK_INPUT_INVALID(m, details);
type Row = Record<string, unknown>;

export interface IblockDeps {
  ctx: ModuleContext;
  access: IblockAccess;
  meta: MetaStore;
  /** Deletes every element and section of an infoblock (used before dropping it). */
  purgeContent(iblockId: number): Promise<void>;
}

function iblockRow(input: IblockPatch, partial: boolean): Row {
  const row: Row = {};
  const has = (k: keyof IblockPatch) => !partial || input[k] !== undefined;
  if (has('typeId')) row.type_id = int(input.typeId, 'typeId', fail);
  if (has('code')) row.code = str(input.code, 'code', fail, { required: true, max: 50, pattern: CODE });
  if (has('name')) row.name = str(input.name, 'name', fail, { required: true, max: 255 });
  if (has('siteId')) row.site_id = input.siteId ? str(input.siteId, 'siteId', fail, { max: 32 }) : null;
  if (has('sort')) row.sort = int(input.sort, 'sort', fail, 500);
  if (has('active')) row.active = bool(input.active, 'active', fail, true);
  for (const [field, col] of [['listUrl', 'list_url'], ['detailUrl', 'detail_url'], ['sectionUrl', 'section_url']] as const) {
    if (!has(field)) continue;
    const url = str(input[field], field, fail, { max: 255 });
    const problem = linkProblem(url, { template: true });
    if (problem) throw ibErrors.IBLOCK_INPUT_INVALID(`${field} "${url.slice(0, 100)}" ${problem}`, { field });
    row[col] = url;
  }
  if (has('sectionsEnabled')) row.sections_enabled = bool(input.sectionsEnabled, 'sectionsEnabled', fail, true);
  if (has('workflow')) row.workflow = bool(input.workflow, 'workflow', fail, false);
  if (has('description')) row.description = str(input.description, 'description', fail, { max: 2000 });
  return row;
}

/** Infoblock types, infoblocks and their rights per group. */
export function createIblocksApi(deps: IblockDeps) {
  const { ctx, access, meta } = deps;
  const { db, cache, events } = ctx;

  async function assertType(typeId: number): Promise<void> {
    if (!(await db.write('types').where({ id: typeId }).first('id'))) throw ibErrors.IBLOCK_TYPE_NOT_FOUND(String(typeId));
  }

  async function assertCodeFree(code: string, exceptId?: number): Promise<void> {
    const q = db.write('iblocks').where({ code });
    if (exceptId) q.whereNot({ id: exceptId });
    if (await q.first('id')) throw ibErrors.IBLOCK_CODE_TAKEN(code);
  }

  /** Rights input checked before anything is written: an object of existing group id -> level. */
  async function rightsRows(rights: unknown): Promise<{ group_id: number; level: IblockLevel }[]> {
    if (typeof rights !== 'object' || rights === null || Array.isArray(rights)) throw ibErrors.RIGHTS_LEVEL_INVALID('rights must be an object of group id: level', { field: 'rights' });
    const rows: { group_id: number; level: IblockLevel }[] = [];
    for (const [gid, level] of Object.entries(rights)) {
      if (!/^[1-9]\d{0,15}$/.test(gid) || !Number.isSafeInteger(Number(gid))) throw ibErrors.RIGHTS_GROUP_UNKNOWN(`"${gid.slice(0, 50)}" is not a group id`, { field: 'rights', group: gid.slice(0, 50) });
      if (typeof level !== 'string' || !(IBLOCK_LEVELS as readonly string[]).includes(level)) {
        throw ibErrors.RIGHTS_LEVEL_INVALID(`Level "${String(level).slice(0, 20)}" of group ${gid} is not one of ${IBLOCK_LEVELS.join(', ')}`, { field: 'rights', group: Number(gid) });
      }
      rows.push({ group_id: Number(gid), level: level as IblockLevel });
    }
    const known = new Set((await ctx.kernel.groups.list()).map((g) => g.id));
    const unknown = rows.find((r) => !known.has(r.group_id));
    if (unknown) throw ibErrors.RIGHTS_GROUP_UNKNOWN(`Group ${unknown.group_id} does not exist`, { field: 'rights', group: unknown.group_id });
    return rows;
  }

  async function replaceRights(tx: ModuleTx, iblockId: number, rows: { group_id: number; level: IblockLevel }[]): Promise<void> {
    await tx.table('rights').where({ iblock_id: iblockId }).delete();
    if (rows.length) await tx.table('rights').insert(rows.map((r) => ({ ...r, iblock_id: iblockId })));
  }

  async function writeRights(iblockId: number, rights: unknown): Promise<void> {
    const rows = await rightsRows(rights);
    await db.transaction((tx) => replaceRights(tx, iblockId, rows));
    await cache.invalidateTags(ibTags.meta(iblockId));
  }

  return {
    async addType(principal: Principal, input: IblockTypeInput): Promise<IblockType> {
      await access.assertManage(principal);
      const code = str(input.code, 'code', fail, { required: true, max: 50, pattern: CODE });
      const names = { en: str(input.names?.en, 'names.en', fail, { required: true, max: 255 }), ru: str(input.names?.ru ?? input.names?.en, 'names.ru', fail, { max: 255 }) };
      if (await db.write('types').where({ code }).first('id')) throw ibErrors.IBLOCK_CODE_TAKEN(code);
      const [id] = await db.write('types').insert({ code, names: JSON.stringify(names), sort: int(input.sort, 'sort', fail, 500), sections: bool(input.sections, 'sections', fail, true), created_at: Date.now() });
      await cache.invalidateTags(ibTags.all);
      return toIblockType((await db.write('types').where({ id: Number(id) }).first()) as Row);
    },

    async listTypes(): Promise<IblockType[]> {
      return ((await db.read('types').orderBy(['sort', 'id'])) as Row[]).map(toIblockType);
    },

    /** Changes a type's code, names, sort or sections flag. */
    async updateType(principal: Principal, id: number, patch: Partial<IblockTypeInput>): Promise<IblockType> {
      await access.assertManage(principal);
      const current = (await db.write('types').where({ id }).first()) as Row | undefined;
      if (!current) throw ibErrors.IBLOCK_TYPE_NOT_FOUND(String(id));
      const row: Row = {};
      if (patch.code !== undefined) {
        row.code = str(patch.code, 'code', fail, { required: true, max: 50, pattern: CODE });
        if (await db.write('types').where({ code: row.code }).whereNot({ id }).first('id')) throw ibErrors.IBLOCK_CODE_TAKEN(String(row.code));
      }
      if (patch.names !== undefined) {
        if (typeof patch.names !== 'object' || patch.names === null) throw fail('names must be an object { en, ru }');
        const old = toIblockType(current).names;
        row.names = JSON.stringify({ en: str(patch.names?.en ?? old.en, 'names.en', fail, { required: true, max: 255 }), ru: str(patch.names?.ru ?? old.ru, 'names.ru', fail, { max: 255 }) });
      }
      if (patch.sort !== undefined) row.sort = int(patch.sort, 'sort', fail);
      if (patch.sections !== undefined) row.sections = bool(patch.sections, 'sections', fail, true);
      if (Object.keys(row).length) await db.write('types').where({ id }).update(row);
      await cache.invalidateTags(ibTags.all);
      return toIblockType((await db.write('types').where({ id }).first()) as Row);
    },

    async deleteType(principal: Principal, id: number): Promise<void> {
      await access.assertManage(principal);
      if (await db.write('iblocks').where({ type_id: id }).first('id')) throw ibErrors.IBLOCK_TYPE_IN_USE(String(id));
      await db.write('types').where({ id }).delete();
      await cache.invalidateTags(ibTags.all);
    },

    async add(principal: Principal, input: IblockInput): Promise<Iblock> {
      await access.assertManage(principal);
      const data = await events.runBefore('infoblocks.iblock.create', input);
      const row = iblockRow(data, false);
      await assertType(Number(row.type_id));
      await assertCodeFree(String(row.code));
      if (row.site_id) await ctx.kernel.sites.get(String(row.site_id)).catch(() => { throw ibErrors.IBLOCK_INPUT_INVALID(`siteId "${String(row.site_id)}" is not a site`, { field: 'siteId' }); });
      // Everything is checked before the first write; the row and its rights go in one transaction.
      // Private by default: employees read; visitors who are not signed in only if the rights say so.
      const rights = await rightsRows(data.rights ?? (await defaultRights(ctx.kernel)));
      const now = Date.now();
      const id = await db.transaction(async (tx) => {
        const [rawId] = await tx.table('iblocks').insert({ ...row, created_at: now, modified_at: now });
        await replaceRights(tx, Number(rawId), rights);
        return Number(rawId);
      });
      try {
        await createPropertyTables(db, id);
      } catch (err) {
        await db.transaction(async (tx) => {
          await tx.table('rights').where({ iblock_id: id }).delete();
          await tx.table('iblocks').where({ id }).delete();
        });
        throw err;
      }
      await cache.invalidateTags(ibTags.meta(id));
      const iblock = (await meta.load(id)).iblock;
      await cache.invalidateTags(ibTags.all);
      await events.emitAfter('infoblocks.iblock.created', iblock);
      return iblock;
    },

    async get(principal: Principal, id: number): Promise<Iblock> {
      const m = await meta.load(id);
      await access.assert(principal, id, 'R');
      return m.iblock;
    },

    async getByCode(principal: Principal, code: string): Promise<Iblock> {
      const m = await meta.byCode(code);
      await access.assert(principal, m.iblock.id, 'R');
      return m.iblock;
    },

    /** Infoblocks the principal may read, optionally of one type or site. */
    async list(principal: Principal, opts: { typeId?: number; siteId?: string } = {}): Promise<Iblock[]> {
      const q = db.read('iblocks').orderBy(['sort', 'id']);
      if (opts.typeId !== undefined) q.where({ type_id: opts.typeId });
      if (opts.siteId !== undefined) q.where((w) => w.where({ site_id: opts.siteId }).orWhereNull('site_id'));
      const out: Iblock[] = [];
      for (const r of (await q) as Row[]) {
        if ((await access.levelOf(principal, Number(r.id))) !== 'D') out.push(toIblock(r));
      }
      return out;
    },

    async update(principal: Principal, id: number, patch: IblockPatch): Promise<Iblock> {
      await meta.load(id);
      await access.assert(principal, id, 'X');
      const data = await events.runBefore('infoblocks.iblock.update', { id, patch });
      const row = iblockRow(data.patch, true);
      if (row.site_id) await ctx.kernel.sites.get(String(row.site_id)).catch(() => { throw ibErrors.IBLOCK_INPUT_INVALID(`siteId "${String(row.site_id)}" is not a site`, { field: 'siteId' }); });
      if (row.type_id !== undefined) await assertType(Number(row.type_id));
      if (row.code !== undefined) await assertCodeFree(String(row.code), id);
      await db.write('iblocks').where({ id }).update({ ...row, modified_at: Date.now() });
      await cache.invalidateTags(ibTags.meta(id), ibTags.iblock(id), ibTags.all);
      const iblock = (await meta.load(id)).iblock;
      await events.emitAfter('infoblocks.iblock.updated', iblock);
      return iblock;
    },

    /** Deletes the infoblock with its elements, sections, properties and property tables. */
    async delete(principal: Principal, id: number): Promise<void> {
      const { iblock } = await meta.load(id);
      await access.assert(principal, id, 'X');
      await events.runBefore('infoblocks.iblock.delete', { iblock });
      await deps.purgeContent(id);
      await db.transaction(async (tx) => {
        const propIds = (await tx.table('properties').where({ iblock_id: id }).pluck('id')) as number[];
        if (propIds.length) await tx.table('property_enums').whereIn('property_id', propIds).delete();
        await tx.table('properties').where({ iblock_id: id }).delete();
        await tx.table('rights').where({ iblock_id: id }).delete();
        await tx.table('iblocks').where({ id }).delete();
      });
      await dropPropertyTables(db, id);
      await cache.invalidateTags(ibTags.meta(id), ibTags.iblock(id), ibTags.all);
      await events.emitAfter('infoblocks.iblock.deleted', iblock);
    },

    async getRights(principal: Principal, id: number): Promise<Record<number, IblockLevel>> {
      await access.assert(principal, id, 'X');
      return access.levels(id);
    },

    /** Replaces the infoblock's levels per group id. */
    async setRights(principal: Principal, id: number, rights: Record<number, IblockLevel>): Promise<void> {
      await meta.load(id);
      await access.assert(principal, id, 'X');
      await writeRights(id, rights);
      await cache.invalidateTags(ibTags.iblock(id));
    },

    levelOf: (principal: Principal, id: number) => access.levelOf(principal, id),
  };
}
