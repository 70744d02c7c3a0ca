import type { Filter, Property } from '../types.js';
import type { DateFormat } from '../../../core/time/date-format.js';
import { parseLocal } from './fields.js';

/** What the element list was asked for (the query string), as the filter form shows it again. */
export interface ListState {
  q: string;
  active: string;
  section: string;
  sub: boolean;
  /** Raw inputs of the property filters by input name (f_CODE, f_CODE_from, f_CODE_to). */
  f: Record<string, string>;
  by: string;
  dir: 'asc' | 'desc';
  page: number;
}

/** One property filter input of the form. */
export interface PropertyFilter {
  property: Property;
  /** 'range' for from/to (numbers, dates), 'enum' a select, 'text' contains, 'id' equals. */
  kind: 'range' | 'enum' | 'text' | 'id';
}

/** Element columns the list can be ordered by (besides single-value properties). */
const SORTABLE = ['ID', 'NAME', 'ACTIVE', 'SORT', 'MODIFIED_AT'];

export function propertyFilters(properties: Property[]): PropertyFilter[] {
  return properties
    .filter((p) => p.filterable)
    .map((property) => ({
      property,
      kind: ['number', 'date', 'datetime'].includes(property.type) ? 'range' : property.type === 'list' ? 'enum' : ['string', 'html'].includes(property.type) ? 'text' : 'id',
    }));
}

export function readListState(params: URLSearchParams, filters: PropertyFilter[], singles: Property[]): ListState {
  const get = (k: string) => (params.get(k) ?? '').slice(0, 200);
  const f: Record<string, string> = {};
  for (const { property: p, kind } of filters) {
    for (const name of kind === 'range' ? [`f_${p.code}_from`, `f_${p.code}_to`] : [`f_${p.code}`]) f[name] = get(name).trim();
  }
  const by = get('by');
  const page = Number(get('page'));
  return {
    q: get('q').trim(),
    active: ['Y', 'N'].includes(get('active')) ? get('active') : '',
    section: get('section'),
    sub: get('sub') === '1',
    f,
    by: SORTABLE.includes(by) || singles.some((p) => `PROPERTY_${p.code}` === by) ? by : 'ID',
    dir: get('dir') === 'asc' ? 'asc' : get('dir') === 'desc' || !by ? 'desc' : 'asc',
    page: Number.isSafeInteger(page) && page >= 1 && page <= 100_000 ? page : 1,
  };
}

/**
 * The module's filter grammar for the state: %NAME contains, ACTIVE, SECTION_ID (with
 * INCLUDE_SUBSECTIONS) and per property %, =, >= and <=. Values go to the grammar as typed,
 * so a wrong one is its 400 naming the field; datetimes are read on the site's clock.
 */
export function filterOf(state: ListState, filters: PropertyFilter[], dates: DateFormat): Filter {
  const filter: Filter = {};
  if (state.q) filter['%NAME'] = state.q;
  if (state.active) filter.ACTIVE = state.active;
  if (state.section) {
    filter.SECTION_ID = state.section;
    if (state.sub) filter.INCLUDE_SUBSECTIONS = true;
  }
  for (const { property: p, kind } of filters) {
    const field = `PROPERTY_${p.code}`;
    const value = (raw: string) => (p.type === 'datetime' ? parseLocal(raw, p.code, dates) : raw);
    if (kind === 'range') {
      const from = state.f[`f_${p.code}_from`]!;
      const to = state.f[`f_${p.code}_to`]!;
      if (from) filter[`>=${field}`] = value(from);
      if (to) filter[`<=${field}`] = value(to);
    } else {
      const v = state.f[`f_${p.code}`]!;
      if (v) filter[kind === 'text' ? `%${field}` : `=${field}`] = v;
    }
  }
  return filter;
}

export function orderOf(state: ListState): Record<string, string> {
  return { [state.by]: state.dir.toUpperCase() };
}

/** The list URL ordered by `by`: the other direction when it already is, else ascending. */
export function sortLink(path: string, params: URLSearchParams, state: ListState, by: string): string {
  const out = new URLSearchParams();
  for (const [k, v] of params) if (!['by', 'dir', 'page', 'done'].includes(k) && v !== '') out.append(k, v);
  out.set('by', by);
  out.set('dir', state.by === by && state.dir === 'asc' ? 'desc' : 'asc');
  return `${path}?${out.toString()}`;
}

/** Whether any filter is set (to offer "reset"). */
export function filtered(state: ListState): boolean {
  return !!(state.q || state.active || state.section || Object.values(state.f).some(Boolean));
}
