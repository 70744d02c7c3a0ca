import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { distRoot, projectRoot } from '../config/paths.js';
import { coreErrors } from '../errors/codes.js';
import type { Epilog, ResultModifier } from './types.js';

const TEMPLATE_NAME = /^[a-z0-9_.-]+$/i;

/** Folders holding site templates (templates/) and components (components/). */
export interface TemplateRoots {
  templates: string;
  components: string;
}

export const defaultRoots: TemplateRoots = {
  templates: path.join(projectRoot, 'templates'),
  components: path.join(projectRoot, 'components'),
};

/** Everything a component template folder holds. */
export interface TemplateFolder {
  /** Absolute path of template.eta. */
  file: string;
  modifier: ResultModifier | null;
  epilog: Epilog | null;
  /** URLs of the folder's style.css / script.js (served by the component assets route). */
  css: string[];
  js: string[];
}

/**
 * Finds a component template in lookup order: the site template, the .default site
 * template, then the component's own templates.
 */
export function findTemplate(component: string, template: string, siteTemplate: string, roots: TemplateRoots = defaultRoots): string {
  if (!TEMPLATE_NAME.test(template) || template.includes('..')) throw coreErrors.VALIDATION_FAILED(`template name "${template}" is not valid`);
  const site = TEMPLATE_NAME.test(siteTemplate) && !siteTemplate.includes('..') ? siteTemplate : '.default';
  const candidates = [
    path.join(roots.templates, site, 'components', component, template, 'template.eta'),
    path.join(roots.templates, '.default', 'components', component, template, 'template.eta'),
    path.join(roots.components, component, 'templates', template, 'template.eta'),
  ];
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw coreErrors.NOT_FOUND(`template "${template}" of component "${component}"`);
  return found;
}

/** Loads a template folder: template.eta plus the optional modifier, epilog, style.css and script.js. */
export async function loadTemplateFolder(file: string, roots: TemplateRoots): Promise<TemplateFolder> {
  const dir = path.dirname(file);
  const [modifier, epilog] = await Promise.all([loadStep<ResultModifier>(dir, 'modifier'), loadStep<Epilog>(dir, 'epilog')]);
  return {
    file,
    modifier,
    epilog,
    css: assetUrl(dir, 'style.css', roots),
    js: assetUrl(dir, 'script.js', roots),
  };
}

/** `modifier.ts` compiles to the mirror path under dist/; a plain .js beside the template also works. */
async function loadStep<T>(dir: string, name: string): Promise<T | null> {
  const rel = path.relative(projectRoot, dir);
  const candidates = [
    ...(rel.startsWith('..') || path.isAbsolute(rel) ? [] : [path.join(distRoot, rel, `${name}.js`)]),
    path.join(dir, `${name}.js`),
  ];
  const file = candidates.find((p) => existsSync(p));
  if (!file) return null;
  const mod = (await import(pathToFileURL(file).href)) as { default?: unknown };
  if (typeof mod.default !== 'function') throw coreErrors.MODULE_INVALID(`${file} must default-export a function`);
  return mod.default as T;
}

function assetUrl(dir: string, name: string, roots: TemplateRoots): string[] {
  const file = path.join(dir, name);
  if (!existsSync(file)) return [];
  const version = Math.floor(statSync(file).mtimeMs).toString(36);
  for (const kind of ['templates', 'components'] as const) {
    const rel = path.relative(roots[kind], file);
    if (!rel.startsWith('..') && !path.isAbsolute(rel)) return [`/assets/c/${kind}/${rel.split(path.sep).join('/')}?v=${version}`];
  }
  return [];
}

/** Template names a component has in any lookup location (for the page builder's select). */
export function componentTemplateNames(component: string, roots: TemplateRoots = defaultRoots): string[] {
  const names = new Set<string>();
  const add = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory() && TEMPLATE_NAME.test(e.name) && existsSync(path.join(dir, e.name, 'template.eta'))) names.add(e.name);
    }
  };
  add(path.join(roots.components, component, 'templates'));
  if (existsSync(roots.templates)) {
    for (const site of readdirSync(roots.templates, { withFileTypes: true })) {
      if (site.isDirectory()) add(path.join(roots.templates, site.name, 'components', component));
    }
  }
  return [...names].sort((a, b) => (a === '.default' ? -1 : b === '.default' ? 1 : a.localeCompare(b)));
}
