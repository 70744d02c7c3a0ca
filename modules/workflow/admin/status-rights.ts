import type { ModuleContext, ModuleRouter } from '../../../core/modules/types.js';
import type { AdminKit } from '../../../core/http/admin-kit.js';
import { done, formError, list } from '../../../core/http/admin-forms.js';
import type { Status } from '../statuses/service.js';

type Ctx = Parameters<AdminKit['render']>[0];
type Rights = Status['rights'];

/**
 * /admin/workflow/statuses/:code/: which groups may move documents into a status and edit them while in it. The form
 * sends the ticked group ids as `move` and `edit`; the status's list is replaced as a whole (the REST call
 * `PUT /api/v1/workflow/statuses/:code/rights` does the same), and bad input shows the coded error and changes nothing.
 */
export function statusRightsRoutes(router: ModuleRouter, { kernel }: ModuleContext, kit: AdminKit, base: string): void {
  const manage = kit.change('workflow.manage');
  const api = () => kernel.api('workflow').statuses;

  const form = async (ctx: Ctx, status: Status, rights: Rights, error: { code: string; message: string } | null = null, httpStatus = 200) => {
    const groups = await kernel.groups.list();
    const lang = ctx.state.language === 'ru' ? 'ru' : 'en';
    await kit.render(ctx, 'admin/status-rights', `${kit.t(ctx, 'WFA_STATUS_RIGHTS_TITLE')}: ${status.names[lang]}`, {
      status, groups, lang, error: error?.message ?? null, errorCode: error?.code ?? '',
      move: rights.filter((r) => r.canMove).map((r) => r.groupId),
      edit: rights.filter((r) => r.canEdit).map((r) => r.groupId),
    }, httpStatus);
  };

  router.get(`${base}statuses/:code/`, ...manage, async (ctx) => {
    const status = await api().byCode(String(ctx.params.code));
    await form(ctx, status, status.rights);
  });

  router.post(`${base}statuses/:code/`, ...manage, async (ctx) => {
    const status = await api().byCode(String(ctx.params.code));
    const rights = rightsFromForm(list(ctx.request.body, 'move'), list(ctx.request.body, 'edit'));
    try {
      await api().setRights(ctx.state.principal, status.code, rights);
      done(ctx, `${base}statuses/${status.code}/`, 'saved');
    } catch (err) {
      const e = formError(err);
      await form(ctx, status, rights.map((r) => ({ ...r, groupId: Number(r.groupId) })).filter((r) => Number.isInteger(r.groupId)), e, e.status);
    }
  });
}

/**
 * The ticked ids as a rights list, one entry per group. An id that is not a number stays as it came (a string), so
 * the service refuses it with the entry's path rather than the form dropping it quietly.
 */
function rightsFromForm(move: string[], edit: string[]): { groupId: number | string; canMove: boolean; canEdit: boolean }[] {
  const ids = [...new Set([...move, ...edit])];
  return ids.map((raw) => ({ groupId: /^\d{1,15}$/.test(raw) ? Number(raw) : raw, canMove: move.includes(raw), canEdit: edit.includes(raw) }));
}
