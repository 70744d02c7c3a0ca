import type { Kernel } from '../kernel.js';
import { MenuService } from '../menus/menu-service.js';
import { FilePages } from './file-pages.js';
import { PageStore } from './page-store.js';
import { siteTemplateExists } from './site-templates.js';
import { TemplateRules } from './template-rules.js';
import type { PageDefinition } from './types.js';
import { contentValidator, isKnownOperation } from './validate.js';

/** The page-related services of one kernel. */
export interface PortalPages {
  /** Pages built by admins (DB). */
  store: PageStore;
  /** Pages written by developers (module manifests, code). */
  files: FilePages;
  menus: MenuService;
  /** Site template selection rules. */
  templates: TemplateRules;
}

const instances = new WeakMap<Kernel, PortalPages>();

/** The page services of a kernel (created on first use; state lives in the DB and cache). */
export function pagesOf(kernel: Kernel): PortalPages {
  let p = instances.get(kernel);
  if (!p) {
    const db = kernel.db('main');
    p = {
      store: new PageStore(db, kernel.cache, contentValidator(kernel)),
      files: new FilePages(kernel),
      menus: new MenuService({
        db,
        cache: kernel.cache,
        can: (principal, op) => kernel.rights.can(principal, op),
        isOperation: (op) => isKnownOperation(kernel, op),
      }),
      templates: new TemplateRules(db, kernel.cache, (name) => siteTemplateExists(kernel, name)),
    };
    instances.set(kernel, p);
  }
  return p;
}

/**
 * Registers a file page in code, e.g. in a benchmark or test setup:
 *   const off = registerPage(kernel, { path: '/bench/', title: 'Bench', placements: [{ component: 'x.y' }] });
 * Returns a function that removes it.
 */
export function registerPage(kernel: Kernel, def: PageDefinition): () => void {
  return pagesOf(kernel).files.register(def);
}
