import { untracked } from '../cache/dependencies.js';
import { createHash, randomBytes } from 'node:crypto';
import { Eta } from 'eta';
import { coreErrors } from '../errors/codes.js';
import { isPortalError } from '../errors/portal-error.js';
import type { PortalKernel } from '../kernel-handle.js';
import type { FlashDeps } from '../http/flash.js';
import type { Translator } from '../i18n/translator.js';
import type { Cache } from '../services.js';
import type { PortalState } from '../http/state.js';
import { validateParams, type ParamSchema, type ParamsOf } from './params.js';
import { datesFor } from '../time/date-format.js';
import { ownerOf } from './registry.js';
import { requestErrors, type RequestQuery } from './request.js';
import { fillSlots, newSlots, slotData, usedSlots, type RequestSlots } from './request-slots.js';
import { buildSefUrl, matchSef, sefErrors } from './sef.js';
import { defaultRoots, findTemplate, loadTemplateFolder, type TemplateFolder, type TemplateRoots } from './template-folder.js';
import { isComplex, type AnyComponent, type ChildPlacement, type ComplexComponent, type PageHandle, type SefContext, type SimpleComponent } from './types.js';

export { defaultRoots, findTemplate, type TemplateRoots } from './template-folder.js';

declare module '../http/state.js' {
  interface PortalState {
    /** The site template chosen for this request (selection rules, page override); else site.template. */
    template?: string;
  }
}

/** One rendered component with what it asks the page for. */
export interface RenderedPart {
  html: string;
  /** Stylesheet and script URLs of the template folder (and any the epilog added). */
  css: string[];
  js: string[];
  /** Set by a complex component's route or an epilog: the page title. */
  title?: string;
  breadcrumbs: { href: string; label: string }[];
}

export interface RenderOptions {
  /** For complex components: the page URL owning the subtree and the part of the URL below it. */
  sef?: { base: string; path: string };
  /** The request's query string; only components with a `request` reader see it. */
  query?: RequestQuery;
}

interface CachedRender {
  html: string;
  /** Kept only when the template has an epilog, which gets the result on every hit. */
  result?: unknown;
  /** Placeholders of the visitor's CSRF token and flash messages in `html`, filled on every render. */
  slots?: Partial<RequestSlots>;
}

/** The site template whose component templates and layout apply to this request. */
export function siteTemplateOf(state: Pick<PortalState, 'site' | 'template'>): string {
  return state.template || state.site?.template || '.default';
}

/** What the renderer needs of the kernel; the kernel builds it from its own services. */
export interface RendererDeps {
  /** Handed to components, result modifiers and epilogs. */
  readonly kernel: PortalKernel;
  readonly cache: Cache;
  readonly i18n: Pick<Translator, 't'>;
  /** Only components of installed modules are listed and rendered. */
  readonly modules: { isInstalled(moduleId: string): boolean };
  /** Flash messages are taken from the session when a template shows them. */
  readonly sessions: FlashDeps['sessions'];
}

/** Runs components: validates parameters, prepares (or takes the cached result), renders. */
export class ComponentRenderer {
  private readonly defs = new Map<string, AnyComponent>();
  private readonly folders = new Map<string, Promise<TemplateFolder>>();
  private readonly memo = process.env.NODE_ENV !== 'development';
  private readonly eta = new Eta({ autoEscape: true, cache: this.memo, views: '/' });

  constructor(
    private readonly deps: RendererDeps,
    definitions: AnyComponent[],
    readonly roots: TemplateRoots = defaultRoots,
  ) {
    for (const d of definitions) this.defs.set(d.name, d);
  }

  /** Components whose module is installed. */
  list(): AnyComponent[] {
    return [...this.defs.values()].filter((d) => this.deps.modules.isInstalled(ownerOf(d.name)));
  }

  get(name: string): AnyComponent {
    const def = this.defs.get(name);
    if (!def || !this.deps.modules.isInstalled(ownerOf(name))) throw coreErrors.NOT_FOUND(`component "${name}"`);
    return def;
  }

  /** Renders a component to HTML (its CSS/JS and page hints are dropped; use renderPart on pages). */
  async render(state: PortalState, name: string, rawParams: Record<string, unknown> = {}, template = '.default', opts: RenderOptions = {}): Promise<string> {
    return (await this.renderPart(state, name, rawParams, template, opts)).html;
  }

  /** Renders a component and reports the CSS/JS URLs, title and breadcrumbs it contributes to the page. */
  async renderPart(state: PortalState, name: string, rawParams: Record<string, unknown> = {}, template = '.default', opts: RenderOptions = {}): Promise<RenderedPart> {
    const def = this.get(name);
    if (isComplex(def)) return this.renderComplex(state, def, rawParams, opts);
    return this.renderSimple(state, def, rawParams, template, opts.query ?? {});
  }

  /** The template folder of a component for a site template (memoized outside development). */
  folder(component: string, template: string, siteTemplate: string): Promise<TemplateFolder> {
    const key = `${component}|${template}|${siteTemplate}`;
    let found = this.memo ? this.folders.get(key) : undefined;
    if (!found) {
      found = Promise.resolve().then(() => loadTemplateFolder(findTemplate(component, template, siteTemplate, this.roots), this.roots));
      if (this.memo) {
        this.folders.set(key, found);
        found.catch(() => this.folders.delete(key));
      }
    }
    return found;
  }

  private async renderSimple(state: PortalState, def: SimpleComponent, rawParams: Record<string, unknown>, template: string, query: RequestQuery): Promise<RenderedPart> {
    const name = def.name;
    const params = validateParams(name, def.params, rawParams);
    const request = readRequest(def, query, params);
    const folder = await this.folder(name, template, siteTemplateOf(state));
    const build = async (): Promise<CachedRender> => {
      let result = await def.prepare({ kernel: this.deps.kernel, params, state, request });
      if (folder.modifier) result = await folder.modifier(result, { params, state, kernel: this.deps.kernel });
      const lang = state.language ?? 'en';
      const slots = newSlots();
      const html = await this.eta.renderAsync(folder.file, {
        result,
        params,
        lang,
        dates: datesFor(state),
        t: (key: string, p?: Record<string, string | number>) => this.deps.i18n.t(ownerOf(name), key, lang, p),
        ...slotData(slots),
      });
      const used = usedSlots(html, slots);
      return { html, ...(folder.epilog ? { result } : {}), ...(used ? { slots: used } : {}) };
    };
    const perUser = Boolean(def.cache?.vary?.includes('user'));
    // A per-user part becomes a dynamic area of a page cached per audience (core/http/audience-cache.ts): its
    // HTML is left out of the stored page and this component is rendered again for every request.
    if (perUser && state.personalAreas && !folder.epilog) {
      const part = await untracked(() => this.renderSimple({ ...state, personalAreas: undefined } as PortalState, def, rawParams, template, query));
      const slot = `\u0000area-${randomBytes(9).toString('hex')}\u0000`;
      state.personalAreas.push({ slot, html: part.html, component: name, params: rawParams, template, query });
      return { ...part, html: slot };
    }
    // A part built for this request, or for this user with an epilog, keeps the page out of the audience page cache.
    if (!def.cache || perUser) state.uncachedParts = true;
    const tags = def.cache?.tags ? await def.cache.tags(params, { kernel: this.deps.kernel, state, request }) : [];
    const entry = def.cache
      ? await this.deps.cache.remember(this.cacheKey(def, folder.file, [params, request], state), { ttl: def.cache.ttl, tags: [`component:${name}`, ...tags] }, build)
      : await build();
    const html = await fillSlots(entry.html, entry.slots, state, this.deps);
    const part: RenderedPart = { html, css: [...folder.css], js: [...folder.js], breadcrumbs: [] };
    if (folder.epilog) await folder.epilog({ params, state, kernel: this.deps.kernel, result: entry.result, page: pageHandle(part) });
    return part;
  }

  private async renderComplex(state: PortalState, def: ComplexComponent, rawParams: Record<string, unknown>, opts: RenderOptions): Promise<RenderedPart> {
    const params = validateParams(def.name, def.params, rawParams);
    const base = opts.sef?.base ?? '/';
    const sub = opts.sef?.path ?? '';
    const match = matchSef(def.sef, sub);
    if (!match) throw sefErrors.PAGE_NOT_FOUND(base + sub);
    const ctx: SefContext = { base, url: (route, vars) => buildSefUrl(base, def.sef, route, vars), state, kernel: this.deps.kernel };
    const picked = await Promise.resolve()
      .then(() => def.route(match.route, match.vars, params, ctx))
      .catch((err: unknown) => {
        // The route looked the item up and it does not exist: the whole page is not found.
        throw isPortalError(err) && err.status === 404 ? sefErrors.PAGE_NOT_FOUND(err.message) : err;
      });
    const children = picked === null ? [] : Array.isArray(picked) ? picked : [picked];
    if (!children.length) throw sefErrors.PAGE_NOT_FOUND(base + sub);
    const parts = await Promise.all(children.map((child) => this.renderChild(state, def.name, match.route, child, opts.query ?? {})));
    const part: RenderedPart = { html: parts.map((p) => p.html).join('\n'), css: unique(parts.flatMap((p) => p.css)), js: unique(parts.flatMap((p) => p.js)), breadcrumbs: [] };
    children.forEach((child, i) => {
      part.title ??= parts[i]!.title ?? child.title;
      part.breadcrumbs.push(...(child.breadcrumbs ?? []), ...parts[i]!.breadcrumbs);
    });
    return part;
  }

  /** One child of a complex component; its "not found" makes the whole page not found. */
  private async renderChild(state: PortalState, parent: string, route: string, child: ChildPlacement, query: RequestQuery): Promise<RenderedPart> {
    const childTemplate = child.template ?? '.default';
    try {
      if (isComplex(this.get(child.component))) throw new Error('a complex component cannot route to another complex component');
      await this.folder(child.component, childTemplate, siteTemplateOf(state));
    } catch (err) {
      throw coreErrors.VALIDATION_FAILED(`${parent}: route "${route}" picked "${child.component}" (${childTemplate}): ${(err as Error).message}`);
    }
    try {
      return await this.renderPart(state, child.component, child.params ?? {}, childTemplate, { query });
    } catch (err) {
      // The item the URL names does not exist: the whole page is not found.
      if (isPortalError(err) && err.status === 404) throw sefErrors.PAGE_NOT_FOUND(err.message);
      throw err;
    }
  }

  private cacheKey(def: SimpleComponent, file: string, params: unknown, state: PortalState): string {
    const vary = (def.cache?.vary ?? []).map((v) => (v === 'user' ? state.user?.id ?? 0 : v === 'site' ? state.site?.id : state.language));
    // Dates in the HTML follow the site's zone, so the zone is part of every key.
    const hash = createHash('sha1').update(JSON.stringify([file, params, vary, datesFor(state).timeZone])).digest('hex');
    return `cmp:${def.name}:${hash}`;
  }
}

/** Runs the component's `request` reader; bad URL input is a REQUEST_PARAM_INVALID (400). */
function readRequest(def: SimpleComponent, query: RequestQuery, params: ParamsOf<ParamSchema>): unknown {
  if (!def.request) return undefined;
  try {
    return def.request(query, params);
  } catch (err) {
    if (isPortalError(err) && err.status === 400 && err.code !== 'REQUEST_PARAM_INVALID') throw requestErrors.REQUEST_PARAM_INVALID(err.message, err.details);
    throw err;
  }
}

function unique(list: string[]): string[] {
  return [...new Set(list)];
}

function pageHandle(part: RenderedPart): PageHandle {
  return {
    setTitle: (title) => void (part.title = title),
    addBreadcrumb: (crumb) => void part.breadcrumbs.push(crumb),
    addCss: (url) => void (part.css.includes(url) || part.css.push(url)),
    addJs: (url) => void (part.js.includes(url) || part.js.push(url)),
  };
}
