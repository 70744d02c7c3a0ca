import type { ModuleContext } from '../../../core/modules/types.js';
import type { DocumentRegistry } from '../documents/adapter.js';
import { expireDeadline } from './decisions.js';
import type { Runner } from './runner.js';
import type { Row } from './types.js';
import { requeueTaskMails } from './notify.js';

/**
 * The agent `workflow.timers`: fires due delays and deadlines (each claimed with a conditional UPDATE, so once across
 * nodes), resumes instances that wait for a run or whose lease ran out because their process died, and queues the
 * task mails that a dead process left pending.
 */
export async function runTimers(ctx: ModuleContext, documents: DocumentRegistry, runner: Runner, now = Date.now()): Promise<{ fired: number; resumed: number; mailed: number }> {
  const { db } = ctx;
  const due = (await db.write('timers').where({ status: 'pending' }).where('due_at', '<=', now).orderBy('due_at').limit(200)) as Row[];
  const touched = new Set<number>();
  let fired = 0;
  for (const t of due) {
    const claimed = await db.write('timers').where({ id: t.id, status: 'pending' }).update({ status: 'fired' });
    if (!claimed) continue;
    fired++;
    if (t.kind === 'deadline') {
      const id = await expireDeadline(ctx, documents, Number(t.id));
      if (id !== null) touched.add(id);
    } else {
      await db.write('instances').where({ id: t.instance_id, status: 'running' }).update({ needs_run: true });
      touched.add(Number(t.instance_id));
    }
  }
  const stale = (await db
    .write('instances')
    .where({ status: 'running' })
    .andWhere((q) => q.where((w) => w.where({ needs_run: true }).whereNull('lease_owner')).orWhere('lease_until', '<', now))
    .limit(200)
    .pluck('id')) as unknown[];
  for (const id of stale) touched.add(Number(id));
  for (const id of touched) await runner.advance(id);
  const mailed = await requeueTaskMails(ctx, now);
  return { fired, resumed: touched.size, mailed };
}
