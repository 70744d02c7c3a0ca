import { coreErrors } from '../../../../core/errors/codes.js';
import { isPortalError, type PortalError } from '../../../../core/errors/portal-error.js';
import { adminKit } from '../../../../core/http/admin-kit.js';
import type { Kernel } from '../../../../core/kernel.js';
import type { Ctx } from '../page.js';

export type { Ctx } from '../page.js';

/** Guards and rendering shared by the page builder, menu editor and template rules screens. */
export function pagesKit(kernel: Kernel) {
  const kit = adminKit(kernel, 'main');
  return {
    kernel,
    /** Opening a screen needs main.admin.view. */
    view: kit.view,
    /** Changing anything needs main.admin.view and main.settings.edit. */
    change: kit.change('main.settings.edit'),
    t: kit.t,
    canEdit: (ctx: Ctx) => kernel.rights.can(ctx.state.principal, 'main.settings.edit'),
    /** Renders views/pages-admin/<view>.eta (inside the admin frame) in the site layout. */
    render: (ctx: Ctx, viewName: string, title: string, data: Record<string, unknown>, status = 200) =>
      kit.render(ctx, `pages-admin/${viewName}`, title, { notice: notice(ctx, kit.t), ...data }, status),
  };
}

export type PagesKit = ReturnType<typeof pagesKit>;

const NOTICES: Record<string, string> = {
  saved: 'PG_DONE_SAVED',
  created: 'PG_DONE_CREATED',
  deleted: 'PG_DONE_DELETED',
  published: 'PG_DONE_PUBLISHED',
  unpublished: 'PG_DONE_UNPUBLISHED',
  discarded: 'PG_DONE_DISCARDED',
  copied: 'PG_DONE_COPIED',
};

function notice(ctx: Ctx, t: (ctx: Ctx, key: string) => string): { kind: 'ok'; text: string } | null {
  const name = typeof ctx.query.done === 'string' ? ctx.query.done : '';
  return Object.hasOwn(NOTICES, name) ? { kind: 'ok', text: t(ctx, NOTICES[name]!) } : null;
}

/** Redirect after a successful POST, with a notice. */
export function done(ctx: Ctx, href: string, name: string, anchor = ''): void {
  ctx.redirect(`${href}${href.includes('?') ? '&' : '?'}done=${name}${anchor}`);
}

/** A form error to show in place (4xx caused by the input); anything else goes to the error page. */
export function formError(err: unknown): PortalError {
  if (isPortalError(err) && err.status >= 400 && err.status < 500 && err.status !== 401 && err.status !== 403) return err;
  throw err;
}

/** A string field of the form body; for repeated fields (hidden + checkbox) the last value. */
export function str(body: unknown, name: string): string {
  const v = (body as Record<string, unknown> | undefined)?.[name];
  const last = Array.isArray(v) ? v[v.length - 1] : v;
  return typeof last === 'string' ? last : '';
}

export function checked(body: unknown, name: string): boolean {
  return ['1', 'on', 'true'].includes(str(body, name));
}

/** A positive integer id from the URL; anything else is a 404. */
export function intId(raw: unknown, what: string): number {
  const s = typeof raw === 'string' ? raw : '';
  if (!/^[1-9][0-9]{0,9}$/.test(s)) throw coreErrors.NOT_FOUND(what);
  return Number(s);
}
