import type { ModuleContext, ModuleRouter } from '../../../../core/modules/types.js';
import { MAIL_STATUSES, type MailStatus } from '../../../../core/mail/mail-types.js';
import { done, formError, intId, pageNumber, query, type AdminKit, type Ctx } from './http.js';

const PAGE_SIZE = 30;

/** /admin/mail/queue/: messages by status, newest first; retry failed ones. */
export function mailQueueRoutes(router: ModuleRouter, _mctx: ModuleContext, kit: AdminKit): void {
  const { kernel } = kit;

  const renderQueue = async (ctx: Ctx, error: string | null = null, status = 200): Promise<void> => {
    const raw = query(ctx, 'status');
    let filter: MailStatus | undefined;
    if (raw !== '') {
      if ((MAIL_STATUSES as readonly string[]).includes(raw)) filter = raw as MailStatus;
      else if (!error) {
        error = kit.t(ctx, 'ADM_MAIL_STATUS_INVALID', { STATUS: raw.slice(0, 20) });
        status = 400;
      }
    }
    const pageNo = pageNumber(ctx);
    const [items, stats] = await Promise.all([
      kernel.mail.queue({ status: filter, limit: PAGE_SIZE + 1, offset: (pageNo - 1) * PAGE_SIZE }),
      kernel.mail.stats(),
    ]);
    const link = (p: number) => `/admin/mail/queue/?${new URLSearchParams({ ...(filter ? { status: filter } : {}), page: String(p) }).toString()}`;
    await kit.render(ctx, 'mail-queue', kit.t(ctx, 'ADM_MAIL_QUEUE'), {
      items: items.slice(0, PAGE_SIZE),
      stats,
      statuses: MAIL_STATUSES,
      filter: filter ?? '',
      prev: pageNo > 1 ? link(pageNo - 1) : null,
      next: items.length > PAGE_SIZE ? link(pageNo + 1) : null,
      error,
      canManage: await kit.can(ctx, 'main.mail.manage'),
    }, status);
  };

  router.get('/admin/mail/queue/', kit.view, (ctx) => renderQueue(ctx));

  router.post('/admin/mail/queue/:id/retry/', ...kit.change('main.mail.manage'), async (ctx) => {
    const id = intId(ctx.params.id, 'queued message');
    const item = await kernel.mail.queueItem(id); // 404 when it does not exist
    try {
      await kernel.mail.retry(item.id);
    } catch (err) {
      const e = formError(err);
      return renderQueue(ctx, e.message, e.status);
    }
    done(ctx, '/admin/mail/queue/', 'retried');
  });
}
