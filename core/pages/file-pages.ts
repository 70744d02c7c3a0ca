import type { Kernel } from '../kernel.js';
import type { Localized } from '../modules/types.js';
import { checkPagePath } from './paths.js';
import { AREAS, type Area, type PageDefinition, type Placement, type ResolvedPage } from './types.js';

interface Entry {
  /** Module that declared the page; registered pages have none and live until removed. */
  module: string | null;
  def: PageDefinition;
  placements: Placement[];
}

/**
 * Pages written by developers: those declared in installed modules' manifests
 * (`pages: [...]`) and those registered in code (`register`, for tests and benchmarks).
 */
export class FilePages {
  private readonly registered: Entry[] = [];
  private moduleEntries: Entry[] = [];
  private signature = '';

  constructor(private readonly kernel: Kernel) {}

  /** Adds a page in code; returns a function that removes it again. */
  register(def: PageDefinition): () => void {
    const entry = toEntry(null, def);
    this.registered.push(entry);
    return () => {
      const i = this.registered.indexOf(entry);
      if (i >= 0) this.registered.splice(i, 1);
    };
  }

  /** The file page for a site and path, in the given language; registered pages win over module pages. */
  find(siteId: string, path: string, language: string): ResolvedPage | null {
    const entry = [...this.registered, ...this.fromModules()].find((e) => e.def.path === path && (!e.def.site || e.def.site === siteId));
    return entry ? resolve(entry, language) : null;
  }

  /** All file pages of a site (for the admin list). */
  list(siteId: string, language: string): (ResolvedPage & { module: string | null })[] {
    return [...this.registered, ...this.fromModules()]
      .filter((e) => !e.def.site || e.def.site === siteId)
      .map((e) => ({ ...resolve(e, language), module: e.module }));
  }

  private fromModules(): Entry[] {
    const installed = [...this.kernel.modules.available.values()].filter((d) => d.pages?.length && this.kernel.modules.isInstalled(d.id));
    const signature = installed.map((d) => d.id).join(',');
    if (signature !== this.signature) {
      this.moduleEntries = installed.flatMap((d) =>
        (d.pages ?? []).flatMap((p) => {
          try {
            return [toEntry(d.id, p)];
          } catch (err) {
            this.kernel.log.error({ err, module: d.id, path: p.path }, 'module page skipped: invalid path');
            return [];
          }
        }),
      );
      this.signature = signature;
    }
    return this.moduleEntries;
  }
}

function toEntry(module: string | null, def: PageDefinition): Entry {
  checkPagePath(def.path);
  const placements = def.placements.map((p, i) => ({
    id: `f${i + 1}`,
    component: p.component,
    template: p.template ?? '.default',
    params: p.params ?? {},
    area: (AREAS as readonly string[]).includes(p.area ?? 'main') ? ((p.area ?? 'main') as Area) : 'main',
  }));
  return { module, def, placements };
}

function resolve(e: Entry, language: string): ResolvedPage {
  return {
    source: 'file',
    path: e.def.path,
    title: localize(e.def.title, language),
    template: e.def.template ?? null,
    access: e.def.access ?? null,
    placements: e.placements,
  };
}

export function localize(value: string | Localized, language: string): string {
  return typeof value === 'string' ? value : language === 'ru' ? value.ru : value.en;
}
