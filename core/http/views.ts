import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Eta } from 'eta';
import type { ParameterizedContext } from 'koa';
import { projectRoot } from '../config/paths.js';
import type { Kernel } from '../kernel.js';
import { siteTemplateOf } from '../components/renderer.js';
import type { Breadcrumb, MenuItem, MenuName } from '../menus/types.js';
import { pagesOf } from '../pages/services.js';
import type { PortalState, SiteInfo } from './state.js';
import { datesFor } from '../time/date-format.js';
import { siteTitle } from '../sites/site-title.js';
import { headerItems, type HeaderItem } from './header-items.js';
import { untracked } from '../cache/dependencies.js';

type Ctx = ParameterizedContext<PortalState>;

export interface PageOptions {
  /** Module that owns the view (its views/ folder and messages). */
  module: string;
  view: string;
  title: string;
  data?: Record<string, unknown>;
  status?: number;
  /** Stylesheets and scripts the page needs besides the layout's own. */
  css?: string[];
  js?: string[];
  /** Breadcrumbs between the menu trail and the page itself. */
  breadcrumbs?: Breadcrumb[];
}

/** What the page router (or anyone with ready HTML) hands to the layout. */
export interface LayoutOptions {
  title: string;
  /** Raw HTML of the main area. */
  body: string;
  /** Raw HTML of other areas by name (e.g. `sidebar`). */
  areas?: Record<string, string>;
  status?: number;
  css?: string[];
  js?: string[];
  breadcrumbs?: Breadcrumb[];
  /** Site template to use instead of the one chosen for the request. */
  template?: string;
}

/** What the user's part of the header (partials/usermenu.eta) is drawn from: the request's user alone. */
export type PersonalState = Pick<PortalState, 'user' | 'principal' | 'language' | 'csrfToken'> & { site: Pick<SiteInfo, 'id'> };

/** A signed-in page as rendered with its user's part left out: `slot` marks where partials/usermenu.eta goes. */
export interface PersonalPage {
  html: string;
  slot: string;
  /** The site template's folder name (its usermenu partial fills the slot). */
  template: string;
}

declare module './state.js' {
  interface PortalState {
    /** Set by Views.layout for a signed-in user: the page without its personal part, for the audience page cache. */
    personalPage?: PersonalPage;
  }
}

export interface NavItem {
  href: string;
  label: string;
  active: boolean;
}

/**
 * Renders module views inside the site template's layout with Eta, which escapes
 * `<%= %>` output by default (`<%~ %>` is raw and only for trusted HTML).
 */
export class Views {
  private readonly engines = new Map<string, Eta>();
  private readonly layouts = new Map<string, string>();
  private readonly strings = new Map<string, Record<string, string>>();
  private readonly usermenuDirs = new Map<string, string>();
  private readonly cache: boolean;

  constructor(private readonly kernel: Kernel) {
    this.cache = process.env.NODE_ENV !== 'development';
  }

  async page(ctx: Ctx, opts: PageOptions): Promise<void> {
    const helpers = { ...this.helpers(ctx, opts.module), siteTitle: await siteTitle(this.kernel.options, ctx.state.site) };
    const body = await this.engine(viewsDir(opts.module)).renderAsync(opts.view, { ...helpers, ...(opts.data ?? {}) });
    await this.layout(ctx, { title: opts.title, body, status: opts.status, css: opts.css, js: opts.js, breadcrumbs: opts.breadcrumbs });
  }

  /** Renders ready HTML inside the layout and sends it. */
  async layout(ctx: Ctx, opts: LayoutOptions): Promise<void> {
    const template = opts.template || siteTemplateOf(ctx.state);
    const layoutDir = this.layoutDir(template);
    const data = await this.layoutData(ctx, opts, layoutDir);
    // The user's part is a slot filled after the layout, so the rest can be cached for everyone with the same rights.
    const slot = ctx.state.user ? `\u0000usermenu-${randomBytes(9).toString('hex')}\u0000` : '';
    let html = await this.engine(layoutDir).renderAsync('layout', { ...data, usermenu: slot });
    if (slot) {
      ctx.state.personalPage = { html, slot, template: path.basename(layoutDir) };
      for (const area of ctx.state.personalAreas ?? []) html = html.split(area.slot).join(area.html);
      // Its cache reads (the user's task count) are this user's, not dependencies of the page.
      html = html.split(slot).join(await untracked(() => this.usermenu(ctx.state, path.basename(layoutDir))));
    }
    ctx.status = opts.status ?? 200;
    ctx.type = 'html';
    ctx.set('Cache-Control', 'no-store');
    ctx.body = html;
  }

  /**
   * The layout contract: everything `it` holds in layout.eta. `it.t` looks a key up in the
   * site template's lang/<language>.json first, then in the main module's messages.
   */
  async layoutData(ctx: Ctx, opts: LayoutOptions, layoutDir = this.layoutDir(opts.template || siteTemplateOf(ctx.state))) {
    const lang = ctx.state.language ?? 'en';
    const [menus, isAdmin, title] = await Promise.all([this.menus(ctx), this.isAdmin(ctx), siteTitle(this.kernel.options, ctx.state.site)]);
    const t = (k: string) => this.kernel.i18n.t('main', k, lang);
    const main = this.helpers(ctx, 'main');
    return {
      ...main,
      t: this.templateT(layoutDir, lang),
      template: path.basename(layoutDir),
      title: opts.title,
      body: opts.body,
      areas: { main: opts.body, ...(opts.areas ?? {}) },
      menus,
      breadcrumbs: breadcrumbs(ctx.path, opts.title, t('HOME'), menus, opts.breadcrumbs ?? []),
      css: unique(opts.css ?? []),
      js: unique(opts.js ?? []),
      isAdmin,
      /** What the portal is called: the "Portal title" option, else the site's name (core/sites/site-title.ts). */
      siteTitle: title,
      nav: this.nav(ctx),
      /** The user's part of the header (partials/usermenu.eta), raw HTML; filled in after the layout. */
      usermenu: '',
      /** Moved to partials/usermenu.eta (drawn per request); empty here so older layouts still render. */
      headerItems: [] as HeaderItem[],
    };
  }

  /**
   * The signed-in user's part of the header, from partials/usermenu.eta of the site template (else .default's):
   * modules' links with counts (the `main.layout.header` hook), name, photo, the sign-out form with the CSRF token.
   * Drawn for every request, page cache hit or not (core/http/audience-cache.ts), from the user alone.
   */
  async usermenu(state: PersonalState, template: string): Promise<string> {
    if (!state.user) return '';
    const lang = state.language ?? 'en';
    const layoutDir = this.layoutDir(template);
    const [userPhotoUrl, items] = await Promise.all([this.kernel.files.urlOf(state.user.photoFileId), this.headerItems(state)]);
    const data = {
      t: this.templateT(layoutDir, lang),
      user: state.user,
      csrf: state.csrfToken,
      /** The signed-in user's first and last name; never the login ("Add your name" when empty). */
      userName: headerName(state.user, (k) => this.kernel.i18n.t('main', k, lang)),
      /** The signed-in user's photo (kernel.files.url), or null. */
      userPhotoUrl,
      /** Modules' links for the header (the `main.layout.header` hook), e.g. "my tasks" with its count. */
      headerItems: items,
    };
    let dir = this.cache ? this.usermenuDirs.get(layoutDir) : undefined;
    if (!dir) {
      dir = existsSync(path.join(layoutDir, 'partials', 'usermenu.eta')) ? layoutDir : templatesDir('.default');
      if (this.cache) this.usermenuDirs.set(layoutDir, dir);
    }
    return this.engine(dir).renderAsync('partials/usermenu', data);
  }

  /** `it.t` of layouts: the site template's lang/<language>.json first, then the main module's messages. */
  private templateT(layoutDir: string, lang: string) {
    const strings = this.templateStrings(layoutDir, lang);
    return (key: string, params: Record<string, string | number> = {}) =>
      Object.hasOwn(strings, key) ? strings[key]!.replace(/#([A-Z0-9_]+)#/g, (m, n: string) => (n in params ? String(params[n]) : m)) : this.kernel.i18n.t('main', key, lang, params);
  }

  private async headerItems(state: PersonalState): Promise<HeaderItem[]> {
    try {
      return await headerItems(this.kernel.events, state);
    } catch (err) {
      this.kernel.log.warn({ err }, 'header items could not be loaded');
      return [];
    }
  }

  private helpers(ctx: Ctx, moduleId: string) {
    const lang = ctx.state.language ?? 'en';
    return {
      t: (key: string, params?: Record<string, string | number>) => this.kernel.i18n.t(moduleId, key, lang, params),
      lang,
      user: ctx.state.user,
      site: ctx.state.site,
      /** Dates in the site's language and time zone (core/time/date-format.ts). */
      dates: datesFor(ctx.state),
      csrf: ctx.state.csrfToken,
      path: ctx.path,
    };
  }

  private async menus(ctx: Ctx): Promise<Record<MenuName, MenuItem[]>> {
    if (!ctx.state.site) return { top: [], left: [] };
    try {
      return await pagesOf(this.kernel).menus.forLayout({ siteId: ctx.state.site.id, path: ctx.path, language: ctx.state.language ?? 'en', principal: ctx.state.principal });
    } catch (err) {
      this.kernel.log.warn({ err, path: ctx.path }, 'menus could not be loaded');
      return { top: [], left: [] };
    }
  }

  private async isAdmin(ctx: Ctx): Promise<boolean> {
    if (!ctx.state.principal) return false;
    return this.kernel.rights.can(ctx.state.principal, 'main.admin.view').catch(() => false);
  }

  /** The old flat navigation; kept while layouts move to `it.menus`. */
  private nav(ctx: Ctx): NavItem[] {
    const lang = ctx.state.language ?? 'en';
    const t = (k: string) => this.kernel.i18n.t('main', k, lang);
    if (!ctx.state.user) return [];
    const items = [{ href: '/', label: t('HOME') }, { href: '/profile/password/', label: t('PROFILE') }];
    if (ctx.state.user.isAdmin || ctx.state.principal?.isAdmin) items.push({ href: '/admin/', label: t('ADMIN') });
    return items.map((i) => ({ ...i, active: i.href === '/' ? ctx.path === '/' : ctx.path.startsWith(i.href) }));
  }

  /** A site template's optional strings: lang/<language>.json, falling back to lang/en.json. */
  private templateStrings(dir: string, lang: string): Record<string, string> {
    const key = `${dir}|${lang}`;
    let strings = this.cache ? this.strings.get(key) : undefined;
    if (!strings) {
      strings = { ...readJson(path.join(dir, 'lang', 'en.json')), ...(lang === 'en' ? {} : readJson(path.join(dir, 'lang', `${lang}.json`))) };
      if (this.cache) this.strings.set(key, strings);
    }
    return strings;
  }

  /** templates/<name>/layout.eta from the renderer's root or the project, else .default. */
  private layoutDir(template: string): string {
    let dir = this.cache ? this.layouts.get(template) : undefined;
    if (!dir) {
      const roots = [...new Set([this.kernel.components.roots.templates, path.join(projectRoot, 'templates')])];
      const candidates = [...roots.map((r) => path.join(r, template)), ...roots.map((r) => path.join(r, '.default'))];
      dir = candidates.find((d) => /^[A-Za-z0-9_.-]+$/.test(path.basename(d)) && existsSync(path.join(d, 'layout.eta'))) ?? templatesDir('.default');
      if (this.cache) this.layouts.set(template, dir);
    }
    return dir;
  }

  private engine(dir: string): Eta {
    let eta = this.engines.get(dir);
    if (!eta) {
      eta = new Eta({ views: dir, autoEscape: true, cache: this.cache, defaultExtension: '.eta' });
      loadSharedViews(eta);
      this.engines.set(dir, eta);
    }
    return eta;
  }
}

/** Home, the active trail of the top (else left) menu, the page's own crumbs, then the page; one per URL. */
function breadcrumbs(pathNow: string, title: string, home: string, menus: Record<MenuName, MenuItem[]>, extra: Breadcrumb[]): Breadcrumb[] {
  const trail = (items: MenuItem[]): Breadcrumb[] => {
    const hit = items.find((i) => i.active);
    return hit ? [{ href: hit.href, label: hit.label }, ...trail(hit.children ?? [])] : [];
  };
  const fromMenu = trail(menus.top).length ? trail(menus.top) : trail(menus.left);
  const all = [{ href: '/', label: home }, ...fromMenu, ...extra, { href: pathNow, label: title }];
  const seen = new Set<string>();
  return all.filter((c) => !seen.has(c.href) && seen.add(c.href));
}

/** First and last name; an account without a name is asked for one instead of showing its login. */
export function headerName(user: { name: string; lastName: string }, t: (key: string) => string): string {
  return [user.name, user.lastName].map((s) => s.trim()).filter(Boolean).join(' ') || t('ACC_ADD_YOUR_NAME');
}

function readJson(file: string): Record<string, string> {
  if (!/^[a-z]{2}$/.test(path.basename(file, '.json')) || !existsSync(file)) return {};
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    return data && typeof data === 'object' ? Object.fromEntries(Object.entries(data).filter(([, v]) => typeof v === 'string')) : {};
  } catch {
    return {};
  }
}

function unique(list: string[]): string[] {
  return [...new Set(list)];
}

/**
 * Views every module may use by name: `@admin/frame` (the admin area's frame, as a layout),
 * `@admin/error`, `@admin/pager` and `@admin/confirm`, from core/http/admin-views/.
 */
function loadSharedViews(eta: Eta): void {
  const dir = path.join(projectRoot, 'core', 'http', 'admin-views');
  for (const name of ['frame', 'error', 'pager', 'confirm']) {
    const source = readFileSync(path.join(dir, `${name}.eta`), 'utf8');
    eta.loadTemplate(`@admin/${name}`, source);
    eta.loadTemplate(`@admin/${name}`, source, { async: true });
  }
}

/** Views are read from the source tree (they are not compiled). */
export function viewsDir(moduleId: string): string {
  return path.join(projectRoot, 'modules', moduleId, 'views');
}

export function templatesDir(name: string): string {
  return path.join(projectRoot, 'templates', name);
}
