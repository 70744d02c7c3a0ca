import type { PropertyType } from '../types.js';

/** Value kinds the filter grammar knows; each decides value coercion and allowed operators. */
export type Kind = 'int' | 'num' | 'str' | 'text' | 'bool' | 'time' | 'date';

/** Element fields usable in filter and order, with their column on the elements table (alias e); look up with `elementField`. */
/** `emptyIsNull`: a NOT NULL text column that stores "no value" as ''; `FIELD: null` matches '' there (docs/infoblocks.md). */
export interface ElementField {
  column: string;
  kind: Kind;
  emptyIsNull?: true;
}
const ELEMENT_FIELDS: Readonly<Record<string, ElementField>> = {
  ID: { column: 'id', kind: 'int' },
  NAME: { column: 'name', kind: 'str' },
  CODE: { column: 'code', kind: 'str', emptyIsNull: true },
  XML_ID: { column: 'xml_id', kind: 'str' },
  ACTIVE: { column: 'active', kind: 'bool' },
  ACTIVE_FROM: { column: 'active_from', kind: 'time' },
  ACTIVE_TO: { column: 'active_to', kind: 'time' },
  SORT: { column: 'sort', kind: 'int' },
  PREVIEW_TEXT: { column: 'preview_text', kind: 'text', emptyIsNull: true },
  DETAIL_TEXT: { column: 'detail_text', kind: 'text', emptyIsNull: true },
  PREVIEW_PICTURE: { column: 'preview_picture', kind: 'int' },
  DETAIL_PICTURE: { column: 'detail_picture', kind: 'int' },
  TAGS: { column: 'tags', kind: 'str', emptyIsNull: true },
  CREATED_BY: { column: 'created_by', kind: 'int' },
  MODIFIED_BY: { column: 'modified_by', kind: 'int' },
  CREATED_AT: { column: 'created_at', kind: 'time' },
  MODIFIED_AT: { column: 'modified_at', kind: 'time' },
};

/** The element field named by user input (filter key, order or select), never an inherited name like "constructor". */
export function elementField(name: string): ElementField | undefined {
  return Object.hasOwn(ELEMENT_FIELDS, name) ? ELEMENT_FIELDS[name] : undefined;
}

export function propertyKind(type: PropertyType): Kind {
  switch (type) {
    case 'string':
      return 'str';
    case 'html':
      return 'text';
    case 'number':
      return 'num';
    case 'date':
      return 'date';
    case 'datetime':
      return 'time';
    default:
      return 'int';
  }
}

/** Operator prefixes, longest first so "!><" wins over "!" and ">=" over ">". */
export const OPERATORS = ['!><', '!%', '!@', '!=', '><', '>=', '<=', '!', '>', '<', '=', '%', '@'] as const;
export type Operator = (typeof OPERATORS)[number];

/** Splits "!>=NAME" style keys into operator and field. */
export function splitKey(key: string): { op: Operator; field: string } {
  for (const op of OPERATORS) if (key.startsWith(op)) return { op, field: key.slice(op.length) };
  return { op: '=', field: key };
}
