import type { ModuleContext, ModuleRouter } from '../../../../core/modules/types.js';
import { pageNumber, pager, query, type AdminKit } from './http.js';

const PAGE_SIZE = 50;
const EVENT = /^[a-z0-9._-]{1,64}$/;
/** Events the kernel records; other modules may add their own (typed into the filter). */
const KNOWN_EVENTS = ['login.success', 'login.failed', 'login.locked', 'login.blocked', 'login.throttled', 'access.denied'];

/** /admin/security/: sign-ins, lockouts and denied access, filtered by event, paged. */
export function securityRoutes(router: ModuleRouter, _mctx: ModuleContext, kit: AdminKit): void {
  const { kernel } = kit;

  router.get('/admin/security/', kit.view, async (ctx) => {
    const raw = query(ctx, 'event').trim();
    const valid = raw === '' || EVENT.test(raw);
    const event = valid ? raw : '';
    const pageNo = pageNumber(ctx);
    const { items, total } = await kernel.users.securityLog.list({ event: event || undefined, limit: PAGE_SIZE, offset: (pageNo - 1) * PAGE_SIZE });
    await kit.render(ctx, 'security', kit.t(ctx, 'ADM_SECURITY'), {
      items: items.map((e) => ({ ...e, detailsText: e.details ? JSON.stringify(e.details) : '' })),
      events: KNOWN_EVENTS,
      event: valid ? raw : raw.slice(0, 64),
      pager: pager(ctx, total, PAGE_SIZE, pageNo),
      error: valid ? null : kit.t(ctx, 'ADM_SECURITY_EVENT_INVALID'),
    }, valid ? 200 : 400);
  });
}
