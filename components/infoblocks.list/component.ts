import { defineComponent } from '../../core/components/types.js';
import { readQuery } from '../../core/components/request.js';
import { paginate } from '../../modules/main/routes/intranet/paging.js';
import { ibErrors } from '../../modules/infoblocks/errors.js';
import type { Element, Filter } from '../../modules/infoblocks/types.js';
import { dateText, isoDateIn } from '../../modules/infoblocks/view/format.js';
import { fillUrl } from '../../modules/infoblocks/query/urls.js';
import {
  activeOnlyParam,
  filterJsonParam,
  filterNameParam,
  headingParam,
  iblockParam,
  pageSizeParam,
  pageVarParam,
  parseCodes,
  propertiesParam,
  sortByParam,
  sortOrderParam,
  timeZoneParam,
  zoneOf,
  urlTemplateParam,
} from '../../modules/infoblocks/view/params.js';
import { findSection, iblockFor, iblockTags, siteDirOf } from '../../modules/infoblocks/view/resolve.js';
import { fileLink, pickProperties, showProperties, type ShowContext } from '../../modules/infoblocks/view/show-values.js';
import { filterFromValues, filterQuery, pickFilterValues, type FilterValues } from '../../modules/infoblocks/view/url-filter.js';
import { withParamName } from '../../modules/infoblocks/view/grammar-errors.js';

const NAME = 'infoblocks.list';

/**
 * Elements of an infoblock, a page at a time: filtered by the parameters (section, active,
 * a filter in the module's grammar) and by an infoblocks.filter form with the same filter name.
 */
export default defineComponent({
  name: NAME,
  title: { en: 'Infoblock: list', ru: 'Инфоблок: список' },
  params: {
    iblock: iblockParam,
    title: headingParam,
    headingLevel: { type: 'string', options: ['h2', 'h1'], default: 'h2', title: { en: 'Heading level (h1 when the list is the page’s main content)', ru: 'Уровень заголовка (h1, если список — основное содержимое страницы)' } },
    filter: filterJsonParam,
    sortBy: sortByParam,
    sortOrder: sortOrderParam,
    pageSize: pageSizeParam,
    paging: { type: 'boolean', default: true, title: { en: 'Pages (a pager below the list)', ru: 'Постраничная навигация' } },
    pageVar: pageVarParam,
    sectionId: { type: 'number', integer: true, min: 0, default: 0, title: { en: 'Section id (0: all)', ru: 'ID раздела (0 — все)' } },
    sectionCode: { type: 'string', maxLength: 1000, default: '', title: { en: 'Section code or code path', ru: 'Код или путь кодов раздела' } },
    includeSubsections: { type: 'boolean', default: true, title: { en: 'Include subsections', ru: 'Включая подразделы' } },
    activeOnly: activeOnlyParam,
    properties: propertiesParam(false),
    detailUrl: urlTemplateParam({ en: 'Detail URL template (empty: the infoblock’s)', ru: 'Шаблон URL детальной страницы (пусто — из инфоблока)' }),
    allLink: { type: 'boolean', default: false, title: { en: 'Link to the whole list (the infoblock’s list URL)', ru: 'Ссылка на весь список (URL списка инфоблока)' } },
    filterName: filterNameParam,
    timeZone: timeZoneParam,
  },
  request: (query, params) => ({
    page: params.paging ? Number(readQuery(query, { [params.pageVar]: { type: 'number', integer: true, min: 1, max: 100_000, default: 1 } })[params.pageVar]) : 1,
    filter: pickFilterValues(query, params.filterName),
  }),
  cache: { ttl: 300, tags: (p, { kernel, state }) => iblockTags(kernel, state, p.iblock, NAME), vary: ['language', 'site'] },
  async prepare({ kernel, params, state, request }) {
    const api = kernel.api('infoblocks');
    const { principal } = state;
    const lang = state.language ?? 'en';
    const zone = zoneOf(params.timeZone, state);
    const iblock = await iblockFor(kernel, state, params.iblock, NAME);
    const props = await api.properties.list(principal, iblock.id);
    const shown = pickProperties(props, parseCodes(params.properties), NAME, 'properties');

    const filter: Filter = {};
    if (params.activeOnly) Object.assign(filter, { ACTIVE: 'Y', ACTIVE_DATE: 'Y' });
    if (params.sectionId || params.sectionCode) {
      const sections = await api.sections.list(principal, iblock.id);
      const section = findSection(sections, { id: params.sectionId, code: params.sectionCode });
      if (!section || (params.activeOnly && !section.active)) throw ibErrors.SECTION_NOT_FOUND(params.sectionId ? String(params.sectionId) : `"${params.sectionCode}"`);
      Object.assign(filter, { SECTION_ID: section.id, INCLUDE_SUBSECTIONS: params.includeSubsections });
    }
    if (params.filter) filter[0] = JSON.parse(params.filter) as Filter;
    const fromUrl = filterFromValues(props, request.filter, params.filterName, zone);
    if (Object.keys(fromUrl).length) filter[1] = fromUrl;

    const res = await withParamName(NAME, () =>
      api.elements.list(principal, iblock.id, {
        filter,
        order: { [params.sortBy]: params.sortOrder },
        select: ['SECTION_ID', ...shown.map((p) => `PROPERTY_${p.code}`)],
        page: request.page,
        pageSize: params.pageSize,
      }),
    );
    const siteDir = siteDirOf(state);
    const show: ShowContext = { kernel, principal, lang, timeZone: zone, siteDir };
    const sectionPaths = new Map((params.detailUrl.includes('#SECTION_CODE_PATH#') ? await api.sections.list(principal, iblock.id) : []).map((s) => [s.id, s.codePath]));
    const detailHref = (el: Element) =>
      params.detailUrl
        ? fillUrl(params.detailUrl, { siteDir, iblockCode: iblock.code, sectionCodePath: sectionPaths.get(el.sectionIds[0] ?? 0), sectionId: el.sectionIds[0] ?? null, elementCode: el.code, id: el.id })
        : el.detailUrl;
    const items = await Promise.all(
      res.items.map(async (el) => {
        const picture = await fileLink(kernel, el.previewPicture);
        const at = el.activeFrom ?? el.createdAt;
        return {
          id: el.id,
          name: el.name,
          href: detailHref(el),
          date: { iso: isoDateIn(at, zone), text: dateText(at, lang, zone) },
          preview: el.previewTextType === 'html' ? { html: el.previewText } : { text: el.previewText },
          picture: picture && picture.mimeType.startsWith('image/') ? picture.href : null,
          properties: await showProperties(show, shown, el),
        };
      }),
    );
    const pager = params.paging ? paginate(res.total, request.page, params.pageSize, (n) => pageHref(request.filter, params.filterName, params.pageVar, n)) : null;
    return {
      heading: params.title || iblock.name,
      allHref: params.allLink ? fillUrl(iblock.listUrl, { siteDir, iblockCode: iblock.code }) : '',
      items,
      total: res.total,
      filtered: Object.keys(request.filter).length > 0,
      pager,
    };
  },
});

/** A page link relative to the current URL that keeps the filter values. */
function pageHref(values: FilterValues, filterName: string, pageVar: string, n: number): string {
  const q = new URLSearchParams(filterQuery(values, filterName));
  if (n > 1) q.set(pageVar, String(n));
  const s = q.toString();
  return s ? `?${s}` : './';
}
