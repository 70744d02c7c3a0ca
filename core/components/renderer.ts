import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Eta } from 'eta';
import { projectRoot } from '../config/paths.js';
import { coreErrors } from '../errors/codes.js';
import type { Kernel } from '../kernel.js';
import type { PortalState } from '../http/state.js';
import { validateParams } from './params.js';
import { ownerOf } from './registry.js';
import type { AnyComponent } from './types.js';

const TEMPLATE_NAME = /^[a-z0-9_.-]+$/i;

/**
 * Finds a component template in lookup order: the site template, the .default site
 * template, then the component's own templates.
 */
export interface TemplateRoots {
  /** Folder holding site templates (templates/). */
  templates: string;
  /** Folder holding components (components/). */
  components: string;
}

export const defaultRoots: TemplateRoots = {
  templates: path.join(projectRoot, 'templates'),
  components: path.join(projectRoot, 'components'),
};

export function findTemplate(component: string, template: string, siteTemplate: string, roots: TemplateRoots = defaultRoots): string {
  if (!TEMPLATE_NAME.test(template) || template.includes('..')) throw coreErrors.VALIDATION_FAILED(`template name "${template}" is not valid`);
  const candidates = [
    path.join(roots.templates, siteTemplate, 'components', component, template, 'template.eta'),
    path.join(roots.templates, '.default', 'components', component, template, 'template.eta'),
    path.join(roots.components, component, 'templates', template, 'template.eta'),
  ];
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw coreErrors.NOT_FOUND(`template "${template}" of component "${component}"`);
  return found;
}

/** Runs components: validates parameters, prepares (or takes the cached result), renders. */
export class ComponentRenderer {
  private readonly defs = new Map<string, AnyComponent>();
  private readonly eta = new Eta({ autoEscape: true, cache: process.env.NODE_ENV !== 'development', views: '/' });

  constructor(
    private readonly kernel: Kernel,
    definitions: AnyComponent[],
    private readonly roots: TemplateRoots = defaultRoots,
  ) {
    for (const d of definitions) this.defs.set(d.name, d);
  }

  /** Components whose module is installed. */
  list(): AnyComponent[] {
    return [...this.defs.values()].filter((d) => this.kernel.modules.isInstalled(ownerOf(d.name)));
  }

  get(name: string): AnyComponent {
    const def = this.defs.get(name);
    if (!def || !this.kernel.modules.isInstalled(ownerOf(name))) throw coreErrors.NOT_FOUND(`component "${name}"`);
    return def;
  }

  async render(state: PortalState, name: string, rawParams: Record<string, unknown> = {}, template = '.default'): Promise<string> {
    const def = this.get(name);
    const params = validateParams(name, def.params, rawParams);
    const file = findTemplate(name, template, state.site?.template ?? '.default', this.roots);
    const build = async () => {
      const result = await def.prepare({ kernel: this.kernel, params, state });
      const lang = state.language ?? 'en';
      return this.eta.renderAsync(file, {
        result,
        params,
        lang,
        t: (key: string, p?: Record<string, string | number>) => this.kernel.i18n.t(ownerOf(name), key, lang, p),
      });
    };
    if (!def.cache) return build();
    const key = this.cacheKey(def, file, params, state);
    return this.kernel.cache.remember(key, { ttl: def.cache.ttl, tags: [`component:${name}`, ...(def.cache.tags?.(params as never) ?? [])] }, build);
  }

  private cacheKey(def: AnyComponent, file: string, params: unknown, state: PortalState): string {
    const vary = (def.cache?.vary ?? []).map((v) => (v === 'user' ? state.user?.id ?? 0 : v === 'site' ? state.site?.id : state.language));
    const hash = createHash('sha1').update(JSON.stringify([file, params, vary])).digest('hex');
    return `cmp:${def.name}:${hash}`;
  }
}
