import type { Knex } from 'knex';
import type { ModuleContext } from '../../../core/modules/types.js';
import { isPortalError } from '../../../core/errors/portal-error.js';
import type { Row } from './types.js';

/**
 * WORKFLOW_TASK mails, exactly once per task. The transaction that creates a task sets its `mail_pending` (the
 * outbox); after the commit the mail is queued with the idempotency key of the task and the flag is cleared. A process
 * that dies between the commit and the queueing leaves the flag set, and the timer agent queues the mail
 * (`requeueTaskMails`); one that dies after the queueing and before the clearing makes the agent send again with the
 * same key, and the kernel's mail queue keeps the first copy.
 */

/** The idempotency key of a task's mail in the kernel's mail queue. */
export const taskMailKey = (taskId: number): string => `workflow:task-mail:${taskId}`;

/** Tasks left pending for this long are taken to belong to a process that died before queueing their mail. */
export const MAIL_GRACE_MS = 30_000;

/** The value of `mail_pending` for tasks created now (false when the portal does not mail people their tasks). */
export async function mailPendingFlag(ctx: ModuleContext): Promise<boolean> {
  return Boolean(await ctx.option<boolean>('notify_assignees'));
}

/** Queues the mails of these tasks that are still pending (after the commit that created them). */
export async function notifyAssignees(ctx: ModuleContext, taskIds: number[]): Promise<number> {
  if (!taskIds.length) return 0;
  return queueTaskMails(ctx, (await pendingRows(ctx).whereIn('k.id', taskIds)) as Row[]);
}

/** The agent's part: queues the mails of tasks pending for longer than MAIL_GRACE_MS (a process died). */
export async function requeueTaskMails(ctx: ModuleContext, now = Date.now()): Promise<number> {
  const rows = (await pendingRows(ctx).where('k.created_at', '<=', now - MAIL_GRACE_MS).orderBy('k.id').limit(200)) as Row[];
  return queueTaskMails(ctx, rows);
}

function pendingRows(ctx: ModuleContext): Knex.QueryBuilder {
  const { db } = ctx;
  return db
    .write('tasks')
    .from(`${db.table('tasks')} as k`)
    .join(`${db.table('instances')} as i`, 'i.id', 'k.instance_id')
    .where('k.mail_pending', true)
    .select('k.id', 'k.user_id', 'k.title', 'k.status', 'i.document_title');
}

async function queueTaskMails(ctx: ModuleContext, rows: Row[]): Promise<number> {
  if (!rows.length) return 0;
  const { kernel } = ctx;
  const sites = await kernel.sites.list();
  const site = sites.find((s) => s.isDefault) ?? sites[0];
  const base = (kernel.config.http.publicUrl ?? '').replace(/\/$/, '');
  let queued = 0;
  for (const t of rows) {
    const id = Number(t.id);
    let settled = true;
    const user = t.status === 'open' ? await kernel.users.find(Number(t.user_id)) : null;
    if (user?.email) {
      try {
        await kernel.mail.send(
          'WORKFLOW_TASK',
          {
            EMAIL_TO: user.email,
            NAME: [user.name, user.lastName].filter(Boolean).join(' ') || user.login,
            TASK_TITLE: String(t.title),
            DOCUMENT_TITLE: String(t.document_title ?? ''),
            URL: `${base}/workflow/task/?id=${id}`,
          },
          { siteId: site?.id ?? 's1', language: user.language ?? site?.language ?? 'en', key: taskMailKey(id) },
        );
        queued++;
      } catch (err) {
        // A coded refusal (no such event, a bad address) will not change on a retry; anything else is tried again.
        settled = isPortalError(err);
        ctx.log.warn({ err, task: id }, 'workflow: task mail not queued');
      }
    }
    if (settled) await ctx.db.write('tasks').where({ id }).update({ mail_pending: false });
  }
  return queued;
}
