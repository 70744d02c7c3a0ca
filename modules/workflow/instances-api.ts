import type { ModuleContext } from '../../core/modules/types.js';
import type { Principal } from '../../core/services.js';
import { coreErrors } from '../../core/errors/codes.js';
import { wfErrors } from './errors.js';
import type { DocumentRegistry } from './documents/adapter.js';
import { closeOpenWork, writeLog, type Runner } from './engine/runner.js';
import { toInstance, toLog, toTask, type Instance, type InstanceStatus, type LogEntry, type Row, type Task } from './engine/types.js';
import type { createTemplatesApi } from './templates-api.js';

export interface InstanceView extends Instance {
  documentTitle: string;
}

type TemplatesApi = ReturnType<typeof createTemplatesApi>;

/** Running and finished business processes: start, look, terminate. */
export function createInstancesApi(ctx: ModuleContext, documents: DocumentRegistry, templates: TemplatesApi, runner: Runner) {
  const { db, kernel, events } = ctx;
  const manager = (p: Principal) => kernel.rights.can(p, 'workflow.manage');
  const columns = ['i.*', 't.code as template_code', 't.name as template_name'];
  const view = (r: Row): InstanceView => ({ ...toInstance(r), documentTitle: String(r.document_title ?? '') });

  async function load(id: number): Promise<InstanceView> {
    const row = (await db.write('instances').from(`${db.table('instances')} as i`).leftJoin(`${db.table('templates')} as t`, 't.id', 'i.template_id').where('i.id', id).first(columns)) as Row | undefined;
    if (!row) throw wfErrors.WORKFLOW_INSTANCE_NOT_FOUND(String(id));
    return view(row);
  }

  /** Managers see every instance; others those they started, have a task in, or whose document they may read. */
  async function assertSees(principal: Principal, inst: InstanceView): Promise<void> {
    if (await manager(principal)) return;
    if (principal.userId !== null && inst.startedBy === principal.userId) return;
    if (principal.userId !== null && (await db.read('tasks').where({ instance_id: inst.id, user_id: principal.userId }).first('id'))) return;
    if (documents.has(inst.documentType) && (await documents.get(inst.documentType).canRead(principal, inst.documentId))) return;
    throw coreErrors.ACCESS_DENIED('', { instance: inst.id });
  }

  const api = {
    /** Starts a template on a document by hand (needs workflow.start and the document adapter's consent). */
    async start(principal: Principal, templateRef: string | number, documentType: string, documentId: string): Promise<InstanceView> {
      await kernel.rights.assert(principal, 'workflow.start');
      const adapter = documents.get(documentType);
      if (!(await adapter.canStart(principal, String(documentId))) && !(await manager(principal))) throw coreErrors.ACCESS_DENIED('You may not start a process on this document');
      return api.startAsSystem(templateRef, documentType, String(documentId), principal.userId);
    },

    /** Starts without a rights check (auto-start, shipped code, the CLI). */
    async startAsSystem(templateRef: string | number, documentType: string, documentId: string, startedBy: number | null): Promise<InstanceView> {
      const t = await templates.get(templateRef);
      if (!t.active) throw wfErrors.WORKFLOW_TEMPLATE_INACTIVE(`"${t.code}"`);
      if (t.documentType !== documentType) throw wfErrors.WORKFLOW_DOCUMENT_MISMATCH(`Template "${t.code}" is for documents of type ${t.documentType}, not ${documentType}`);
      const doc = await documents.load(documentType, documentId);
      if (t.documentScope !== null && doc.scope !== t.documentScope) throw wfErrors.WORKFLOW_DOCUMENT_MISMATCH(`Template "${t.code}" is for ${t.documentScope}, and this document belongs to ${doc.scope ?? 'nothing'}`);
      const now = Date.now();
      const id = await db.transaction(async (tx) => {
        const [raw] = await tx.table('instances').insert({
          template_id: t.id, definition: JSON.stringify(t.definition), document_type: documentType, document_id: documentId, document_title: doc.title.slice(0, 300),
          status: 'running', state: JSON.stringify({ vars: {}, nodes: {} }), version: 0, needs_run: true, started_by: startedBy, started_at: now,
        });
        const instanceId = Number(raw);
        await writeLog(tx, instanceId, startedBy, null, 'started', t.code);
        await events.emitAfter('workflow.instance.started', { instanceId, templateId: t.id, documentType, documentId }, tx);
        return instanceId;
      });
      await runner.advance(id);
      return load(id);
    },

    async get(principal: Principal, id: number): Promise<InstanceView> {
      const inst = await load(id);
      await assertSees(principal, inst);
      return inst;
    },

    async list(principal: Principal, q: { status?: InstanceStatus; documentType?: string; documentId?: string; page?: number; pageSize?: number } = {}): Promise<{ items: InstanceView[]; total: number }> {
      const all = await manager(principal);
      const base = () => {
        const b = db.read('instances').from(`${db.table('instances')} as i`);
        if (q.status) b.where('i.status', q.status);
        if (q.documentType) b.where('i.document_type', q.documentType);
        if (q.documentId) b.where('i.document_id', String(q.documentId));
        if (!all) b.where('i.started_by', principal.userId ?? -1);
        return b;
      };
      const pageSize = Math.min(100, Math.max(1, Math.trunc(q.pageSize ?? 20)));
      const page = Math.max(1, Math.trunc(q.page ?? 1));
      const total = Number(((await base().count('i.id as n').first()) as Row).n);
      const rows = (await base().leftJoin(`${db.table('templates')} as t`, 't.id', 'i.template_id').orderBy('i.id', 'desc').limit(pageSize).offset((page - 1) * pageSize).select(columns)) as Row[];
      return { items: rows.map(view), total };
    },

    /** Instances of one document the principal may read (the status panel). */
    async forDocument(principal: Principal, documentType: string, documentId: string): Promise<InstanceView[]> {
      if (!(await documents.get(documentType).canRead(principal, documentId))) throw coreErrors.ACCESS_DENIED();
      const rows = (await db.read('instances').from(`${db.table('instances')} as i`).leftJoin(`${db.table('templates')} as t`, 't.id', 'i.template_id').where({ 'i.document_type': documentType, 'i.document_id': documentId }).orderBy('i.id', 'desc').limit(50).select(columns)) as Row[];
      return rows.map(view);
    },

    async log(principal: Principal, id: number): Promise<LogEntry[]> {
      await api.get(principal, id);
      return ((await db.read('log').where({ instance_id: id }).orderBy('id')) as Row[]).map(toLog);
    },

    async tasks(principal: Principal, id: number): Promise<Task[]> {
      await api.get(principal, id);
      return ((await db.read('tasks').where({ instance_id: id }).orderBy('id')) as Row[]).map(toTask);
    },

    /** Stops a running instance (workflow.manage): its open tasks are cancelled and its timers dropped. */
    async terminate(principal: Principal, id: number): Promise<InstanceView> {
      await kernel.rights.assert(principal, 'workflow.manage');
      const inst = await load(id);
      const done = await db.transaction(async (tx) => {
        const n = await tx.table('instances').where({ id, status: 'running' }).update({ status: 'terminated', finished_at: Date.now() });
        if (!n) return false;
        await closeOpenWork(ctx, tx, id);
        await writeLog(tx, id, principal.userId, null, 'terminated', 'by an administrator');
        await events.emitAfter('workflow.instance.finished', { instanceId: id, status: 'terminated' }, tx);
        return true;
      });
      if (!done) throw wfErrors.WORKFLOW_INSTANCE_FINISHED(String(inst.id));
      return load(id);
    },
  };
  return api;
}
