import type { ModuleContext } from '../../core/modules/types.js';
import type { ModuleTx } from '../../core/db/module-db.js';
import type { Principal } from '../../core/services.js';
import type { IblockAccess } from './access.js';
import { ibErrors } from './errors.js';
import type { MetaStore } from './meta.js';
import { addSingleColumn, dropSingleColumn, hasSingleIndex, setSingleIndex } from './storage/property-tables.js';
import { recordFileCandidates, sweepFiles } from './storage/file-refs.js';
import { multiTable, singleColumn, singleTable } from './storage/value-columns.js';
import { ibTags } from './tags.js';
import { PROPERTY_TYPES, type EnumInput, type Property, type PropertyInput, type PropertyPatch } from './types.js';
import { bool, int, PROPERTY_CODE, str } from './validate.js';

const fail = (m: string, details?: Record<string, unknown>) => ibErrors.PROPERTY_INPUT_INVALID(m, details);
type Row = Record<string, unknown>;

function flagsRow(input: PropertyPatch, partial: boolean): Row {
  const row: Row = {};
  const has = (k: keyof PropertyPatch) => !partial || input[k] !== undefined;
  if (has('name')) row.name = str(input.name, 'name', fail, { required: true, max: 255 });
  if (has('required')) row.required = bool(input.required, 'required', fail, false);
  if (has('searchable')) row.searchable = bool(input.searchable, 'searchable', fail, false);
  if (has('filterable')) row.filterable = bool(input.filterable, 'filterable', fail, false);
  if (has('sort')) row.sort = int(input.sort, 'sort', fail, 500);
  if (has('xmlId')) row.xml_id = input.xmlId ? str(input.xmlId, 'xmlId', fail, { max: 100 }) : null;
  if (has('linkIblockId')) row.link_iblock_id = input.linkIblockId ? int(input.linkIblockId, 'linkIblockId', fail) : null;
  if (has('defaultValue')) row.default_value = input.defaultValue === undefined || input.defaultValue === null ? null : JSON.stringify(input.defaultValue);
  return row;
}

/** Properties of an infoblock; adding or removing one alters its per-infoblock tables. */
export function createPropertiesApi(ctx: ModuleContext, access: IblockAccess, meta: MetaStore) {
  const { db, cache } = ctx;

  /** Enum input checked before anything is written (a bad value leaves no half-made property). */
  function enumRows(enums: unknown): { id: unknown; row: Row }[] {
    if (!Array.isArray(enums)) throw fail('enums must be a list');
    return enums.map((e: EnumInput, i) => {
      if (typeof e !== 'object' || e === null) throw fail(`enums[${i}] must be an object { value, xmlId, sort, isDefault }`);
      const row = {
        value: str(e.value, `enums[${i}].value`, fail, { required: true, max: 255 }),
        xml_id: str(e.xmlId ?? e.value, `enums[${i}].xmlId`, fail, { required: true, max: 100 }),
        sort: int(e.sort, `enums[${i}].sort`, fail, (i + 1) * 10),
        is_default: bool(e.isDefault, `enums[${i}].isDefault`, fail, false),
      };
      return { id: e.id, row };
    });
  }

  async function writeEnums(tx: ModuleTx, propertyId: number, enums: { id: unknown; row: Row }[]): Promise<void> {
    const existing = (await tx.table('property_enums').where({ property_id: propertyId })) as Row[];
    const keep = new Set<number>();
    for (const { id, row } of enums) {
      const match = existing.find((x) => (id !== undefined && Number(x.id) === Number(id)) || String(x.xml_id) === row.xml_id);
      if (match) {
        keep.add(Number(match.id));
        await tx.table('property_enums').where({ id: match.id }).update(row);
      } else {
        await tx.table('property_enums').insert({ ...row, property_id: propertyId });
      }
    }
    const gone = existing.map((x) => Number(x.id)).filter((x) => !keep.has(x));
    if (gone.length) await tx.table('property_enums').whereIn('id', gone).delete();
  }

  async function assertLinkIblock(row: Row): Promise<void> {
    if (row.link_iblock_id === null || row.link_iblock_id === undefined) return;
    if (!(await db.write('iblocks').where({ id: Number(row.link_iblock_id) }).first('id'))) throw fail(`linkIblockId: infoblock ${String(row.link_iblock_id)} does not exist`);
  }

  async function find(iblockId: number, idOrCode: number | string): Promise<Property> {
    const m = await meta.load(iblockId);
    const p = m.properties.find((x) => x.id === idOrCode || x.code === idOrCode);
    if (!p) throw ibErrors.PROPERTY_NOT_FOUND(`${idOrCode} of infoblock ${iblockId}`);
    return p;
  }

  /** Every file a file property's values point at (they become sweep candidates when it goes). */
  async function propertyFileIds(p: Property): Promise<number[]> {
    const values = p.multiple
      ? await db.write(multiTable(p.iblockId)).where({ property_id: p.id }).distinct('value_int').pluck('value_int')
      : await db.write(singleTable(p.iblockId)).whereNotNull(singleColumn(p.id)).distinct(singleColumn(p.id)).pluck(singleColumn(p.id));
    return (values as unknown[]).map(Number).filter((id) => id > 0);
  }

  return {
    async list(principal: Principal, iblockId: number): Promise<Property[]> {
      const m = await meta.load(iblockId);
      await access.assert(principal, iblockId, 'R');
      return m.properties;
    },

    async add(principal: Principal, iblockId: number, input: PropertyInput): Promise<Property> {
      const m = await meta.load(iblockId);
      await access.assert(principal, iblockId, 'X');
      const code = str(input.code, 'code', fail, { required: true, max: 50, pattern: PROPERTY_CODE });
      if (m.byCode.has(code)) throw ibErrors.IBLOCK_CODE_TAKEN(code);
      if (!(PROPERTY_TYPES as readonly string[]).includes(input.type)) throw fail(`type "${String(input.type)}" is not one of ${PROPERTY_TYPES.join(', ')}`);
      const multiple = bool(input.multiple, 'multiple', fail, false);
      const row: Record<string, unknown> = { ...flagsRow(input, false), iblock_id: iblockId, code, type: input.type, multiple, created_at: Date.now() };
      const enums = input.type === 'list' ? enumRows(input.enums ?? []) : [];
      await assertLinkIblock(row);
      // The property and its enums in one transaction; the column (DDL) after, undone on failure.
      const id = await db.transaction(async (tx) => {
        const [rawId] = await tx.table('properties').insert(row);
        if (enums.length) await writeEnums(tx, Number(rawId), enums);
        return Number(rawId);
      });
      try {
        if (!multiple) await addSingleColumn(db, { id, iblockId, type: input.type, filterable: Boolean(row.filterable) });
      } catch (err) {
        await db.write('property_enums').where({ property_id: id }).delete();
        await db.write('properties').where({ id }).delete();
        throw err;
      }
      await cache.invalidateTags(ibTags.meta(iblockId), ibTags.iblock(iblockId));
      return find(iblockId, id);
    },

    /** Changes flags, name, default and enum values; type, code and multiplicity are fixed. */
    async update(principal: Principal, iblockId: number, idOrCode: number | string, patch: PropertyPatch): Promise<Property> {
      const p = await find(iblockId, idOrCode);
      await access.assert(principal, iblockId, 'X');
      const forbidden = (['type', 'code', 'multiple'] as const).find((k) => (patch as Record<string, unknown>)[k] !== undefined && (patch as Record<string, unknown>)[k] !== p[k]);
      if (forbidden) throw fail(`${forbidden} of a property cannot change; add a new property instead`);
      const row = flagsRow(patch, true);
      const enums = p.type === 'list' && patch.enums !== undefined ? enumRows(patch.enums) : null;
      await assertLinkIblock(row);
      await db.transaction(async (tx) => {
        if (Object.keys(row).length) await tx.table('properties').where({ id: p.id }).update(row);
        if (enums) await writeEnums(tx, p.id, enums);
      });
      const filterable = row.filterable === undefined ? p.filterable : Boolean(row.filterable);
      const indexed = hasSingleIndex({ ...p, filterable });
      if (!p.multiple && indexed !== hasSingleIndex(p)) await setSingleIndex(db, p, indexed);
      await cache.invalidateTags(ibTags.meta(iblockId), ibTags.iblock(iblockId));
      return find(iblockId, p.id);
    },

    /** Removes the property and all its values (drops its column). */
    async delete(principal: Principal, iblockId: number, idOrCode: number | string): Promise<void> {
      const p = await find(iblockId, idOrCode);
      await access.assert(principal, iblockId, 'X');
      const files = p.type === 'file' ? await propertyFileIds(p) : [];
      await recordFileCandidates((name) => db.write(name), files);
      if (p.multiple) await db.write(multiTable(iblockId)).where({ property_id: p.id }).delete();
      else await dropSingleColumn(db, p);
      await db.write('property_enums').where({ property_id: p.id }).delete();
      await db.write('properties').where({ id: p.id }).delete();
      await cache.invalidateTags(ibTags.meta(iblockId), ibTags.iblock(iblockId));
      await sweepFiles(ctx, files);
    },
  };
}
