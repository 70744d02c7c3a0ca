import type { ModuleContext, ModuleRouter } from '../../../core/modules/types.js';
import { adminKit } from '../../../core/http/admin-kit.js';
import { done, formError, intId, query, str } from '../../../core/http/admin-forms.js';
import type { InstanceStatus } from '../engine/types.js';
import { parseTemplate, type SchemaProblem } from '../schema.js';
import { outlineOf, type OutlineRow } from './outline.js';
import { statusRightsRoutes } from './status-rights.js';

const BASE = '/admin/workflow/';
const STATUSES = ['running', 'completed', 'terminated', 'failed'];
const EXAMPLE = JSON.stringify(
  { code: 'my-approval', name: 'My approval', document: { type: 'infoblocks.element', scope: null }, autoStart: { onCreate: false, onEdit: false }, root: { type: 'sequence', activities: [{ type: 'approve', assignees: [{ departmentHead: true }], quorum: 'any', onApprove: [], onReject: [] }] } },
  null,
  2,
);

/**
 * /admin/workflow/: templates (list, a JSON editor that validates, start on a document), the document statuses (and
 * their group rights, admin/status-rights.ts), and /admin/workflow/instances/ to monitor and terminate processes. Everything needs workflow.manage.
 */
export function workflowAdminRoutes(router: ModuleRouter, moduleCtx: ModuleContext): void {
  const { kernel } = moduleCtx;
  const kit = adminKit(kernel, 'workflow', { notices: { started: { key: 'WFA_STARTED', kind: 'ok' }, terminated: { key: 'WFA_TERMINATED', kind: 'ok' } } });
  const manage = kit.change('workflow.manage');
  const api = () => kernel.api('workflow');

  router.get(BASE, ...manage, async (ctx) => {
    kit.render(ctx, 'admin/templates', kit.t(ctx, 'WFA_TEMPLATES'), { templates: await api().templates.list(), statuses: await api().statuses.list(), lang: ctx.state.language === 'ru' ? 'ru' : 'en' });
  });

  const editor = async (ctx: Parameters<typeof kit.render>[0], code: string | null, text: string, problems: SchemaProblem[] = [], error = '', status = 200, valid = false) =>
    kit.render(ctx, 'admin/template-form', code ? `${kit.t(ctx, 'WFA_TEMPLATE')} ${code}` : kit.t(ctx, 'WFA_TEMPLATE_NEW'), { code, text, problems, error, valid, outline: outlineOfText(text), documentTypes: api().documents.list().map((d) => d.type) }, status, { js: ['/assets/modules/workflow/admin.js'] });

  router.get(`${BASE}templates/new/`, ...manage, (ctx) => editor(ctx, null, EXAMPLE));
  router.get(`${BASE}templates/:code/`, ...manage, async (ctx) => {
    const t = await api().templates.get(String(ctx.params.code));
    await editor(ctx, t.code, JSON.stringify(t.definition, null, 2));
  });

  // Save or only validate: bad JSON or a bad template shows every problem by path and writes nothing.
  router.post(`${BASE}templates/`, ...manage, async (ctx) => {
    const b = ctx.request.body;
    const text = str(b, 'definition');
    const code = str(b, 'code') || null;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      return editor(ctx, code, text, [{ path: '(json)', message: (err as Error).message }], '', 400);
    }
    const problems = api().templates.validate(parsed);
    if (problems.length) return editor(ctx, code, text, problems, '', 400);
    if (str(b, 'action') === 'validate') return editor(ctx, code, text, [], '', 200, true);
    try {
      const t = await api().templates.save(ctx.state.principal, parsed);
      done(ctx, `${BASE}templates/${t.code}/`, 'saved');
    } catch (err) {
      const e = formError(err);
      return editor(ctx, code, text, [], e.message, e.status);
    }
  });

  router.post(`${BASE}templates/:code/start/`, ...manage, async (ctx) => {
    const t = await api().templates.get(String(ctx.params.code));
    try {
      const i = await api().instances.start(ctx.state.principal, t.id, t.documentType, str(ctx.request.body, 'documentId'));
      done(ctx, `${BASE}instances/${i.id}/`, 'started');
    } catch (err) {
      const e = formError(err);
      return editor(ctx, t.code, JSON.stringify(t.definition, null, 2), [], e.message, e.status);
    }
  });

  router.get(`${BASE}instances/`, ...manage, async (ctx) => {
    const s = query(ctx, 'status');
    const status = STATUSES.includes(s) ? (s as InstanceStatus) : undefined;
    const page = Math.max(1, Number(query(ctx, 'page')) || 1);
    const res = await api().instances.list(ctx.state.principal, { status, page, pageSize: 50 });
    kit.render(ctx, 'admin/instances', kit.t(ctx, 'WFA_INSTANCES'), { ...res, status: status ?? '', statuses: STATUSES, page, pages: Math.max(1, Math.ceil(res.total / 50)) });
  });

  router.get(`${BASE}instances/:id/`, ...manage, async (ctx) => {
    const id = intId(ctx.params.id, 'instance');
    const p = ctx.state.principal;
    const inst = await api().instances.get(p, id);
    const tasks = await api().instances.tasks(p, id);
    const log = await api().instances.log(p, id);
    const logins = await kernel.users.loginsOf([...new Set([...tasks.map((t) => t.userId), ...log.map((l) => l.userId).filter((x): x is number => x !== null)])]);
    kit.render(ctx, 'admin/instance', `${kit.t(ctx, 'WFA_INSTANCE')} #${id}`, { inst, tasks, log, logins, vars: JSON.stringify(inst.state.vars, null, 2) });
  });

  router.post(`${BASE}instances/:id/terminate/`, ...manage, async (ctx) => {
    const id = intId(ctx.params.id, 'instance');
    await api().instances.terminate(ctx.state.principal, id);
    done(ctx, `${BASE}instances/${id}/`, 'terminated');
  });

  statusRightsRoutes(router, moduleCtx, kit, BASE);
}

/** The outline of the editor's text when it is a valid template, else none. */
function outlineOfText(text: string): OutlineRow[] {
  try {
    return outlineOf(parseTemplate(JSON.parse(text)));
  } catch {
    return [];
  }
}
