import { defineComponent } from '../../core/components/types.js';
import { coreErrors } from '../../core/errors/codes.js';
import type { Property } from '../../modules/infoblocks/types.js';
import { filterNameParam, headingParam, iblockParam, parseCodes, propertiesParam, timeZoneParam, zoneOf } from '../../modules/infoblocks/view/params.js';
import { iblockFor, iblockTags } from '../../modules/infoblocks/view/resolve.js';
import { pickProperties } from '../../modules/infoblocks/view/show-values.js';
import { filterFromValues, pickFilterValues, type FilterValues } from '../../modules/infoblocks/view/url-filter.js';

const NAME = 'infoblocks.filter';

/** One control of the form; `name` attributes follow the filter link (see view/url-filter.ts). */
export interface FilterControl {
  label: string;
  kind: 'text' | 'select' | 'checkboxes' | 'range';
  /** For text, select and checkboxes. */
  name: string;
  value: string;
  options: { value: string; label: string; selected: boolean }[];
  /** For ranges: number or date inputs named `<name>.from` / `<name>.to`. */
  input: 'number' | 'date';
  from: { name: string; value: string };
  to: { name: string; value: string };
}

/**
 * A GET form over an infoblock's filterable properties. Give infoblocks.list the same
 * filter name and it filters by what the visitor picked (list: select or checkboxes,
 * number and date: from/to, string: contains). Works without JavaScript.
 */
export default defineComponent({
  name: NAME,
  title: { en: 'Infoblock: filter form', ru: 'Инфоблок: форма фильтра' },
  params: {
    iblock: iblockParam,
    filterName: { ...filterNameParam, default: 'filter' },
    title: headingParam,
    properties: { ...propertiesParam(true), title: { en: 'Properties (codes, comma-separated; * = every filterable one)', ru: 'Свойства (коды через запятую; * — все фильтруемые)' } },
    nameField: { type: 'boolean', default: true, title: { en: 'Search by name', ru: 'Поиск по названию' } },
    listControl: {
      type: 'string',
      options: ['select', 'checkboxes'],
      optionTitles: { select: { en: 'Drop-down list', ru: 'Выпадающий список' }, checkboxes: { en: 'Checkboxes', ru: 'Флажки' } },
      default: 'select',
      title: { en: 'List properties as', ru: 'Свойства-списки в виде' } },
    timeZone: timeZoneParam,
  },
  request: (query, params) => ({ values: pickFilterValues(query, params.filterName) }),
  cache: { ttl: 600, tags: (p, { kernel, state }) => iblockTags(kernel, state, p.iblock, NAME), vary: ['language', 'site'] },
  async prepare({ kernel, params, state, request }) {
    if (!params.filterName) throw coreErrors.VALIDATION_FAILED(`${NAME}: parameter "filterName" is required`);
    const iblock = await iblockFor(kernel, state, params.iblock, NAME);
    const all = await kernel.api('infoblocks').properties.list(state.principal, iblock.id);
    // The same check as the list's: a bad value in the URL is a 400 here too.
    filterFromValues(all, request.values, params.filterName, zoneOf(params.timeZone, state));
    const props = pickProperties(all, parseCodes(params.properties), NAME, 'properties').filter((p) => p.filterable);
    const lang = state.language ?? 'en';
    const t = (key: string) => kernel.i18n.t('infoblocks', key, lang);
    const controls: FilterControl[] = [];
    if (params.nameField) controls.push(control(params.filterName, 'NAME', t('IB_FILTER_NAME'), 'text', request.values));
    for (const p of props) controls.push(propertyControl(params.filterName, p, params.listControl as 'select' | 'checkboxes', request.values));
    return { heading: params.title || t('IB_FILTER'), controls, active: Object.keys(request.values).length > 0, anyLabel: t('IB_FILTER_ANY') };
  },
});

function control(filterName: string, field: string, label: string, kind: FilterControl['kind'], values: FilterValues): FilterControl {
  const name = `${filterName}.${field}`;
  const one = (f: string) => values[f]?.[0] ?? '';
  return { label, kind, name, value: one(field), options: [], input: 'number', from: { name: `${name}.from`, value: one(`${field}.from`) }, to: { name: `${name}.to`, value: one(`${field}.to`) } };
}

function propertyControl(filterName: string, p: Property, listControl: 'select' | 'checkboxes', values: FilterValues): FilterControl {
  const field = `PROPERTY_${p.code}`;
  switch (p.type) {
    case 'list': {
      const chosen = new Set(values[field] ?? []);
      const c = control(filterName, field, p.name, p.multiple || listControl === 'checkboxes' ? 'checkboxes' : 'select', values);
      return { ...c, options: p.enums.map((e) => ({ value: String(e.id), label: e.value, selected: chosen.has(String(e.id)) })) };
    }
    case 'number':
      return control(filterName, field, p.name, 'range', values);
    case 'date':
    case 'datetime':
      return { ...control(filterName, field, p.name, 'range', values), input: 'date' };
    default:
      return control(filterName, field, p.name, 'text', values);
  }
}
