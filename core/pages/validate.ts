import type { Kernel } from '../kernel.js';
import { isPortalError } from '../errors/portal-error.js';
import { validateParams } from '../components/params.js';
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
    if (!content.title?.trim()) throw pageErrors.PAGE_CONTENT_INVALID('The page title is required');
    if (content.title.length > 255) throw pageErrors.PAGE_CONTENT_INVALID('The page title must be at most 255 characters');
    if (content.template && !siteTemplateExists(kernel, content.template)) throw pageErrors.PAGE_CONTENT_INVALID(`There is no site template "${content.template}"`);
    if (content.access && !isKnownOperation(kernel, content.access)) throw pageErrors.PAGE_CONTENT_INVALID(`There is no operation "${content.access}"`);
    for (const [i, p] of content.placements.entries()) await checkPlacement(kernel, p, i + 1, content.template, opts.params);
  };
}

/** Throws PAGE_CONTENT_INVALID naming the placement (number and component) and the problem. */
export async function checkPlacement(kernel: Kernel, p: Placement, index: number, pageTemplate: string | null, params = true): Promise<void> {
  const where = `Component ${index} (${p.component})`;
  const fail = (message: string) => pageErrors.PAGE_CONTENT_INVALID(`${where}: ${message}`, { placement: p.id });
  if (!(AREAS as readonly string[]).includes(p.area)) throw fail(`unknown area "${p.area}"`);
  let def;
  try {
    def = kernel.components.get(p.component);
  } catch {
    throw fail('this component is not installed');
  }
  try {
    if (params) validateParams(def.name, def.params, p.params ?? {});
  } catch (err) {
    throw fail(isPortalError(err) ? err.message.replace(`${def.name}: `, '') : String(err));
  }
  if (isComplex(def)) return;
  const siteTemplates = [pageTemplate ?? '.default', ...listSiteTemplates(kernel).map((t) => t.name)];
  for (const tpl of new Set(siteTemplates)) {
    if (await kernel.components.folder(p.component, p.template, tpl).then(() => true, () => false)) return;
  }
  throw fail(`there is no template "${p.template}"`);
}
