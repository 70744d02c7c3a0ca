import type { Kernel } from '../../../../core/kernel.js';
import { coreErrors } from '../../../../core/errors/codes.js';
import { isPortalError, type PortalError } from '../../../../core/errors/portal-error.js';
import { requireRight } from '../../../../core/http/guards.js';
import { page, type Ctx } from '../page.js';

export type { Ctx } from '../page.js';

/** Notices shown after a redirect (`?done=<name>`): the message key and its kind. */
const NOTICES: Record<string, { key: string; kind: 'ok' | 'error' }> = {
  saved: { key: 'ADM_DONE_SAVED', kind: 'ok' },
  created: { key: 'ADM_DONE_CREATED', kind: 'ok' },
  deleted: { key: 'ADM_DONE_DELETED', kind: 'ok' },
  blocked: { key: 'ADM_DONE_BLOCKED', kind: 'ok' },
  unblocked: { key: 'ADM_DONE_UNBLOCKED', kind: 'ok' },
  installed: { key: 'ADM_DONE_INSTALLED', kind: 'ok' },
  uninstalled: { key: 'ADM_DONE_UNINSTALLED', kind: 'ok' },
  cleared: { key: 'ADM_DONE_CACHE_CLEARED', kind: 'ok' },
  tag_cleared: { key: 'ADM_DONE_TAG_CLEARED', kind: 'ok' },
  ran: { key: 'ADM_DONE_AGENT_RAN', kind: 'ok' },
  agent_failed: { key: 'ADM_DONE_AGENT_FAILED', kind: 'error' },
  retried: { key: 'ADM_DONE_RETRIED', kind: 'ok' },
};

export interface Notice {
  kind: 'ok' | 'error';
  text: string;
}

export type AdminKit = ReturnType<typeof adminKit>;
type Guard = ReturnType<typeof requireRight>;

/** What every admin screen uses: guards, messages, rendering, right checks. */
export function adminKit(kernel: Kernel) {
  const view = requireRight(kernel, 'main.admin.view');
  const t = (ctx: Ctx, key: string, params?: Record<string, string | number>): string => kernel.i18n.t('main', key, ctx.state.language, params);
  return {
    kernel,
    /** Opens a screen: main.admin.view. */
    view,
    /** Changes something: main.admin.view and the operation. */
    change: (operation: string): Guard[] => [view, requireRight(kernel, operation)],
    t,
    /** Whether the signed-in user may perform the operation (to hide buttons; the POST checks again). */
    can: (ctx: Ctx, operation: string): Promise<boolean> => kernel.rights.can(ctx.state.principal, operation),
    /** Renders views/admin/<view>.eta inside the admin frame and the site layout. */
    render: (ctx: Ctx, viewName: string, title: string, data: Record<string, unknown> = {}, status = 200): Promise<void> =>
      page(ctx, `admin/${viewName}`, title, { notice: noticeOf(ctx, t), error: null, fmt: formatDate, ...data }, status),
  };
}

/** The notice named by `?done=`, if it is one we know. */
function noticeOf(ctx: Ctx, t: (ctx: Ctx, key: string) => string): Notice | null {
  const name = typeof ctx.query.done === 'string' ? ctx.query.done : '';
  const n = Object.hasOwn(NOTICES, name) ? NOTICES[name] : undefined;
  return n ? { kind: n.kind, text: t(ctx, n.key) } : null;
}

/** Redirect after a successful POST, with a notice. */
export function done(ctx: Ctx, href: string, notice: string): void {
  ctx.redirect(`${href}${href.includes('?') ? '&' : '?'}done=${encodeURIComponent(notice)}`);
}

/**
 * The error to show on a form: a 4xx PortalError caused by the input. Anything else
 * (server errors, missing rights) is rethrown to the error page.
 */
export function formError(err: unknown): PortalError {
  if (isPortalError(err) && err.status >= 400 && err.status < 500 && ![401, 403].includes(err.status)) return err;
  throw err;
}

/** A positive integer id from the URL; anything else is a 404, never a 500. */
export function intId(raw: unknown, what: string): number {
  const s = typeof raw === 'string' ? raw : '';
  const n = Number(s);
  if (!/^[1-9][0-9]{0,15}$/.test(s) || !Number.isSafeInteger(n)) throw coreErrors.NOT_FOUND(what);
  return n;
}

/** A string field of the parsed form body ('' when absent or not a string). */
export function str(body: unknown, name: string): string {
  const v = (body as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v : '';
}

/** Every value of a repeated field (checkbox groups, multi-selects). */
export function list(body: unknown, name: string): string[] {
  const v = (body as Record<string, unknown> | undefined)?.[name];
  if (typeof v === 'string') return [v];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** Whether a checkbox was ticked. */
export function checked(body: unknown, name: string): boolean {
  const v = str(body, name);
  return v !== '' && v !== '0' && v !== 'false';
}

/** A query-string value ('' when absent or repeated). */
export function query(ctx: Ctx, name: string): string {
  const v = ctx.query[name];
  return typeof v === 'string' ? v : '';
}

export interface Pager {
  page: number;
  pages: number;
  total: number;
  prev: string | null;
  next: string | null;
}

/** The requested page number (1 when absent or not a sensible number). */
export function pageNumber(ctx: Ctx): number {
  const n = Number(query(ctx, 'page'));
  return Number.isSafeInteger(n) && n >= 1 && n <= 100_000 ? n : 1;
}

/** Previous/next links that keep the other query parameters. */
export function pager(ctx: Ctx, total: number, size: number, pageNo: number): Pager {
  const pages = Math.max(1, Math.ceil(total / size));
  const link = (p: number) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(ctx.query)) if (typeof v === 'string' && k !== 'page' && k !== 'done' && v !== '') params.set(k, v);
    if (p > 1) params.set('page', String(p));
    const qs = params.toString();
    return qs ? `${ctx.path}?${qs}` : ctx.path;
  };
  return { page: pageNo, pages, total, prev: pageNo > 1 ? link(Math.min(pageNo - 1, pages)) : null, next: pageNo < pages ? link(pageNo + 1) : null };
}

/** UTC date and time, "2026-01-31 12:00:00", or "—". Never depends on the server's time zone. */
export function formatDate(value: Date | number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  const d = value instanceof Date ? value : new Date(value);
  return Number.isNaN(d.getTime()) ? '—' : `${d.toISOString().replace('T', ' ').slice(0, 19)} UTC`;
}
