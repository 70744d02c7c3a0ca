import { checked, str } from '../../../core/http/admin-forms.js';
import { ibErrors } from '../errors.js';
import { PROPERTY_TYPES, type EnumInput, type Property, type PropertyType } from '../types.js';
import type { DateFormat } from '../../../core/time/date-format.js';
import { intField, parseLocal } from './fields.js';

/** One row of the enum values editor (list properties). */
export interface EnumRow {
  id: string;
  value: string;
  xmlId: string;
  sort: string;
  isDefault: boolean;
  remove: boolean;
}

export interface PropertyForm {
  code: string;
  name: string;
  type: string;
  multiple: boolean;
  required: boolean;
  searchable: boolean;
  filterable: boolean;
  sort: string;
  defaultValue: string;
  linkIblockId: string;
  xmlId: string;
  enums: EnumRow[];
}

/** Blank enum rows offered under the filled ones; "More rows" adds this many again (no script needed). */
export const BLANK_ROWS = 3;
const MAX_ROWS = 500;

export const blankRow = (): EnumRow => ({ id: '', value: '', xmlId: '', sort: '', isDefault: false, remove: false });

/** The form as posted: fields plus enum rows enum_<i>_value / _xml / _sort / _default / _remove / _id. */
export function readPropertyForm(body: unknown): PropertyForm {
  const rows = Math.min(Number(str(body, 'enum_rows')) || 0, MAX_ROWS);
  const enums: EnumRow[] = [];
  for (let i = 0; i < rows; i++) {
    const f = (name: string) => str(body, `enum_${i}_${name}`);
    enums.push({ id: f('id'), value: f('value'), xmlId: f('xml').trim(), sort: f('sort').trim(), isDefault: checked(body, `enum_${i}_default`), remove: checked(body, `enum_${i}_remove`) });
  }
  return {
    code: str(body, 'code').trim(),
    name: str(body, 'name'),
    type: str(body, 'type'),
    multiple: checked(body, 'multiple'),
    required: checked(body, 'required'),
    searchable: checked(body, 'searchable'),
    filterable: checked(body, 'filterable'),
    sort: str(body, 'sort').trim(),
    defaultValue: str(body, 'defaultValue'),
    linkIblockId: str(body, 'linkIblockId'),
    xmlId: str(body, 'xmlId').trim(),
    enums,
  };
}

export function propertyFormOf(p: Property, dates: DateFormat): PropertyForm {
  return {
    code: p.code, name: p.name, type: p.type, multiple: p.multiple, required: p.required, searchable: p.searchable, filterable: p.filterable,
    sort: String(p.sort), defaultValue: defaultText(p, dates), linkIblockId: p.linkIblockId ? String(p.linkIblockId) : '', xmlId: p.xmlId ?? '',
    enums: p.enums.map((e) => ({ id: String(e.id), value: e.value, xmlId: e.xmlId, sort: String(e.sort), isDefault: e.isDefault, remove: false })),
  };
}

/** The stored default as the form shows it (a list default shows as the first value). */
function defaultText(p: Property, dates: DateFormat): string {
  const v = Array.isArray(p.defaultValue) ? p.defaultValue[0] : p.defaultValue;
  if (v === null || v === undefined) return '';
  return p.type === 'datetime' ? dates.input(Number(v)) : String(v);
}

/** The enum values to save: removed and blank new rows left out, in the order shown. */
export function enumsOf(form: PropertyForm): EnumInput[] {
  return form.enums
    .filter((r) => !r.remove && (r.value.trim() !== '' || r.id !== ''))
    .map((r) => ({
      ...(r.id ? { id: Number(r.id) } : {}),
      value: r.value,
      ...(r.xmlId ? { xmlId: r.xmlId } : {}),
      sort: intField(r.sort, `sort of "${r.value.slice(0, 40)}"`),
      isDefault: r.isDefault,
    }));
}

/**
 * The default value as the API stores it: numbers as numbers, datetimes as epoch ms (the
 * input is on the site's clock), links as ids; blank is none. A multiple property gets a one-value list.
 */
export function defaultOf(form: PropertyForm, type: PropertyType, dates: DateFormat): unknown {
  const raw = form.defaultValue.trim();
  if (raw === '' || type === 'list') return null;
  const bad = (what: string) => ibErrors.PROPERTY_INPUT_INVALID(`defaultValue "${raw.slice(0, 40)}" is not ${what}`, { field: 'defaultValue' });
  let value: unknown = form.defaultValue;
  if (type === 'number') {
    value = Number(raw);
    if (!Number.isFinite(value)) throw bad('a number');
  } else if (type === 'datetime') value = parseLocal(raw, 'defaultValue', dates);
  else if (type === 'date' && !/^\d{4}-\d{2}-\d{2}$/.test(raw)) throw bad('a date YYYY-MM-DD');
  else if (['element', 'section', 'file', 'user'].includes(type)) value = intField(raw, 'defaultValue');
  return form.multiple ? [value] : value;
}

export function typeOf(raw: string): PropertyType {
  if (!(PROPERTY_TYPES as readonly string[]).includes(raw)) throw ibErrors.PROPERTY_INPUT_INVALID(`type "${raw.slice(0, 20)}" is not one of ${PROPERTY_TYPES.join(', ')}`, { field: 'type' });
  return raw as PropertyType;
}
