import type { ModuleContext } from '../../core/modules/types.js';
import type { Principal } from '../../core/services.js';
import { coreErrors } from '../../core/errors/codes.js';
import { wfErrors } from './errors.js';
import { decide, type DecisionInput } from './engine/decisions.js';
import type { Runner } from './engine/runner.js';
import { openTaskCount } from './engine/task-counts.js';
import { toTask, type Row, type Task, type TaskStatus } from './engine/types.js';

export interface TaskView extends Task {
  documentTitle: string;
  templateName: string;
  instanceStatus: string;
}

/** People's tasks: my list and its count, one task, and the decision on it. */
export function createTasksApi(ctx: ModuleContext, runner: Runner) {
  const { db } = ctx;
  const select = ['k.*', 'i.document_type', 'i.document_id', 'i.document_title', 'i.status as instance_status', 't.name as template_name'];
  const joined = () =>
    db.read('tasks').from(`${db.table('tasks')} as k`).join(`${db.table('instances')} as i`, 'i.id', 'k.instance_id').leftJoin(`${db.table('templates')} as t`, 't.id', 'i.template_id');
  const view = (r: Row): TaskView => ({ ...toTask(r), documentTitle: String(r.document_title ?? ''), templateName: String(r.template_name ?? ''), instanceStatus: String(r.instance_status ?? '') });
  const me = (p: Principal): number => {
    if (p.userId === null) throw coreErrors.UNAUTHENTICATED();
    return p.userId;
  };

  return {
    /** The principal's tasks, newest first (open ones by default). */
    async mine(principal: Principal, q: { status?: TaskStatus | 'closed'; page?: number; pageSize?: number } = {}): Promise<{ items: TaskView[]; total: number }> {
      const userId = me(principal);
      const status = q.status ?? 'open';
      const pageSize = Math.min(100, Math.max(1, Math.trunc(q.pageSize ?? 20)));
      const page = Math.max(1, Math.trunc(q.page ?? 1));
      const countQ = status === 'closed' ? db.read('tasks').where('user_id', userId).whereNot('status', 'open') : db.read('tasks').where({ user_id: userId, status });
      const total = Number(((await countQ.count('id as n').first()) as Row).n);
      const listQ = status === 'closed' ? joined().where('k.user_id', userId).whereNot('k.status', 'open') : joined().where({ 'k.user_id': userId, 'k.status': status });
      const rows = (await listQ.orderBy('k.created_at', 'desc').orderBy('k.id', 'desc').limit(pageSize).offset((page - 1) * pageSize).select(select)) as Row[];
      return { items: rows.map(view), total };
    },

    /** How many open tasks the principal has (the header badge). */
    async count(principal: Principal): Promise<number> {
      if (principal.userId === null) return 0;
      return openTaskCount(ctx, principal.userId);
    },

    /** One task: its assignee sees it, and so do managers. */
    async get(principal: Principal, id: number): Promise<TaskView> {
      const row = (await joined().where('k.id', id).first(select)) as Row | undefined;
      if (!row) throw wfErrors.WORKFLOW_TASK_NOT_FOUND(String(id));
      const task = view(row);
      if (task.userId !== principal.userId && !(await ctx.kernel.rights.can(principal, 'workflow.manage'))) throw wfErrors.WORKFLOW_TASK_NOT_YOURS(String(id));
      return task;
    },

    /** Applies the assignee's decision, then advances the instance when the decision closed the round. */
    async decide(principal: Principal, id: number, input: DecisionInput): Promise<Task> {
      const { task, roundClosed } = await decide(ctx, principal, id, input);
      if (roundClosed) await runner.advance(task.instanceId);
      return task;
    },
  };
}
