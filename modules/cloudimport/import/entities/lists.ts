import type { ElementInput, Property, PropertyInput, PropertyType } from '../../../infoblocks/types.js';
import { cloudErrors } from '../../errors.js';
import type { RawRow } from '../../read/table.js';
import { bool, date, day, ref, refs, set, text } from '../../read/values.js';
import { SYSTEM, type Handler, type Ref, type RunContext } from '../handler.js';
import { idOf, required } from './common.js';
import { xmlIdOf } from './crm.js';
import { ensureIblock, ensureType, infoblocksOf, needInfoblocks } from './infoblocks.js';

/** A universal list's field type (TYPE, e.g. "S", "L", "S:employee", "S:DateTime") → the property type. */
export function propertyTypeOf(type: string): PropertyType {
  switch (type) {
    case 'N':
      return 'number';
    case 'L':
      return 'list';
    case 'E':
    case 'E:EList':
      return 'element';
    case 'G':
      return 'section';
    case 'S:employee':
    case 'S:UserID':
      return 'user';
    case 'S:Date':
      return 'date';
    case 'S:DateTime':
      return 'datetime';
    case 'S:HTML':
      return 'html';
    default:
      return 'string';
  }
}

interface ListField {
  fieldId: string;
  code: string;
  name: string;
  type: PropertyType;
  multiple: boolean;
  required: boolean;
  sort: number;
  enums: { id: string; value: string }[];
}
interface ListDef {
  name: string;
  code: string;
  description: string;
  fields: ListField[];
}

/** Fields of a list: its properties (PROPERTY_n); built-in fields (NAME, SORT, ...) are the element's own. */
function fieldsOf(raw: unknown): ListField[] {
  const out: ListField[] = [];
  const used = new Set<string>();
  for (const f of set(raw) as Record<string, unknown>[]) {
    const fieldId = text(f.FIELD_ID) ?? '';
    if (!/^PROPERTY_\d+$/.test(fieldId)) continue;
    let code = /^[A-Za-z][A-Za-z0-9_]{0,49}$/.test(text(f.CODE) ?? '') ? String(text(f.CODE)) : fieldId;
    if (used.has(code)) code = fieldId;
    used.add(code);
    const values = f.DISPLAY_VALUES_FORM && typeof f.DISPLAY_VALUES_FORM === 'object' ? Object.entries(f.DISPLAY_VALUES_FORM as Record<string, unknown>) : [];
    out.push({
      fieldId,
      code,
      name: (text(f.NAME) ?? fieldId).slice(0, 255),
      type: propertyTypeOf(text(f.TYPE) ?? 'S'),
      multiple: bool(f.MULTIPLE),
      required: bool(f.IS_REQUIRED),
      sort: Number(text(f.SORT) ?? 500) || 500,
      enums: values.map(([id, value]) => ({ id, value: String(text(value) ?? id) })),
    });
  }
  return out;
}

const listCode = (id: string) => `b24_list_${id}`;

/** Universal lists → infoblocks of the type "b24_lists", one property per field (xml id: the cloud FIELD_ID). */
export const lists: Handler<ListDef> = {
  entity: 'lists',
  batch: 20,
  unavailable: needInfoblocks,
  prepare(row) {
    const id = idOf(row, 'lists');
    return { id, data: { name: required(text(row.NAME), 'NAME').slice(0, 255), code: text(row.CODE) ?? '', description: text(row.DESCRIPTION) ?? '', fields: fieldsOf(row.FIELDS) }, refs: [] };
  },
  async write(items, run) {
    const api = infoblocksOf(run)!;
    const typeId = await ensureType(run, 'b24_lists', { en: 'Lists (Bitrix24)', ru: 'Списки (Битрикс24)' });
    const out = [];
    for (const it of items) {
      const props = it.data.fields.map((f): PropertyInput => ({
        code: f.code,
        name: f.name,
        type: f.type === 'element' || f.type === 'section' ? 'string' : f.type,
        multiple: f.multiple,
        required: false,
        sort: f.sort,
        xmlId: f.fieldId,
        enums: f.type === 'list' ? f.enums.map((e, i) => ({ value: e.value, xmlId: e.id, sort: (i + 1) * 10 })) : undefined,
      }));
      const { iblock, props: have } = await ensureIblock(run, { typeId, code: listCode(it.id), name: it.data.name, description: it.data.description }, props);
      await api.iblocks.update(SYSTEM, iblock.id, { name: it.data.name, description: it.data.description });
      // Values added to a list field since the last run.
      for (const f of it.data.fields.filter((x) => x.type === 'list')) {
        const p = have.get(f.code)!;
        const missing = f.enums.filter((e) => !p.enums.some((x) => x.xmlId === e.id));
        if (missing.length) await api.properties.update(SYSTEM, iblock.id, p.id, { enums: [...p.enums.map((e) => ({ id: e.id, value: e.value, xmlId: e.xmlId, sort: e.sort })), ...missing.map((e) => ({ value: e.value, xmlId: e.id }))] });
      }
      out.push({ boxId: String(iblock.id) });
    }
    return out;
  },
};

interface ListElement {
  list: string;
  name: string;
  code: string;
  values: Record<string, unknown[]>;
}

/** The box properties of an imported list, by cloud FIELD_ID. */
async function propsOfList(run: RunContext, iblockId: number): Promise<Map<string, Property>> {
  return run.memo(`listprops:${iblockId}`, async () => new Map((await infoblocksOf(run)!.properties.list(SYSTEM, iblockId)).filter((p) => p.xmlId).map((p) => [p.xmlId!, p])));
}

async function listIblock(run: RunContext, cloudList: string): Promise<number> {
  const row = await run.memo(`list:${cloudList}`, () => run.map.get('lists', cloudList));
  if (!row) throw cloudErrors.CLOUD_BAD_ROW(`list ${cloudList} is not imported (import the entity "lists" too)`);
  return Number(row.boxId);
}

function valueOf(p: Property, v: unknown, zone: string): string | number | null {
  switch (p.type) {
    case 'number': {
      const n = Number(String(v).replace(',', '.'));
      if (!Number.isFinite(n)) throw cloudErrors.CLOUD_BAD_ROW(`${p.xmlId}: "${String(v)}" is not a number`);
      return n;
    }
    case 'datetime': {
      const d = date(v, zone);
      if (d === undefined) throw cloudErrors.CLOUD_BAD_ROW(`${p.xmlId}: "${String(v)}" is not a date`);
      return d ? d.getTime() : null;
    }
    case 'date': {
      const d = day(v);
      if (d === undefined) throw cloudErrors.CLOUD_BAD_ROW(`${p.xmlId}: "${String(v)}" is not a date`);
      return d;
    }
    case 'list': {
      const e = p.enums.find((x) => x.xmlId === String(v));
      if (!e) throw cloudErrors.CLOUD_BAD_ROW(`${p.xmlId}: ${String(v)} is not one of the field's values`);
      return e.id;
    }
    default:
      return text(v);
  }
}

/** Elements of universal lists (lists.element.get rows with their IBLOCK_ID); values keyed by PROPERTY_n. */
export const listElements: Handler<ListElement> = {
  entity: 'list_elements',
  unavailable: needInfoblocks,
  async prepare(row: RawRow, run) {
    const id = idOf(row, 'list_elements');
    const list = ref(row.IBLOCK_ID);
    if (!list) throw cloudErrors.CLOUD_BAD_ROW('IBLOCK_ID is empty');
    const props = await propsOfList(run, await listIblock(run, list));
    const values: Record<string, unknown[]> = {};
    const rs: Ref[] = [{ entity: 'lists', id: list }];
    for (const [fieldId, p] of props) {
      const raw = set(row[fieldId]);
      if (p.type === 'user') {
        values[fieldId] = refs(raw);
        for (const u of values[fieldId]) rs.push({ entity: 'users', id: String(u) });
      } else values[fieldId] = raw.map((v) => valueOf(p, v, run.zone)).filter((v) => v !== null);
    }
    return { id, data: { list, name: required(text(row.NAME), 'NAME').slice(0, 255), code: text(row.CODE) ?? '', values }, refs: rs };
  },
  async write(items, run) {
    const api = infoblocksOf(run)!;
    const byList = new Map<string, number[]>();
    items.forEach((it, i) => (byList.get(it.data.list) ?? byList.set(it.data.list, []).get(it.data.list)!).push(i));
    const out: { boxId: string }[] = new Array(items.length);
    for (const [list, indexes] of byList) {
      const iblockId = await listIblock(run, list);
      const props = await propsOfList(run, iblockId);
      const inputs: ElementInput[] = indexes.map((i) => {
        const it = items[i]!;
        const properties: Record<string, unknown> = {};
        for (const [fieldId, p] of props) {
          const vs = p.type === 'user' ? (it.data.values[fieldId] ?? []).map((u) => it.box('users', String(u))).filter(Boolean).map(Number) : (it.data.values[fieldId] ?? []);
          properties[p.code] = p.multiple ? vs : (vs[0] ?? null);
        }
        return { name: it.data.name, xmlId: xmlIdOf('list_elements', it.id), properties };
      });
      const result = await api.elements.importBatch(SYSTEM, iblockId, inputs, { matchBy: 'xmlId' });
      indexes.forEach((i, k) => (out[i] = { boxId: String(result.ids[k]) }));
    }
    return out;
  },
};
