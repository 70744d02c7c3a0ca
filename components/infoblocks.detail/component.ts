import { defineComponent } from '../../core/components/types.js';
import { coreErrors } from '../../core/errors/codes.js';
import { isPortalError } from '../../core/errors/portal-error.js';
import type { Kernel } from '../../core/kernel.js';
import type { Principal } from '../../core/services.js';
import { ibErrors } from '../../modules/infoblocks/errors.js';
import { fillUrl } from '../../modules/infoblocks/query/urls.js';
import type { Element, Iblock } from '../../modules/infoblocks/types.js';
import { dateText, isoDateIn } from '../../modules/infoblocks/view/format.js';
import { activeOnlyParam, iblockParam, parseCodes, propertiesParam, timeZoneParam, urlTemplateParam, zoneOf } from '../../modules/infoblocks/view/params.js';
import { iblockFor, iblockTags, sectionHref, sectionTrail, siteDirOf } from '../../modules/infoblocks/view/resolve.js';
import { fileLink, pickProperties, showProperties } from '../../modules/infoblocks/view/show-values.js';

const NAME = 'infoblocks.detail';

/**
 * One element by id or code. Missing, inactive (with activeOnly) or not readable by the
 * visitor: 404, which makes a complex component's page a 404. Its template's epilog sets
 * the page title and the section breadcrumbs.
 */
export default defineComponent({
  name: NAME,
  title: { en: 'Infoblock: element', ru: 'Инфоблок: элемент' },
  params: {
    iblock: iblockParam,
    elementId: { type: 'number', integer: true, min: 0, default: 0, title: { en: 'Element id', ru: 'ID элемента' } },
    elementCode: { type: 'string', maxLength: 255, default: '', title: { en: 'Element code (a number also finds the id)', ru: 'Код элемента (число ищется и как ID)' } },
    properties: propertiesParam(true),
    activeOnly: activeOnlyParam,
    listUrl: urlTemplateParam({ en: 'Back link (empty: the infoblock’s list URL)', ru: 'Ссылка «назад» (пусто — URL списка инфоблока)' }),
    sectionUrl: urlTemplateParam({ en: 'Section URL template for breadcrumbs (empty: the infoblock’s)', ru: 'Шаблон URL раздела для навигации (пусто — из инфоблока)' }),
    timeZone: timeZoneParam,
  },
  cache: { ttl: 600, tags: (p, { kernel, state }) => iblockTags(kernel, state, p.iblock, NAME, { hideDenied: true }), vary: ['language', 'site'] },
  async prepare({ kernel, params, state }) {
    const api = kernel.api('infoblocks');
    const { principal } = state;
    const lang = state.language ?? 'en';
    const iblock = await iblockFor(kernel, state, params.iblock, NAME, { hideDenied: true });
    const el = await findElement(kernel, principal, iblock, params.elementId, params.elementCode);
    const now = Date.now();
    const live = el.active && (!el.activeFrom || el.activeFrom.getTime() <= now) && (!el.activeTo || el.activeTo.getTime() >= now);
    if (params.activeOnly && !live) throw ibErrors.ELEMENT_NOT_FOUND(String(el.id));

    const props = pickProperties(await api.properties.list(principal, iblock.id), parseCodes(params.properties), NAME, 'properties');
    const siteDir = siteDirOf(state);
    const sections = el.sectionIds.length ? await api.sections.list(principal, iblock.id) : [];
    const first = sections.find((s) => s.id === el.sectionIds[0]);
    const trailTemplate = params.sectionUrl || iblock.sectionUrl;
    const trail = first && trailTemplate ? sectionTrail(sections, first).map((s) => ({ href: sectionHref(trailTemplate, iblock, s, siteDir), label: s.name })) : [];
    const picture = (await fileLink(kernel, el.detailPicture)) ?? (await fileLink(kernel, el.previewPicture));
    const at = el.activeFrom ?? el.createdAt;
    const zone = zoneOf(params.timeZone, state);
    return {
      id: el.id,
      name: el.name,
      date: { iso: isoDateIn(at, zone), text: dateText(at, lang, zone) },
      picture: picture && picture.mimeType.startsWith('image/') ? picture.href : null,
      body: el.detailText
        ? el.detailTextType === 'html' ? { html: el.detailText } : { paragraphs: el.detailText.split(/\n{2,}/).map((p) => p.trim()).filter(Boolean) }
        : el.previewTextType === 'html' ? { html: el.previewText } : { paragraphs: el.previewText ? [el.previewText] : [] },
      properties: await showProperties({ kernel, principal, lang, timeZone: zone, siteDir }, props, el),
      tags: el.tags,
      backHref: fillUrl(params.listUrl || iblock.listUrl, { siteDir, iblockCode: iblock.code }),
      trail,
    };
  },
});

/** By id, else by code; a code of digits that matches nothing is tried as an id. Not readable = not found. */
async function findElement(kernel: Kernel, principal: Principal, iblock: Iblock, id: number, code: string): Promise<Element> {
  const api = kernel.api('infoblocks').elements;
  if (!id && !code) throw coreErrors.VALIDATION_FAILED(`${NAME}: parameter "elementId" or "elementCode" is required`);
  const byId = async (n: number) => {
    const el = await api.get(principal, n);
    if (el.iblockId !== iblock.id) throw ibErrors.ELEMENT_NOT_FOUND(String(n));
    return el;
  };
  try {
    if (id) return await byId(id);
    try {
      return await api.getByCode(principal, iblock.id, code);
    } catch (err) {
      if (isPortalError(err) && err.code === 'ELEMENT_NOT_FOUND' && /^\d{1,15}$/.test(code)) return await byId(Number(code));
      throw err;
    }
  } catch (err) {
    if (isPortalError(err) && err.code === 'ACCESS_DENIED') throw ibErrors.ELEMENT_NOT_FOUND(String(id || code));
    throw err;
  }
}
