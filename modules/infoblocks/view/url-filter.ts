import { requestError, type RequestQuery } from '../../../core/components/request.js';
import type { Filter, Property } from '../types.js';
import { dayStart, isCalendarDate } from './format.js';

/**
 * The filter link between infoblocks.filter and infoblocks.list (Bitrix's FILTER_NAME):
 * both get the same filter name `f`, the form sends GET values named after the filter
 * grammar's fields, and the list turns them into grammar conditions.
 *   f.NAME=report                 name contains
 *   f.PROPERTY_CATEGORY=3&...=4   list / link properties: one of these ids
 *   f.PROPERTY_PRICE.from=10      number, date and datetime properties: a range
 *   f.PROPERTY_SOURCE=Reuters     string properties: contains
 * Only filterable properties may be filtered from the URL.
 */

/** Values picked from the query for one filter name: field (`PROPERTY_PRICE.from`) -> non-empty values. */
export type FilterValues = Record<string, string[]>;

const FIELD = /^(NAME|PROPERTY_[A-Za-z][A-Za-z0-9_]{0,49})(\.(from|to))?$/;
const MAX_FIELDS = 30;
const MAX_VALUES = 50;
const MAX_LENGTH = 200;

/** The query values of a filter name, checked for shape only (the infoblock's properties are checked by `filterFromValues`). */
export function pickFilterValues(query: RequestQuery, filterName: string): FilterValues {
  if (!filterName) return {};
  const prefix = `${filterName}.`;
  const out: FilterValues = {};
  for (const key of Object.keys(query).sort()) {
    if (!key.startsWith(prefix)) continue;
    const field = key.slice(prefix.length);
    if (!FIELD.test(field)) throw requestError(key, 'is not a filter field (NAME, PROPERTY_<CODE>, PROPERTY_<CODE>.from or .to)');
    const raw = query[key];
    const values = (Array.isArray(raw) ? raw : [raw ?? '']).map((v) => String(v).trim()).filter(Boolean);
    if (values.length > MAX_VALUES) throw requestError(key, `has more than ${MAX_VALUES} values`);
    if (values.some((v) => v.length > MAX_LENGTH)) throw requestError(key, `is longer than ${MAX_LENGTH} characters`);
    if (values.length) out[field] = values;
  }
  if (Object.keys(out).length > MAX_FIELDS) throw requestError(filterName, `has more than ${MAX_FIELDS} fields`);
  return out;
}

/** URL query of filter values (for pager links that keep the filter). */
export function filterQuery(values: FilterValues, filterName: string): [string, string][] {
  return Object.entries(values).flatMap(([field, list]) => list.map((v): [string, string] => [`${filterName}.${field}`, v]));
}

/**
 * Grammar conditions for the picked values. A field that names no filterable property, a
 * value of the wrong kind or a list value the property does not have is a
 * REQUEST_PARAM_INVALID naming the query parameter (the page answers 400).
 */
export function filterFromValues(props: Property[], values: FilterValues, filterName: string, timeZone: string): Filter {
  const out: Filter = {};
  for (const [field, list] of Object.entries(values)) {
    const param = `${filterName}.${field}`;
    const [base, bound] = field.split('.') as [string, 'from' | 'to' | undefined];
    const single = (): string => {
      if (list.length > 1) throw requestError(param, 'is given more than once');
      return list[0]!;
    };
    if (base === 'NAME') {
      if (bound) throw requestError(param, 'takes no range; use NAME');
      out['%NAME'] = single();
      continue;
    }
    const prop = props.find((p) => p.code === base.slice('PROPERTY_'.length));
    if (!prop || !prop.filterable) throw requestError(param, 'does not name a filterable property of this list');
    Object.assign(out, propertyCondition(prop, base, bound, list, single, param, timeZone));
  }
  return out;
}

function propertyCondition(prop: Property, field: string, bound: 'from' | 'to' | undefined, list: string[], single: () => string, param: string, timeZone: string): Filter {
  const ranged = (value: number | string): Filter => (bound === 'from' ? { [`>=${field}`]: value } : bound === 'to' ? { [`<=${field}`]: value } : { [`=${field}`]: value });
  switch (prop.type) {
    case 'number': {
      const n = Number(single().replace(',', '.'));
      if (!Number.isFinite(n)) throw requestError(param, 'must be a number');
      return ranged(n);
    }
    case 'date': {
      const d = single();
      if (!isCalendarDate(d)) throw requestError(param, 'must be a date YYYY-MM-DD');
      return ranged(d);
    }
    case 'datetime': {
      const d = single();
      if (!isCalendarDate(d)) throw requestError(param, 'must be a date YYYY-MM-DD');
      const start = dayStart(d, timeZone);
      const next = dayStart(new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10), timeZone);
      if (bound === 'from') return { [`>=${field}`]: start };
      if (bound === 'to') return { [`<${field}`]: next };
      return { [`>=${field}`]: start, [`<${field}`]: next };
    }
    case 'string':
    case 'html':
      if (bound) throw requestError(param, 'takes no range');
      return { [`%${field}`]: single() };
    default: {
      if (bound) throw requestError(param, 'takes no range');
      const ids = list.map((v) => {
        const id = /^\d{1,15}$/.test(v) ? Number(v) : NaN;
        if (!Number.isSafeInteger(id) || id < 1) throw requestError(param, `value "${v}" is not an id`);
        if (prop.type === 'list' && !prop.enums.some((e) => e.id === id)) throw requestError(param, `value "${v}" is not one of the values of "${prop.name}"`);
        return id;
      });
      return { [`@${field}`]: ids };
    }
  }
}
