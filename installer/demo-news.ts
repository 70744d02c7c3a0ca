import type { Kernel } from '../core/kernel.js';
import type { Principal } from '../core/services.js';
import type { Iblock, Property, PropertyInput, Section } from '../modules/infoblocks/types.js';
import { demoPicture } from './demo-images.js';
import { DEMO_NEWS, NEWS_TEXTS } from './demo-news-content.js';
import { installNewsPages } from './demo-news-pages.js';

const SYSTEM: Principal = { userId: null, groupIds: [], isAdmin: true };

export interface DemoNewsReport {
  /** Why nothing was done, when nothing was. */
  skipped?: string;
  elements: number;
  pages: string[];
}

/**
 * The demo "News" infoblock: a type and an infoblock `news` with sections, properties and
 * sample elements (some with HTML text and a picture), then the pages that show them
 * (see demo-news-pages.ts). Matched by code and xml_id, so running it again adds nothing.
 * Needs the infoblocks module; without it nothing happens.
 */
export async function installDemoNews(kernel: Kernel): Promise<DemoNewsReport> {
  if (!kernel.modules.isInstalled('infoblocks')) return { skipped: 'the infoblocks module is not installed', elements: 0, pages: [] };
  const site = (await kernel.sites.list()).find((s) => s.isDefault) ?? (await kernel.sites.list())[0]!;
  const lang = site.language === 'ru' ? 'ru' : 'en';
  const texts = NEWS_TEXTS[lang];
  const api = kernel.api('infoblocks');

  const type = (await api.iblocks.listTypes()).find((t) => t.code === 'news') ?? (await api.iblocks.addType(SYSTEM, { code: 'news', names: { en: 'News', ru: 'Новости' } }));
  const iblock: Iblock =
    (await api.iblocks.list(SYSTEM)).find((i) => i.code === 'news') ??
    (await api.iblocks.add(SYSTEM, {
      typeId: type.id,
      code: 'news',
      name: texts.iblock,
      listUrl: '#SITE_DIR#news/',
      detailUrl: '#SITE_DIR#news/#ELEMENT_CODE#/',
      sectionUrl: '#SITE_DIR#news/section/#SECTION_CODE_PATH#/',
      sectionsEnabled: true,
      description: texts.description,
    }));

  const props = await ensureProperties(kernel, iblock.id, [
    { code: 'SOURCE', name: texts.source, type: 'string', filterable: true, searchable: true, sort: 10 },
    { code: 'IMPORTANCE', name: texts.importance, type: 'list', filterable: true, sort: 20, enums: [{ value: texts.normal, xmlId: 'normal', isDefault: true }, { value: texts.important, xmlId: 'important' }] },
    { code: 'EVENT_DATE', name: texts.eventDate, type: 'date', filterable: true, sort: 30 },
  ]);
  const sections = await ensureSections(kernel, iblock.id, texts.sections);
  const importance = props.get('IMPORTANCE')!;

  let created = 0;
  for (const [i, news] of DEMO_NEWS.entries()) {
    const xmlId = `demo-news-${i + 1}`;
    if ((await api.elements.list(SYSTEM, iblock.id, { filter: { '=XML_ID': xmlId }, pageSize: 1 })).total) continue;
    const t = news[lang];
    const picture = news.colors
      ? await kernel.files.save({ module: 'infoblocks', name: `${news.code}.png`, mimeType: 'image/png', buffer: demoPicture(...news.colors) })
      : null;
    await api.elements.add(SYSTEM, iblock.id, {
      name: t.name,
      code: news.code,
      xmlId,
      activeFrom: Math.floor((Date.now() - news.daysAgo * 86_400_000) / 60_000) * 60_000,
      sort: 500,
      previewText: t.preview,
      detailText: t.detail,
      detailTextType: t.detail.startsWith('<') ? 'html' : 'text',
      previewPicture: picture?.id ?? null,
      detailPicture: picture?.id ?? null,
      tags: t.tags,
      sectionIds: [sections.get(news.section)!.id],
      properties: {
        SOURCE: t.source,
        IMPORTANCE: importance.enums.find((e) => e.xmlId === news.importance)!.id,
        EVENT_DATE: news.eventInDays === undefined ? null : new Date(Date.now() + news.eventInDays * 86_400_000).toISOString().slice(0, 10),
      },
    });
    created++;
  }
  return { elements: created, pages: await installNewsPages(kernel, site, lang) };
}

async function ensureProperties(kernel: Kernel, iblockId: number, wanted: PropertyInput[]): Promise<Map<string, Property>> {
  const api = kernel.api('infoblocks').properties;
  const have = new Set((await api.list(SYSTEM, iblockId)).map((p) => p.code));
  for (const p of wanted) if (!have.has(p.code)) await api.add(SYSTEM, iblockId, p);
  return new Map((await api.list(SYSTEM, iblockId)).map((p) => [p.code, p]));
}

/** Sections by code path; `parent/child` entries go below their parent. */
async function ensureSections(kernel: Kernel, iblockId: number, wanted: [codePath: string, name: string][]): Promise<Map<string, Section>> {
  const api = kernel.api('infoblocks').sections;
  const byPath = new Map((await api.list(SYSTEM, iblockId)).map((s) => [s.codePath, s]));
  for (const [i, [codePath, name]] of wanted.entries()) {
    if (byPath.has(codePath)) continue;
    const parent = codePath.includes('/') ? byPath.get(codePath.slice(0, codePath.lastIndexOf('/'))) : undefined;
    const section = await api.add(SYSTEM, iblockId, { name, code: codePath.split('/').pop()!, parentId: parent?.id ?? null, sort: (i + 1) * 10 });
    byPath.set(section.codePath, section);
  }
  return byPath;
}
