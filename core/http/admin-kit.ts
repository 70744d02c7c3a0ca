import type { ParameterizedContext } from 'koa';
import type { Kernel } from '../kernel.js';
import type { Breadcrumb } from '../menus/types.js';
import type { PortalApp } from './app.js';
import { datesFor } from '../time/date-format.js';
import { adminMenu } from './admin-menu.js';
import { requireRight } from './guards.js';
import type { PortalState } from './state.js';

type Ctx = ParameterizedContext<PortalState>;
type Guard = ReturnType<typeof requireRight>;

/** A notice shown after a redirect (`?done=<name>`): the message key and its kind. */
export interface AdminNotice {
  key: string;
  kind: 'ok' | 'error';
}

/** Notices every admin screen knows; modules add their own. */
const COMMON_NOTICES: Record<string, AdminNotice> = {
  saved: { key: 'ADM_DONE_SAVED', kind: 'ok' },
  created: { key: 'ADM_DONE_CREATED', kind: 'ok' },
  deleted: { key: 'ADM_DONE_DELETED', kind: 'ok' },
};

export interface AdminPageExtras {
  css?: string[];
  js?: string[];
  breadcrumbs?: Breadcrumb[];
}

export type AdminKit = ReturnType<typeof adminKit>;

/**
 * What a module's admin screens share: the main.admin.view guard, messages (the module's
 * own, then main's admin words such as ADM_SAVE), right checks and rendering of the
 * module's views/<view>.eta inside the admin frame (`layout('@admin/frame')`).
 */
export function adminKit(kernel: Kernel, moduleId: string, options: { notices?: Record<string, AdminNotice> } = {}) {
  const view = requireRight(kernel, 'main.admin.view');
  const notices = { ...COMMON_NOTICES, ...options.notices };
  const t = (ctx: Ctx, key: string, params?: Record<string, string | number>): string => adminText(kernel, moduleId, ctx.state.language, key, params);
  return {
    kernel,
    /** Opens a screen: main.admin.view. */
    view,
    /** Changes something: main.admin.view and the operation. */
    change: (operation: string): Guard[] => [view, requireRight(kernel, operation)],
    t,
    /** Whether the signed-in user may perform the operation (to hide buttons; the POST checks again). */
    can: (ctx: Ctx, operation: string): Promise<boolean> => kernel.rights.can(ctx.state.principal, operation),
    /**
     * Renders the module's views/<viewName>.eta (or a shared `@admin/…` view) in the admin
     * frame and the site layout. `it` holds notice, error, fmt, adminMenu and t besides `data`.
     */
    async render(ctx: Ctx, viewName: string, title: string, data: Record<string, unknown> = {}, status = 200, extras: AdminPageExtras = {}): Promise<void> {
      const name = typeof ctx.query.done === 'string' ? ctx.query.done : '';
      const n = Object.hasOwn(notices, name) ? notices[name] : undefined;
      const notice = n ? { kind: n.kind, text: t(ctx, n.key) } : null;
      await (ctx.app as unknown as PortalApp).views.page(ctx, {
        module: moduleId,
        view: viewName,
        title,
        status,
        ...extras,
        data: {
          notice,
          error: null,
          fmt: adminDateTime(ctx),
          adminMenu: await adminMenu(kernel, ctx),
          t: (key: string, params?: Record<string, string | number>) => t(ctx, key, params),
          ...data,
        },
      });
    },
  };
}

/** How admin lists show an instant: date and time with seconds, in the site's language and zone ("—" for none). */
export function adminDateTime(ctx: Ctx): (at: Date | number | string | null | undefined) => string {
  const dates = datesFor(ctx.state);
  return (at) => dates.dateTime(at, { seconds: true });
}

/** A message of the module, else main's (the shared admin words), else the key. */
export function adminText(kernel: Kernel, moduleId: string, language: string | undefined, key: string, params?: Record<string, string | number>): string {
  const own = kernel.i18n.has(moduleId, key);
  return kernel.i18n.t(own || moduleId === 'main' ? moduleId : 'main', key, language, params);
}
