import type { Kernel } from '../kernel.js';
import { isPortalError } from '../errors/portal-error.js';
import { validateParams } from '../components/params.js';
import { checkReferences } from '../components/references.js';
import { isComplex } from '../components/types.js';
import { pageErrors } from './errors.js';
import type { ContentValidator } from './page-store.js';
import { listSiteTemplates, siteTemplateExists } from './site-templates.js';
import { AREAS, type PageContent, type Placement } from './types.js';

/** Whether an operation is declared by an installed module's rights. */
export function isKnownOperation(kernel: Kernel, operation: string): boolean {
  return kernel.rights.registeredModules().some((m) => Object.hasOwn(kernel.rights.definition(m)?.operations ?? {}, operation));
}

/**
 * Validates page content: title, site template, access operation and every placement
 * (installed component, existing template, area; parameters too unless `params: false`,
 * so a draft may hold a just-added component whose parameters are not filled in yet).
 */
export function contentValidator(kernel: Kernel): ContentValidator {
  return async (content: PageContent, opts = { params: true }) => {
    const language = opts.language ?? 'en';
    if (!content.title?.trim()) throw pageErrors.PAGE_CONTENT_INVALID('The page title is required');
    if (content.title.length > 255) throw pageErrors.PAGE_CONTENT_INVALID('The page title must be at most 255 characters');
    if (content.template && !siteTemplateExists(kernel, content.template)) throw pageErrors.PAGE_CONTENT_INVALID(`There is no site template "${content.template}"`);
    if (content.access && !isKnownOperation(kernel, content.access)) throw pageErrors.PAGE_CONTENT_INVALID(`There is no operation "${content.access}"`);
    for (const [i, p] of content.placements.entries()) await checkPlacement(kernel, p, i + 1, content.template, opts.params, language);
  };
}

/**
 * Throws PAGE_CONTENT_INVALID naming the placement (number and component) and the problem; a parameter's
 * problem also names it in `details.param`, with `details.problem` in English and the language asked for.
 * With parameters checked, a parameter that refers to something (an infoblock, a group) must name
 * something that exists: its owning module is asked (core/components/references.ts).
 */
export async function checkPlacement(kernel: Kernel, p: Placement, index: number, pageTemplate: string | null, params = true, language = 'en'): Promise<void> {
  const where = `Component ${index} (${p.component})`;
  const fail = (message: string, details: Record<string, unknown> = {}) => pageErrors.PAGE_CONTENT_INVALID(`${where}: ${message}`, { placement: p.id, ...details });
  const problem = (en: string, ru: string) => fail(en, { problem: { en, ru } });
  if (!(AREAS as readonly string[]).includes(p.area)) throw problem(`unknown area "${p.area}"`, `неизвестная область «${p.area}»`);
  let def;
  try {
    def = kernel.components.get(p.component);
  } catch {
    throw problem('this component is not installed', 'этот компонент не установлен');
  }
  let values: Record<string, unknown> = {};
  try {
    if (params) values = validateParams(def.name, def.params, p.params ?? {});
  } catch (err) {
    if (!isPortalError(err)) throw err;
    const { param, problem } = err.details ?? {};
    throw fail(err.message.replace(`${def.name}: `, ''), { ...(typeof param === 'string' ? { param } : {}), ...(problem ? { problem } : {}) });
  }
  if (params) {
    const [problem] = await checkReferences({ api: (id) => installedApi(kernel, id) }, def.params, values, language);
    if (problem) {
      throw fail(`parameter "${problem.param}" ${problem.en}`, { param: problem.param, problem: { en: problem.en, ru: language === 'ru' ? problem.message : problem.en } });
    }
  }
  if (isComplex(def)) return;
  const siteTemplates = [pageTemplate ?? '.default', ...listSiteTemplates(kernel).map((t) => t.name)];
  for (const tpl of new Set(siteTemplates)) {
    if (await kernel.components.folder(p.component, p.template, tpl).then(() => true, () => false)) return;
  }
  throw problem(`there is no template "${p.template}"`, `шаблона «${p.template}» нет`);
}

/** The API of an installed module, or undefined. */
function installedApi(kernel: Kernel, id: string): unknown {
  try {
    return kernel.api(id as never);
  } catch {
    return undefined;
  }
}
