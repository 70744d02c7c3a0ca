import { linkProblem } from '../../../core/security/safe-link.js';
import type { ParamSpec } from '../../../core/components/params.js';
import { datesFor, type DateContext } from '../../../core/time/date-format.js';

/** Parameter specs the infoblocks components share (titles in both languages for the page builder). */

const NAME = /^[a-z][a-z0-9_]{0,29}$/;
const CODES = /^(\*|[A-Za-z][A-Za-z0-9_]{0,49}(\s*,\s*[A-Za-z][A-Za-z0-9_]{0,49})*)$/;

/** Whether a time zone name is one Intl knows ("UTC", "Europe/Moscow"). */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

export const iblockParam = {
  type: 'string',
  maxLength: 50,
  default: '',
  required: true,
  refers: { module: 'infoblocks', kind: 'iblock' },
  title: { en: 'Infoblock (code or id)', ru: 'Инфоблок (код или ID)' },
  hint: { en: 'the code or the id of an existing infoblock', ru: 'код или ID существующего инфоблока' },
} as const satisfies ParamSpec;

/** A filter in the module's grammar as JSON text: `{"=PROPERTY_CATEGORY": 3}`. */
export const filterJsonParam = {
  type: 'string',
  maxLength: 4000,
  default: '',
  title: { en: 'Filter (JSON in the filter grammar)', ru: 'Фильтр (JSON в грамматике фильтра)' },
  hint: { en: 'a JSON object, e.g. {"=PROPERTY_CATEGORY": 3}', ru: 'JSON-объект, например {"=PROPERTY_CATEGORY": 3}' },
  check: (v: string) => {
    try {
      const parsed = JSON.parse(v) as unknown;
      return parsed && typeof parsed === 'object' && !Array.isArray(parsed)
        ? null
        : { en: 'must be a JSON object such as {"=PROPERTY_CATEGORY": 3}', ru: 'должен быть JSON-объектом, например {"=PROPERTY_CATEGORY": 3}' };
    } catch (err) {
      return { en: `is not valid JSON (${(err as Error).message})`, ru: `не является корректным JSON (${(err as Error).message})` };
    }
  },
} as const satisfies ParamSpec;

export const sortByParam = {
  type: 'string',
  maxLength: 60,
  default: 'SORT',
  title: { en: 'Order by (field or PROPERTY_<CODE>)', ru: 'Сортировать по (поле или PROPERTY_<КОД>)' },
} as const satisfies ParamSpec;

export const sortOrderParam = {
  type: 'string',
  options: ['ASC', 'DESC'],
  optionTitles: { ASC: { en: 'Ascending', ru: 'По возрастанию' }, DESC: { en: 'Descending', ru: 'По убыванию' } },
  default: 'ASC',
  title: { en: 'Order direction', ru: 'Направление сортировки' },
} as const satisfies ParamSpec;

export const pageSizeParam = {
  type: 'number',
  integer: true,
  min: 1,
  max: 100,
  default: 10,
  title: { en: 'Items per page', ru: 'Элементов на странице' },
} as const satisfies ParamSpec;

export const activeOnlyParam = {
  type: 'boolean',
  default: true,
  title: { en: 'Only active items (and within their active dates)', ru: 'Только активные (и в периоде активности)' },
} as const satisfies ParamSpec;

/** Property codes to show, comma-separated; `*` = all. */
export const propertiesParam = (all: boolean) =>
  ({
    type: 'string',
    maxLength: 1000,
    default: all ? '*' : '',
    title: { en: 'Properties to show (codes, comma-separated; * = all)', ru: 'Показывать свойства (коды через запятую; * — все)' },
    hint: { en: 'property codes (latin letters, digits and _) separated by commas, or *', ru: 'коды свойств (латинские буквы, цифры и _) через запятую, или *' },
    check: (v: string) =>
      CODES.test(v.trim())
        ? null
        : { en: 'must be property codes separated by commas, or * (a code is latin letters, digits and _, starting with a letter)', ru: 'должен быть списком кодов свойств через запятую или * (код — латинские буквы, цифры и _, начиная с буквы)' },
  }) as const satisfies ParamSpec;

/** A name used in URLs (a filter name, a query parameter). */
const urlNameParam = (fallback: string, title: { en: string; ru: string }) =>
  ({
    type: 'string',
    maxLength: 30,
    default: fallback,
    title,
    hint: { en: 'lower-case latin letters, digits and _, starting with a letter', ru: 'строчные латинские буквы, цифры и _, начиная с буквы' },
    check: (v: string) =>
      NAME.test(v) ? null : { en: 'must be lower-case letters, digits and _ (starting with a letter)', ru: 'может содержать только строчные латинские буквы, цифры и _ и должен начинаться с буквы' },
  }) as const satisfies ParamSpec;

export const filterNameParam = urlNameParam('', { en: 'Filter name (the same in infoblocks.filter and infoblocks.list)', ru: 'Имя фильтра (одно и то же в infoblocks.filter и infoblocks.list)' });

export const pageVarParam = urlNameParam('page', { en: 'Query parameter of the page number', ru: 'Параметр URL с номером страницы' });

/** Empty: the site's time zone (zoneOf). */
export const timeZoneParam = {
  type: 'string',
  maxLength: 60,
  default: '',
  title: { en: 'Time zone of dates (empty: the site’s; e.g. Europe/Moscow)', ru: 'Часовой пояс дат (пусто — как у сайта; например, Europe/Moscow)' },
  check: (v: string) => (v === '' || isTimeZone(v) ? null : { en: 'is not a known time zone', ru: 'не является известным часовым поясом' }),
} as const satisfies ParamSpec;

/** The zone a component shows dates in: its `timeZone` parameter, else the site's. */
export function zoneOf(timeZone: string, state: DateContext): string {
  return timeZone || datesFor(state).timeZone;
}

/** A URL template parameter: empty, or a link that starts with "/", "#SITE_DIR#" or http(s):// (no javascript: hrefs). */
export const urlTemplateParam = (title: { en: string; ru: string }) =>
  ({
    type: 'string',
    maxLength: 255,
    default: '',
    title,
    hint: { en: 'starts with "/", "#SITE_DIR#" or http(s)://', ru: 'начинается с «/», «#SITE_DIR#» или http(s)://' },
    check: (v: string) => (linkProblem(v.trim(), { template: true }) ? { en: linkProblem(v.trim(), { template: true })!, ru: 'должен начинаться с «/», «#SITE_DIR#» или http(s)://' } : null),
  }) as const satisfies ParamSpec;

export const headingParam = {
  type: 'string',
  maxLength: 100,
  default: '',
  title: { en: 'Heading (empty: the infoblock name)', ru: 'Заголовок (пусто — название инфоблока)' },
} as const satisfies ParamSpec;

/** "A, B" -> ['A', 'B']; '*' -> '*'; '' -> []. */
export function parseCodes(value: string): string[] | '*' {
  const v = value.trim();
  if (v === '*') return '*';
  return v ? v.split(',').map((c) => c.trim()).filter(Boolean) : [];
}
