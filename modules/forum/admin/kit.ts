import type { ParameterizedContext } from 'koa';
import type { Kernel } from '../../../core/kernel.js';
import { adminKit, type AdminPageExtras } from '../../../core/http/admin-kit.js';
import { formError, query } from '../../../core/http/admin-forms.js';
import { localizedMessage } from '../../../core/i18n/error-text.js';
import type { PortalError } from '../../../core/errors/portal-error.js';
import type { PortalState } from '../../../core/http/state.js';
import type { Breadcrumb } from '../../../core/menus/types.js';

export type Ctx = ParameterizedContext<PortalState>;
export type ForumKit = ReturnType<typeof forumAdminKit>;

export const BASE = '/admin/forum/';
const CSS = '/assets/modules/forum/admin.css';

/** The kernel's admin kit for the forum screens, with the module API, the chosen site and errors in the reader's language. */
export function forumAdminKit(kernel: Kernel) {
  const kit = adminKit(kernel, 'forum', {
    notices: {
      approved: { key: 'FORUMA_DONE_APPROVED', kind: 'ok' },
      removed: { key: 'FORUMA_DONE_REMOVED', kind: 'ok' },
    },
  });
  return {
    ...kit,
    api: () => kernel.api('forum'),
    /** Renders views/admin/<view>.eta (or a shared @admin/ view) with the module's stylesheet. */
    render: (ctx: Ctx, view: string, title: string, data: Record<string, unknown> = {}, status = 200, extras: AdminPageExtras = {}): Promise<void> =>
      kit.render(ctx, view.startsWith('@') ? view : `admin/${view}`, title, data, status, { css: [CSS], ...extras }),
    /** A 4xx input error to show on the form, worded in the reader's language (anything else goes to the error page). */
    formError(ctx: Ctx, err: unknown): { status: number; message: string; error: PortalError } {
      const e = formError(err);
      return { status: e.status, message: localizedMessage(kernel.i18n, e, ctx.state.language ?? 'en', 'forum'), error: e };
    },
    /** The sites, and the one named by ?site= (else the first, where the forum puts new forums by default). */
    async site(ctx: Ctx, raw = query(ctx, 'site')): Promise<{ siteId: string; sites: { id: string; name: string }[] }> {
      const sites = (await kernel.sites.list()).map((s) => ({ id: s.id, name: s.name }));
      return { siteId: sites.some((s) => s.id === raw) ? raw : (sites[0]?.id ?? 's1'), sites };
    },
    crumbs: (ctx: Ctx): Breadcrumb[] => [{ href: BASE, label: kit.t(ctx, 'FORUMA_FORUMS') }],
  };
}
