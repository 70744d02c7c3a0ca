import type { ParameterizedContext } from 'koa';
import type { Kernel } from '../kernel.js';
import type { PortalState } from '../http/state.js';
import type { Views } from '../http/views.js';
import { isPortalError } from '../errors/portal-error.js';
import type { RenderedPart } from '../components/renderer.js';
import { isRequestError } from '../components/request.js';
import { matchSef } from '../components/sef.js';
import { isComplex, type ComplexComponent } from '../components/types.js';
import type { Breadcrumb } from '../menus/types.js';
import type { Placement, ResolvedPage } from './types.js';

type Ctx = ParameterizedContext<PortalState>;

export interface RenderPageOptions {
  /** The part of the URL below the page, for its complex component (`topic/5/`). */
  subPath?: string;
  /** Admin preview: placement errors are always shown, and a banner says it is a preview. */
  preview?: boolean;
  /** Text of the preview banner. */
  banner?: string;
}

interface PlacementOutcome {
  placement: Placement;
  part: RenderedPart | null;
  error: string | null;
  /** A complex component: it owns the URL, so its title and breadcrumbs are the page's. */
  complex: boolean;
}

/** The complex components placed on a page (those of uninstalled modules are left out). */
function complexComponentsOf(kernel: Kernel, page: ResolvedPage): ComplexComponent[] {
  return page.placements.flatMap((p) => {
    try {
      const def = kernel.components.get(p.component);
      return isComplex(def) ? [def] : [];
    } catch {
      return [];
    }
  });
}

/** Whether a complex component on the page owns the URL subtree below it. */
export function ownsSubtree(kernel: Kernel, page: ResolvedPage): boolean {
  return complexComponentsOf(kernel, page).length > 0;
}

/** Whether a complex component on the page has a SEF route for this sub-URL (so `topic/5` can redirect to `topic/5/`). */
export function complexRouteMatches(kernel: Kernel, page: ResolvedPage, subPath: string): boolean {
  return complexComponentsOf(kernel, page).some((def) => matchSef(def.sef, subPath) !== null);
}

/**
 * Renders a page: every placement in order (in parallel), grouped by area, then the layout.
 * A placement that fails (bad stored parameters, a missing template, a component that
 * throws) is skipped and logged; administrators see a readable error box in its place.
 * One the visitor may not see (401/403) is left out and logged at debug level only.
 * Components that read the query string get it; bad query input is the page's 400.
 * A complex component's "not found" or "access denied" is the whole page's answer, and
 * the title and breadcrumbs its child sets (route, epilog) become the page's; on a fixed
 * page the page's own title stands.
 */
export async function renderPage(kernel: Kernel, views: Views, ctx: Ctx, page: ResolvedPage, opts: RenderPageOptions = {}): Promise<void> {
  if (page.template) ctx.state.template = page.template;
  const subPath = opts.subPath ?? '';
  const outcomes = await Promise.all(page.placements.map((p) => renderPlacement(kernel, ctx, page, p, subPath)));
  const showErrors = opts.preview || (outcomes.some((o) => o.error) && (await kernel.rights.can(ctx.state.principal, 'main.admin.view').catch(() => false)));

  const areas: Record<string, string[]> = {};
  const css: string[] = [];
  const js: string[] = [];
  const crumbs: Breadcrumb[] = [];
  let title: string | undefined;
  for (const { placement, part, error, complex } of outcomes) {
    const html = part
      ? `<div class="component" data-component="${escapeHtml(placement.component)}">${part.html}</div>`
      : showErrors
        ? `<div class="alert alert-error placement-error" role="alert"><strong>${escapeHtml(placement.component)}</strong>: ${escapeHtml(error ?? '')}</div>`
        : '';
    (areas[placement.area] ??= []).push(html);
    if (!part) continue;
    css.push(...part.css);
    js.push(...part.js);
    if (!complex) continue;
    crumbs.push(...part.breadcrumbs);
    title ??= part.title;
  }
  const main = (opts.preview && opts.banner ? `<div class="alert preview-banner" role="status">${escapeHtml(opts.banner)}</div>` : '') + (areas.main ?? []).join('\n');
  const sidebar = (areas.sidebar ?? []).join('\n');
  const body = sidebar ? `<div class="page-columns"><div class="page-main">${main}</div><aside class="page-sidebar">${sidebar}</aside></div>` : main;
  await views.layout(ctx, {
    title: title ?? page.title,
    body,
    areas: { main, sidebar },
    css,
    js,
    breadcrumbs: title && title !== page.title ? [{ href: page.path, label: page.title }, ...crumbs] : crumbs,
    template: page.template ?? undefined,
  });
}

async function renderPlacement(kernel: Kernel, ctx: Ctx, page: ResolvedPage, p: Placement, subPath: string): Promise<PlacementOutcome> {
  let complex = false;
  try {
    complex = isComplex(kernel.components.get(p.component));
    const query = ctx.query;
    const part = await kernel.components.renderPart(ctx.state, p.component, p.params ?? {}, p.template, complex ? { sef: { base: page.path, path: subPath }, query } : { query });
    return { placement: p, part, error: null, complex };
  } catch (err) {
    // Bad URL input (a page number, a filter value) is the visitor's: the page answers 400.
    if (isRequestError(err)) throw err;
    if (isPortalError(err) && (err.code === 'PAGE_NOT_FOUND' || (complex && (err.status === 401 || err.status === 403)))) throw err;
    const status = isPortalError(err) ? err.status : 500;
    const message = isPortalError(err) && err.expose ? err.message : `internal error (request ${ctx.state.requestId}; see the log)`;
    // A block the visitor may not see (401/403) is expected, not a stale placement: left out quietly.
    const level = status >= 500 ? 'error' : status === 401 || status === 403 ? 'debug' : 'warn';
    kernel.log[level]({ err, page: page.path, component: p.component, placement: p.id, requestId: ctx.state.requestId }, 'page placement skipped');
    return { placement: p, part: null, error: message, complex };
  }
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
