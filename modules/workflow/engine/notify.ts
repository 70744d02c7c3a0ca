import type { ModuleContext } from '../../../core/modules/types.js';
import type { WorkflowDocument } from '../documents/adapter.js';
import type { Row } from './types.js';

/** Mails WORKFLOW_TASK to each new task's assignee, in their language, with a link to the task form. */
export async function notifyAssignees(ctx: ModuleContext, taskIds: number[], doc: WorkflowDocument): Promise<void> {
  if (!taskIds.length || !(await ctx.option<boolean>('notify_assignees'))) return;
  const { kernel } = ctx;
  const sites = await kernel.sites.list();
  const site = sites.find((s) => s.isDefault) ?? sites[0];
  const base = (kernel.config.http.publicUrl ?? '').replace(/\/$/, '');
  const rows = (await ctx.db.write('tasks').whereIn('id', taskIds)) as Row[];
  for (const t of rows) {
    const user = await kernel.users.find(Number(t.user_id));
    if (!user?.email) continue;
    try {
      await kernel.mail.send(
        'WORKFLOW_TASK',
        {
          EMAIL_TO: user.email,
          NAME: [user.name, user.lastName].filter(Boolean).join(' ') || user.login,
          TASK_TITLE: String(t.title),
          DOCUMENT_TITLE: doc.title,
          URL: `${base}/workflow/task/?id=${String(t.id)}`,
        },
        { siteId: site?.id ?? 's1', language: user.language ?? site?.language ?? 'en' },
      );
    } catch (err) {
      ctx.log.warn({ err, task: t.id }, 'workflow: task mail not queued');
    }
  }
}
