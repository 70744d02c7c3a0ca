import { defineComplexComponent, type ChildPlacement } from '../../core/components/types.js';
import {
  activeOnlyParam,
  filterNameParam,
  iblockParam,
  pageSizeParam,
  propertiesParam,
  sortByParam,
  sortOrderParam,
  timeZoneParam,
} from '../../modules/infoblocks/view/params.js';
import { findSection, iblockFor, sectionTrail } from '../../modules/infoblocks/view/resolve.js';

/**
 * An infoblock as a small site section (Bitrix's news/catalog complex component). Placed
 * on /news/ it answers:
 *   /news/                          the list (with the sections menu and the filter form)
 *   /news/section/<code path>/      a section's list (a path of codes, or the section id)
 *   /news/<element code>/           the element (its code, or its id)
 * Children get link templates built from these routes; unknown sections and elements are 404.
 */
export default defineComplexComponent({
  name: 'infoblocks.catalog',
  title: { en: 'Infoblock: catalog (complex)', ru: 'Инфоблок: каталог (комплексный)' },
  params: {
    iblock: iblockParam,
    pageSize: pageSizeParam,
    sortBy: sortByParam,
    sortOrder: sortOrderParam,
    activeOnly: activeOnlyParam,
    listProperties: { ...propertiesParam(false), title: { en: 'Properties in the list (codes; * = all)', ru: 'Свойства в списке (коды; * — все)' } },
    detailProperties: { ...propertiesParam(true), title: { en: 'Properties on the element page (codes; * = all)', ru: 'Свойства на странице элемента (коды; * — все)' } },
    sectionsMenu: { type: 'boolean', default: true, title: { en: 'Sections menu above the list', ru: 'Меню разделов над списком' } },
    sectionCounts: { type: 'boolean', default: false, title: { en: 'Element counts in the sections menu', ru: 'Количество элементов в меню разделов' } },
    filterName: { ...filterNameParam, title: { en: 'Filter form name (empty: no filter form)', ru: 'Имя формы фильтра (пусто — без фильтра)' } },
    timeZone: timeZoneParam,
  },
  sef: {
    routes: { list: '', section: 'section/#SECTION_CODE_PATH#/', detail: '#ELEMENT_CODE#/' },
  },
  async route(name, vars, params, { url, base, state, kernel }) {
    const iblock = await iblockFor(kernel, state, params.iblock, 'infoblocks.catalog', { hideDenied: name === 'detail' });
    const common = { iblock: params.iblock, timeZone: params.timeZone };
    const listUrl = base;
    const sectionUrl = url('section');
    const listChildren = (section: { id: number; codePath: string; name: string } | null): ChildPlacement[] => [
      ...(iblock.sectionsEnabled && params.sectionsMenu
        ? [{ component: 'infoblocks.sections', template: '.menu', params: { iblock: params.iblock, depth: 2, counts: params.sectionCounts, activeOnly: params.activeOnly, current: section ? section.codePath : '', sectionUrl, listUrl } }]
        : []),
      ...(params.filterName ? [{ component: 'infoblocks.filter', params: { ...common, filterName: params.filterName } }] : []),
      {
        component: 'infoblocks.list',
        params: {
          ...common,
          pageSize: params.pageSize,
          sortBy: params.sortBy,
          sortOrder: params.sortOrder,
          activeOnly: params.activeOnly,
          properties: params.listProperties,
          detailUrl: url('detail'),
          filterName: params.filterName,
          headingLevel: 'h1',
          ...(section ? { sectionId: section.id, title: section.name } : {}),
        },
      },
    ];
    switch (name) {
      case 'list':
        return listChildren(null);
      case 'section': {
        if (!iblock.sectionsEnabled) return null;
        const sections = await kernel.api('infoblocks').sections.list(state.principal, iblock.id, { activeOnly: params.activeOnly });
        const section = findSection(sections, { code: String(vars.SECTION_CODE_PATH) });
        if (!section) return null;
        const trail = sectionTrail(sections, section).slice(0, -1);
        const crumbs = trail.map((s) => ({ href: url('section', { SECTION_CODE_PATH: s.codePath }), label: s.name }));
        return listChildren(section).map((child, i) => (i === 0 ? { ...child, title: section.name, breadcrumbs: crumbs } : child));
      }
      case 'detail':
        return [
          {
            component: 'infoblocks.detail',
            params: { ...common, elementCode: String(vars.ELEMENT_CODE), properties: params.detailProperties, activeOnly: params.activeOnly, listUrl, sectionUrl },
          },
        ];
      default:
        return null;
    }
  },
});
