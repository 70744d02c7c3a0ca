import type { ElementInput, Property } from '../types.js';
import { splitList, type CsvField } from './csv-format.js';
import { parseElementRef, type ElementRef, type ImportRefs } from './csv-import-refs.js';

/** A header column: an element field or a property. */
export interface Column {
  index: number;
  name: string;
  field?: CsvField;
  property?: Property;
}

/** A cell that could not be read: the column and the reason. */
export class CellError extends Error {
  constructor(readonly column: Column, message: string) {
    super(message);
  }
}

/** Element links that point to elements not imported yet; set once the whole file is in. */
export interface DeferredLinks {
  column: Column;
  property: Property;
  /** Every value of the cell in order: ids already found, references still open. */
  values: (number | ElementRef)[];
}

export interface CsvRow {
  line: number;
  cells: string[];
}

const FIELD_KEYS: Partial<Record<CsvField, keyof ElementInput>> = {
  XML_ID: 'xmlId', CODE: 'code', NAME: 'name', ACTIVE: 'active', ACTIVE_FROM: 'activeFrom', ACTIVE_TO: 'activeTo', SORT: 'sort',
  PREVIEW_TEXT: 'previewText', PREVIEW_TEXT_TYPE: 'previewTextType', DETAIL_TEXT: 'detailText', DETAIL_TEXT_TYPE: 'detailTextType',
};
/** Element columns whose empty cell means "not given" (the default, or unchanged on update). */
const OPTIONAL = new Set<CsvField>(['ACTIVE', 'SORT', 'PREVIEW_TEXT_TYPE', 'DETAIL_TEXT_TYPE']);

/** The element field an API error message starts with -> its column name. */
export const COLUMN_OF_FIELD: Record<string, CsvField> = {
  ...Object.fromEntries(Object.entries(FIELD_KEYS).map(([col, key]) => [key, col as CsvField])),
  previewPicture: 'PREVIEW_PICTURE', detailPicture: 'DETAIL_PICTURE', tags: 'TAGS', sectionIds: 'SECTIONS',
};

const list = (c: Column, cell: string): string[] => {
  try {
    return splitList(cell);
  } catch (err) {
    throw new CellError(c, (err as Error).message);
  }
};

/** Logins and element references of the row's cells, for ImportRefs.prepare. */
export function refsOfRow(row: CsvRow, columns: Column[], ownIblockId: number): { logins: string[]; elements: { iblockId: number; ref: ElementRef }[] } {
  const logins: string[] = [];
  const elements: { iblockId: number; ref: ElementRef }[] = [];
  for (const c of columns) {
    const p = c.property;
    if (!p || (p.type !== 'user' && p.type !== 'element')) continue;
    const cells = p.multiple ? list(c, row.cells[c.index]!) : [row.cells[c.index]!].filter((x) => x !== '');
    if (p.type === 'user') logins.push(...cells);
    else elements.push(...cells.map((v) => ({ iblockId: p.linkIblockId ?? ownIblockId, ref: parseElementRef(v) })));
  }
  return { logins, elements };
}

async function propertyValue(p: Property, c: Column, cell: string, refs: ImportRefs, ownIblockId: number, deferred: DeferredLinks[]): Promise<unknown> {
  const one = async (v: string): Promise<unknown> => {
    switch (p.type) {
      case 'list': {
        const e = p.enums.find((x) => x.xmlId === v) ?? p.enums.find((x) => x.value === v);
        if (!e) throw new CellError(c, `Property "${p.code}" has no value "${v}" (by xml_id or value)`);
        return e.id;
      }
      case 'section': {
        const id = await refs.section(p.linkIblockId ?? ownIblockId, v);
        if (id === undefined) throw new CellError(c, `section "${v}" does not exist`);
        return id;
      }
      case 'user': {
        const id = refs.user(v);
        if (id === undefined) throw new CellError(c, `user "${v}" does not exist`);
        return id;
      }
      case 'file':
        return refs.file(v).catch((err: Error) => {
          throw new CellError(c, err.message);
        });
      case 'element': {
        const ref = parseElementRef(v);
        return refs.element(p.linkIblockId ?? ownIblockId, ref) ?? ref;
      }
      default:
        return v;
    }
  };
  const cells = p.multiple ? list(c, cell) : cell === '' ? [] : [cell];
  const values = [];
  for (const v of cells) values.push(await one(v));
  if (p.type === 'element' && values.some((v) => typeof v !== 'number')) {
    deferred.push({ column: c, property: p, values: values as (number | ElementRef)[] });
    const found = values.filter((v) => typeof v === 'number');
    return p.multiple ? found : null;
  }
  return p.multiple ? values : (values[0] ?? null);
}

/** One CSV row as element input; element links not found yet go to `deferred`. */
export async function rowToInput(row: CsvRow, columns: Column[], refs: ImportRefs, ownIblockId: number, deferred: DeferredLinks[]): Promise<ElementInput> {
  const input: Record<string, unknown> = {};
  const properties: Record<string, unknown> = {};
  for (const c of columns) {
    const cell = row.cells[c.index]!;
    if (c.property) {
      properties[c.property.code] = await propertyValue(c.property, c, cell, refs, ownIblockId, deferred);
      continue;
    }
    const field = c.field!;
    if (OPTIONAL.has(field) && cell === '') continue;
    if (FIELD_KEYS[field]) input[FIELD_KEYS[field]!] = (field === 'ACTIVE_FROM' || field === 'ACTIVE_TO') && cell === '' ? null : cell;
    else if (field === 'TAGS') input.tags = list(c, cell);
    else if (field === 'SECTIONS') {
      const ids: number[] = [];
      for (const path of list(c, cell)) {
        const id = refs.createsSections ? await refs.ensureSection(ownIblockId, path).catch((err: Error) => {
          throw new CellError(c, err.message);
        }) : await refs.section(ownIblockId, path);
        if (id === undefined) throw new CellError(c, `section "${path}" does not exist`);
        // A section a dry run would create is left out (it has no id yet).
        if (id !== 0) ids.push(id);
      }
      input.sectionIds = ids;
    } else if (cell === '') input[field === 'PREVIEW_PICTURE' ? 'previewPicture' : 'detailPicture'] = null;
    else {
      const id = await refs.file(cell).catch((err: Error) => {
        throw new CellError(c, err.message);
      });
      // A picture a dry run would store is left out: pictures are never required.
      if (typeof id === 'number') input[field === 'PREVIEW_PICTURE' ? 'previewPicture' : 'detailPicture'] = id;
    }
  }
  if (columns.some((c) => c.property)) input.properties = properties;
  return input as unknown as ElementInput;
}
