import type { ModuleContext } from '../../../core/modules/types.js';
import type { Principal } from '../../../core/services.js';
import type { StatusService } from './service.js';

const SYSTEM: Principal = { userId: null, groupIds: [], isAdmin: true };

/**
 * Listeners on the infoblocks' events for infoblocks with `workflow` on: a new element starts unpublished (inactive);
 * an edit is checked against the lock and the status rights; an edit of a published element becomes its draft
 * (`heldBy`), so the live element is untouched until the draft is published; an unpublished one stays inactive.
 * Batches (imports, which need W) carry no principal and are not held.
 */
export function registerInfoblockHooks(ctx: ModuleContext, statuses: StatusService, onChange: (kind: 'create' | 'edit', elementId: number, userId: number | null) => Promise<void>): void {
  const { events, kernel } = ctx;
  const usesWorkflow = async (iblockId: number) => (await kernel.api('infoblocks').iblocks.get(SYSTEM, iblockId)).workflow;

  events.onBefore('infoblocks.element.create', async (e) => {
    if (!e.data.principal || !(await usesWorkflow(e.data.iblockId))) return;
    e.data = { ...e.data, input: { ...e.data.input, active: false } };
  });

  events.onAfter('infoblocks.element.created', async (el) => {
    if (!(await usesWorkflow(el.iblockId))) return;
    await statuses.created(el, el.createdBy);
    await onChange('create', el.id, el.createdBy);
  });

  events.onBefore('infoblocks.element.update', async (e) => {
    const { id, principal } = e.data;
    if (!principal || statuses.bypass.has(id) || !(await usesWorkflow(e.data.iblockId))) return;
    const live = await kernel.api('infoblocks').elements.get(SYSTEM, id);
    const st = await statuses.ensure(live);
    try {
      await statuses.assertMayEdit(principal, st);
    } catch (err) {
      const code = (err as { code?: string }).code ?? 'WORKFLOW_STATUS_DENIED';
      return e.veto((err as Error).message, code);
    }
    if (st.livePublished) {
      await statuses.keepDraft(id, st, e.data.patch, principal.userId);
      e.data = { ...e.data, heldBy: 'workflow' };
      await onChange('edit', id, principal.userId);
      return;
    }
    const patch = { ...e.data.patch };
    delete patch.active;
    e.data = { ...e.data, patch };
  });

  events.onAfter('infoblocks.element.updated', async (el) => {
    if (statuses.bypass.has(el.id) || !(await usesWorkflow(el.iblockId))) return;
    await statuses.edited(el, el.modifiedBy);
    await onChange('edit', el.id, el.modifiedBy);
  });

  events.onAfter('infoblocks.element.deleted', async (el) => {
    await statuses.forget(String(el.id));
  });
}
