import { existsSync } from 'node:fs';
import path from 'node:path';
import { Eta } from 'eta';
import type { ParameterizedContext } from 'koa';
import { projectRoot } from '../config/paths.js';
import type { Kernel } from '../kernel.js';
import type { PortalState } from './state.js';

type Ctx = ParameterizedContext<PortalState>;

export interface PageOptions {
  /** Module that owns the view (its views/ folder and messages). */
  module: string;
  view: string;
  title: string;
  data?: Record<string, unknown>;
  status?: number;
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
  private readonly cache: boolean;

  constructor(private readonly kernel: Kernel) {
    this.cache = process.env.NODE_ENV !== 'development';
  }

  async page(ctx: Ctx, opts: PageOptions): Promise<void> {
    const helpers = this.helpers(ctx, opts.module);
    const body = await this.engine(viewsDir(opts.module)).renderAsync(opts.view, { ...helpers, ...(opts.data ?? {}) });
    const template = ctx.state.site?.template ?? '.default';
    const layoutDir = existsSync(path.join(templatesDir(template), 'layout.eta')) ? templatesDir(template) : templatesDir('.default');
    const html = await this.engine(layoutDir).renderAsync('layout', {
      ...this.helpers(ctx, 'main'),
      title: opts.title,
      body,
      template: path.basename(layoutDir),
      nav: this.nav(ctx),
    });
    ctx.status = opts.status ?? 200;
    ctx.type = 'html';
    ctx.set('Cache-Control', 'no-store');
    ctx.body = html;
  }

  private helpers(ctx: Ctx, moduleId: string) {
    const lang = ctx.state.language ?? 'en';
    return {
      t: (key: string, params?: Record<string, string | number>) => this.kernel.i18n.t(moduleId, key, lang, params),
      lang,
      user: ctx.state.user,
      site: ctx.state.site,
      csrf: ctx.state.csrfToken,
      path: ctx.path,
    };
  }

  private nav(ctx: Ctx): NavItem[] {
    const lang = ctx.state.language ?? 'en';
    const t = (k: string) => this.kernel.i18n.t('main', k, lang);
    if (!ctx.state.user) return [];
    const items = [{ href: '/', label: t('HOME') }, { href: '/profile/password/', label: t('PROFILE') }];
    if (ctx.state.user.isAdmin || ctx.state.principal.isAdmin) items.push({ href: '/admin/', label: t('ADMIN') });
    return items.map((i) => ({ ...i, active: i.href === '/' ? ctx.path === '/' : ctx.path.startsWith(i.href) }));
  }

  private engine(dir: string): Eta {
    let eta = this.engines.get(dir);
    if (!eta) {
      eta = new Eta({ views: dir, autoEscape: true, cache: this.cache, defaultExtension: '.eta' });
      this.engines.set(dir, eta);
    }
    return eta;
  }
}

/** Views are read from the source tree (they are not compiled). */
export function viewsDir(moduleId: string): string {
  return path.join(projectRoot, 'modules', moduleId, 'views');
}

export function templatesDir(name: string): string {
  return path.join(projectRoot, 'templates', name);
}
