import './events.js';
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import type { ModuleContext } from '../../core/modules/types.js';
import { DocumentRegistry } from './documents/adapter.js';
import { iblockAdapter } from './documents/iblock-adapter.js';
import { userAdapter, USER } from './documents/user-adapter.js';
import { Runner } from './engine/runner.js';
import { runTimers } from './engine/timers.js';
import { createInstancesApi } from './instances-api.js';
import { registerInfoblockHooks } from './statuses/hooks.js';
import { ELEMENT, StatusService } from './statuses/service.js';
import { createTasksApi } from './tasks-api.js';
import { createTemplatesApi } from './templates-api.js';
import { openTaskCount } from './engine/task-counts.js';

/** kernel.api('workflow'): templates, instances, tasks, document adapters and the classic document statuses. */
export function createWorkflowApi(ctx: ModuleContext) {
  const documents = new DocumentRegistry();
  const statuses = new StatusService(ctx);
  const runner = new Runner(ctx, documents, `${os.hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`);
  const templates = createTemplatesApi(ctx, documents);
  const instances = createInstancesApi(ctx, documents, templates, runner);
  const tasks = createTasksApi(ctx, runner);

  documents.register(iblockAdapter(ctx, statuses));
  documents.register(userAdapter(ctx));

  /** Starts the templates configured to start on this change; a failure is logged, never blocks the edit. */
  async function autoStart(type: string, id: string, on: 'create' | 'edit', userId: number | null): Promise<void> {
    try {
      const doc = await documents.load(type, id);
      for (const t of await templates.autoStarting(type, doc.scope, on)) {
        const running = await ctx.db.write('instances').where({ template_id: t.id, document_type: type, document_id: id, status: 'running' }).first('id');
        if (!running) await instances.startAsSystem(t.id, type, id, userId);
      }
    } catch (err) {
      ctx.log.warn({ err, type, id, on }, 'workflow: auto-start failed');
    }
  }

  registerInfoblockHooks(ctx, statuses, (kind, elementId, userId) => autoStart(ELEMENT, String(elementId), kind, userId));
  ctx.events.onAfter('main.user.created', (u) => autoStart(USER, String(u.id), 'create', null));
  // "My tasks" in the site header, with the open-task count (cached per user, invalidated when their tasks change).
  ctx.events.onBefore('main.layout.header', async ({ data }) => {
    const count = await openTaskCount(ctx, data.userId);
    data.items.push({ id: 'workflow-tasks', href: '/workflow/tasks/', label: ctx.t('WF_TASKS', data.language), title: ctx.t('WF_TASKS_COUNT_LABEL', data.language, { N: count }), count });
  });

  return {
    documents,
    templates,
    instances,
    tasks,
    statuses,
    /** One run of the timer agent (delays, deadlines, resuming instances whose process died). */
    runTimers: (now?: number) => runTimers(ctx, documents, runner, now),
    /** Advances one instance now (after a restart, from the CLI). */
    advance: (id: number) => runner.advance(id),
  };
}

export type WorkflowApi = ReturnType<typeof createWorkflowApi>;

declare module '../../core/modules/types.js' {
  interface ModuleApis {
    workflow: WorkflowApi;
  }
}
