import type { Kernel } from '../../../../core/kernel.js';
import { adminKit as coreAdminKit, type AdminNotice } from '../../../../core/http/admin-kit.js';

export type { Ctx } from '../page.js';
export { backTo, checked, done, formError, intId, list, pageNumber, pager, query, str, type Pager } from '../../../../core/http/admin-forms.js';

/** Main's own notices besides saved/created/deleted. */
const NOTICES: Record<string, AdminNotice> = {
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

export type AdminKit = ReturnType<typeof adminKit>;

/** The kernel's admin kit for main's screens: views/admin/<view>.eta (shared `@admin/…` views as they are). */
export function adminKit(kernel: Kernel) {
  const kit = coreAdminKit(kernel, 'main', { notices: NOTICES });
  return {
    ...kit,
    render: (...[ctx, viewName, ...rest]: Parameters<typeof kit.render>): Promise<void> =>
      kit.render(ctx, viewName.startsWith('@') ? viewName : `admin/${viewName}`, ...rest),
  };
}
