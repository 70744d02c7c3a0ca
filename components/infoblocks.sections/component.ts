import { defineComponent } from '../../core/components/types.js';
import { ibErrors } from '../../modules/infoblocks/errors.js';
import { fillUrl } from '../../modules/infoblocks/query/urls.js';
import type { Section } from '../../modules/infoblocks/types.js';
import { activeOnlyParam, headingParam, iblockParam, urlTemplateParam } from '../../modules/infoblocks/view/params.js';
import { findSection, iblockFor, iblockTags, sectionHref, siteDirOf } from '../../modules/infoblocks/view/resolve.js';

const NAME = 'infoblocks.sections';

export interface SectionNode {
  id: number;
  name: string;
  href: string;
  count: number | null;
  /** The section the visitor is in, or one of its ancestors. */
  current: boolean;
  children: SectionNode[];
}

/**
 * The section tree of an infoblock (or the subtree below a section), to a depth, with
 * element counts if asked. `.default` draws a nested tree, `.menu` a row of links.
 */
export default defineComponent({
  name: NAME,
  title: { en: 'Infoblock: sections', ru: 'Инфоблок: разделы' },
  params: {
    iblock: iblockParam,
    title: headingParam,
    rootId: { type: 'number', integer: true, min: 0, default: 0, title: { en: 'Show below this section id (0: from the top)', ru: 'Показать подразделы раздела с ID (0 — от корня)' } },
    rootCode: { type: 'string', maxLength: 1000, default: '', title: { en: 'Or below this section code path', ru: 'Или подразделы раздела с путём кодов' } },
    depth: { type: 'number', integer: true, min: 0, max: 20, default: 0, title: { en: 'Levels to show (0: all)', ru: 'Сколько уровней показывать (0 — все)' } },
    counts: { type: 'boolean', default: false, title: { en: 'Show element counts', ru: 'Показывать количество элементов' } },
    activeOnly: activeOnlyParam,
    current: { type: 'string', maxLength: 1000, default: '', title: { en: 'Current section (code path or id) to highlight', ru: 'Текущий раздел (путь кодов или ID) для выделения' } },
    sectionUrl: urlTemplateParam({ en: 'Section URL template (empty: the infoblock’s)', ru: 'Шаблон URL раздела (пусто — из инфоблока)' }),
    listUrl: urlTemplateParam({ en: 'Link of “All” in the menu (empty: the infoblock’s list URL)', ru: 'Ссылка «Все» в меню (пусто — URL списка инфоблока)' }),
  },
  cache: { ttl: 600, tags: (p, { kernel, state }) => iblockTags(kernel, state, p.iblock, NAME), vary: ['language', 'site'] },
  async prepare({ kernel, params, state }) {
    const api = kernel.api('infoblocks');
    const iblock = await iblockFor(kernel, state, params.iblock, NAME);
    const all = iblock.sectionsEnabled ? await api.sections.list(state.principal, iblock.id, { activeOnly: params.activeOnly }) : [];
    let root: Section | null = null;
    if (params.rootId || params.rootCode) {
      root = findSection(all, { id: params.rootId, code: params.rootCode });
      if (!root) throw ibErrors.SECTION_NOT_FOUND(params.rootId ? String(params.rootId) : `"${params.rootCode}"`);
    }
    const counts = params.counts ? await api.sections.countElements(state.principal, iblock.id, { activeOnly: params.activeOnly, includeSubsections: true }) : null;
    const current = findSection(all, { code: params.current });
    const currentIds = new Set<number>();
    for (let s = current; s; s = s.parentId ? (all.find((x) => x.id === s!.parentId) ?? null) : null) currentIds.add(s.id);

    const siteDir = siteDirOf(state);
    const template = params.sectionUrl || iblock.sectionUrl;
    const baseDepth = root ? root.depth : 0;
    const build = (parentId: number | null): SectionNode[] =>
      all
        .filter((s) => s.parentId === parentId && (!params.depth || s.depth - baseDepth <= params.depth))
        .map((s) => ({
          id: s.id,
          name: s.name,
          href: template ? sectionHref(template, iblock, s, siteDir) : '',
          count: counts ? (counts[s.id] ?? 0) : null,
          current: currentIds.has(s.id),
          children: build(s.id),
        }));
    const tree = build(root ? root.id : null);
    return {
      heading: params.title || iblock.name,
      tree,
      ...treeRows(tree),
      allHref: fillUrl(params.listUrl || iblock.listUrl, { siteDir, iblockCode: iblock.code }),
      allCurrent: !current,
    };
  },
});

/**
 * The tree as rows in document order, each with the markup that closes the previous row and
 * opens its level (constant tags only), so a template draws nested lists without recursion.
 */
function treeRows(tree: SectionNode[]): { rows: (Omit<SectionNode, 'children'> & { before: string })[]; after: string } {
  const rows: (Omit<SectionNode, 'children'> & { before: string })[] = [];
  let prev = 0;
  const walk = (nodes: SectionNode[], level: number) => {
    for (const { children, ...node } of nodes) {
      const before = level > prev ? '<ul class="tree">' : '</li>' + '</ul></li>'.repeat(prev - level);
      rows.push({ ...node, before });
      prev = level;
      walk(children, level + 1);
    }
  };
  walk(tree, 1);
  return { rows, after: prev ? '</li>' + '</ul></li>'.repeat(prev - 1) + '</ul>' : '' };
}
