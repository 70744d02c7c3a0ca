import type { ModuleContext, ModuleRouter } from '../../core/modules/types.js';
import { PORTAL_VIEW, requireRight, requireSignedIn } from '../../core/http/guards.js';
import { backTo, intId, str } from '../../core/http/admin-forms.js';
import { submitForm } from '../../core/http/flash.js';
import { coreErrors } from '../../core/errors/codes.js';
import type { Decision } from './engine/types.js';
import type { InstanceStatus } from './engine/types.js';
import { ELEMENT } from './statuses/service.js';

type Body = Record<string, unknown>;
const body = (ctx: { request: { body?: unknown } }): Body => {
  const b = ctx.request.body;
  return b && typeof b === 'object' && !Array.isArray(b) ? (b as Body) : {};
};
const STATUSES = new Set(['running', 'completed', 'terminated', 'failed']);
const DECISIONS = new Set(['approve', 'reject', 'ack', 'submit']);

/** The JSON API (/api/v1/workflow/...) and the form posts of the task form and the status panel. */
export function workflowRoutes(router: ModuleRouter, { kernel, t }: ModuleContext): void {
  const api = () => kernel.api('workflow');
  const signedIn = requireSignedIn(kernel, PORTAL_VIEW);
  const manage = requireRight(kernel, 'workflow.manage');

  router.get('/api/v1/workflow/templates', manage, async (ctx) => {
    ctx.body = { result: await api().templates.list() };
  });
  router.post('/api/v1/workflow/templates', manage, async (ctx) => {
    ctx.status = 201;
    ctx.body = { result: await api().templates.save(ctx.state.principal, ctx.request.body) };
  });
  router.post('/api/v1/workflow/templates/validate', manage, async (ctx) => {
    const problems = api().templates.validate(ctx.request.body);
    ctx.body = { result: { valid: problems.length === 0, problems } };
  });
  router.get('/api/v1/workflow/instances', signedIn, async (ctx) => {
    const status = typeof ctx.query.status === 'string' && STATUSES.has(ctx.query.status) ? (ctx.query.status as InstanceStatus) : undefined;
    const page = Number(ctx.query.page ?? 1) || 1;
    ctx.body = { result: await api().instances.list(ctx.state.principal, { status, page }) };
  });
  router.post('/api/v1/workflow/instances', signedIn, async (ctx) => {
    const b = body(ctx);
    const template = typeof b.template === 'string' || typeof b.template === 'number' ? b.template : '';
    if (template === '' || typeof b.documentType !== 'string' || (typeof b.documentId !== 'string' && typeof b.documentId !== 'number')) {
      throw coreErrors.VALIDATION_FAILED('Give "template" (code or id), "documentType" and "documentId"');
    }
    ctx.status = 201;
    ctx.body = { result: await api().instances.start(ctx.state.principal, template, b.documentType, String(b.documentId)) };
  });
  router.get('/api/v1/workflow/instances/:id', signedIn, async (ctx) => {
    const id = intId(ctx.params.id, 'instance');
    const p = ctx.state.principal;
    ctx.body = { result: { ...(await api().instances.get(p, id)), log: await api().instances.log(p, id), tasks: await api().instances.tasks(p, id) } };
  });
  router.post('/api/v1/workflow/instances/:id/terminate', manage, async (ctx) => {
    ctx.body = { result: await api().instances.terminate(ctx.state.principal, intId(ctx.params.id, 'instance')) };
  });
  router.get('/api/v1/workflow/tasks', signedIn, async (ctx) => {
    const closed = ctx.query.status === 'closed';
    ctx.body = { result: await api().tasks.mine(ctx.state.principal, { status: closed ? 'closed' : 'open', page: Number(ctx.query.page ?? 1) || 1 }) };
  });
  router.get('/api/v1/workflow/tasks/count', signedIn, async (ctx) => {
    ctx.body = { result: { open: await api().tasks.count(ctx.state.principal) } };
  });
  router.get('/api/v1/workflow/tasks/:id', signedIn, async (ctx) => {
    ctx.body = { result: await api().tasks.get(ctx.state.principal, intId(ctx.params.id, 'task')) };
  });
  router.post('/api/v1/workflow/tasks/:id/decision', signedIn, async (ctx) => {
    const b = body(ctx);
    const decision = typeof b.decision === 'string' && DECISIONS.has(b.decision) ? (b.decision as Decision) : null;
    if (!decision) throw coreErrors.VALIDATION_FAILED('"decision" must be approve, reject, ack or submit');
    const values = b.values && typeof b.values === 'object' && !Array.isArray(b.values) ? (b.values as Record<string, unknown>) : undefined;
    ctx.body = { result: await api().tasks.decide(ctx.state.principal, intId(ctx.params.id, 'task'), { decision, comment: typeof b.comment === 'string' ? b.comment : '', values }) };
  });

  router.get('/api/v1/workflow/statuses', manage, async (ctx) => {
    ctx.body = { result: await api().statuses.list() };
  });
  router.put('/api/v1/workflow/statuses/:code/rights', manage, async (ctx) => {
    ctx.body = { result: await api().statuses.setRights(ctx.state.principal, String(ctx.params.code), body(ctx).rights) };
  });

  const doc = (raw: unknown) => String(intId(raw, 'element'));
  router.get('/api/v1/workflow/elements/:id/status', signedIn, async (ctx) => {
    const id = doc(ctx.params.id);
    const s = api().statuses;
    await kernel.api('infoblocks').elements.get(ctx.state.principal, Number(id));
    ctx.body = { result: { state: await s.state(ELEMENT, id), history: await s.history(ctx.state.principal, id) } };
  });
  router.post('/api/v1/workflow/elements/:id/status', signedIn, async (ctx) => {
    ctx.body = { result: await api().statuses.move(ctx.state.principal, doc(ctx.params.id), String(body(ctx).status ?? '')) };
  });
  router.post('/api/v1/workflow/elements/:id/lock', signedIn, async (ctx) => {
    ctx.body = { result: await api().statuses.lock(ctx.state.principal, doc(ctx.params.id)) };
  });
  router.post('/api/v1/workflow/elements/:id/unlock', signedIn, async (ctx) => {
    ctx.body = { result: await api().statuses.unlock(ctx.state.principal, doc(ctx.params.id)) };
  });
  router.get('/api/v1/workflow/elements/:id/diff', signedIn, async (ctx) => {
    const a = Number(ctx.query.a);
    const b = Number(ctx.query.b);
    if (!Number.isInteger(a) || !Number.isInteger(b)) throw coreErrors.VALIDATION_FAILED('Give the versions as ?a=1&b=2');
    ctx.body = { result: await api().statuses.diff(ctx.state.principal, doc(ctx.params.id), a, b) };
  });
  router.post('/api/v1/workflow/elements/:id/restore', signedIn, async (ctx) => {
    ctx.body = { result: await api().statuses.restore(ctx.state.principal, doc(ctx.params.id), Number(body(ctx).version)) };
  });

  // The task form (workflow.task): post, then back to my tasks with a flash message.
  router.post('/workflow/task/', signedIn, (ctx) => {
    const b = body(ctx);
    const id = intId(str(b, 'task'), 'task');
    return submitForm(ctx, kernel, '/workflow/tasks/', async () => {
      const decision = str(b, 'decision');
      if (!DECISIONS.has(decision)) throw coreErrors.VALIDATION_FAILED('Choose a decision');
      const values: Record<string, unknown> = Object.create(null); // the field names come from the form
      for (const [k, v] of Object.entries(b)) if (k.startsWith('f_')) values[k.slice(2)] = v;
      const task = await api().tasks.decide(ctx.state.principal, id, { decision: decision as Decision, comment: str(b, 'comment'), values });
      return t(`WF_DONE_${decision.toUpperCase()}`, ctx.state.language, { TITLE: task.title });
    });
  });

  // The status panel (workflow.document.status): status moves, locks, restores.
  router.post('/workflow/element/', signedIn, (ctx) => {
    const b = body(ctx);
    const id = doc(str(b, 'element'));
    const back = backTo(str(b, 'back'), '/', '/');
    return submitForm(ctx, kernel, back, async () => {
      const s = api().statuses;
      const p = ctx.state.principal;
      const action = str(b, 'action');
      if (action === 'status') await s.move(p, id, str(b, 'status'));
      else if (action === 'lock') await s.lock(p, id);
      else if (action === 'unlock') await s.unlock(p, id);
      else if (action === 'restore') await s.restore(p, id, Number(str(b, 'version')));
      else throw coreErrors.VALIDATION_FAILED('Unknown action');
      return t(`WF_PANEL_DONE_${action.toUpperCase()}`, ctx.state.language);
    });
  });
}
