import type { ModuleContext } from '../../../core/modules/types.js';
import type { ModuleTx } from '../../../core/db/module-db.js';
import type { Principal } from '../../../core/services.js';
import { coreErrors } from '../../../core/errors/codes.js';
import { wfErrors } from '../errors.js';
import { escalationLevels, parseTemplate, seconds, walk, type Activity, type Assignee } from '../schema.js';
import { outcomeOf, parseQuorum, type RoundKind } from './quorum.js';
import { resolveAssignees } from './assignees.js';
import { toTask, type Decision, type Row, type Task } from './types.js';
import { writeLog } from './runner.js';
import type { DocumentRegistry } from '../documents/adapter.js';
import { mailPendingFlag, notifyAssignees } from './notify.js';
import { closeOpenTasks, tasksChangedFor } from './task-counts.js';

export interface DecisionInput {
  decision: Decision;
  comment?: string;
  values?: Record<string, unknown>;
}

const ALLOWED: Record<RoundKind, Decision[]> = { approve: ['approve', 'reject'], review: ['ack'], request: ['submit'] };

/**
 * One person's decision on their task. The round's row is locked first (a conditional UPDATE while it has no
 * outcome), so decisions on one round are applied one after the other: the one that reaches the quorum closes the
 * round and the others' open tasks, and a decision arriving after that is refused (WORKFLOW_TASK_CLOSED) and changes
 * nothing.
 */
export async function decide(ctx: ModuleContext, principal: Principal, taskId: number, input: DecisionInput): Promise<{ task: Task; roundClosed: boolean }> {
  const { db, events } = ctx;
  const row = (await db.write('tasks').where({ id: taskId }).first()) as Row | undefined;
  if (!row) throw wfErrors.WORKFLOW_TASK_NOT_FOUND(String(taskId));
  const userId = principal.userId;
  if (userId === null) throw coreErrors.UNAUTHENTICATED();
  const task = toTask(row);
  if (task.userId !== userId) throw wfErrors.WORKFLOW_TASK_NOT_YOURS(String(taskId));
  if (task.status !== 'open') throw wfErrors.WORKFLOW_TASK_CLOSED(String(taskId));
  if (!ALLOWED[task.kind].includes(input.decision)) throw wfErrors.WORKFLOW_DECISION_INVALID(`A ${task.kind} task takes ${ALLOWED[task.kind].join(' or ')}, not "${String(input.decision)}"`);
  const comment = typeof input.comment === 'string' ? input.comment.slice(0, 4000) : '';
  if (input.decision === 'reject' && (await ctx.option<boolean>('reject_needs_comment')) && !comment.trim()) throw wfErrors.WORKFLOW_DECISION_INVALID('A rejection needs a comment');
  const values = task.kind === 'request' ? checkValues(task, input.values ?? {}) : null;
  const data = await events.runBefore('workflow.task.decide', { task, decision: input.decision, comment, userId });

  const now = Date.now();
  const closed = await db.transaction(async (tx) => {
    // The lock comes first: on MariaDB the transaction's read snapshot starts at its first plain SELECT, so every
    // read after the lock sees the decisions committed by whoever held it before.
    const locked = await tx.table('rounds').where({ id: task.roundId }).whereNull('outcome').update({ version: tx.knex.raw('version + 1') });
    if (!locked) throw wfErrors.WORKFLOW_TASK_CLOSED(String(taskId));
    const instance = (await tx.table('instances').where({ id: task.instanceId }).first('status')) as Row | undefined;
    if (instance?.status !== 'running') throw wfErrors.WORKFLOW_INSTANCE_FINISHED(String(task.instanceId));
    const mine = await tx.table('tasks').where({ id: taskId, status: 'open' }).update({ status: 'done', decision: data.decision, comment: data.comment, values: values ? JSON.stringify(values) : null, completed_at: now });
    if (!mine) throw wfErrors.WORKFLOW_TASK_CLOSED(String(taskId));
    tasksChangedFor(ctx, tx, [userId]);
    await writeLog(tx, task.instanceId, userId, null, `task.${data.decision}`, data.comment);
    const closedRound = await settleRound(ctx, tx, task.roundId, now);
    await events.emitAfter('workflow.task.completed', { taskId, instanceId: task.instanceId, decision: data.decision, userId }, tx);
    return closedRound;
  });
  // The row as the transaction left it (the UPDATE above matched it while open), without reading it again.
  const doneRow = { ...row, status: 'done', decision: data.decision, comment: data.comment, values: values ? JSON.stringify(values) : null, completed_at: now };
  return { task: toTask(doneRow), roundClosed: closed };
}

/** Applies the quorum to a locked round: sets its outcome and closes the other open tasks when it is decided. */
async function settleRound(ctx: ModuleContext, tx: ModuleTx, roundId: number, now: number, forced?: 'approved' | 'rejected'): Promise<boolean> {
  const round = (await tx.table('rounds').where({ id: roundId }).first()) as Row;
  const tasks = (await tx.table('tasks').where({ round_id: roundId }).whereNot({ status: 'expired' }).select('status', 'decision', 'deadline_at')) as Row[];
  const done = tasks.filter((t) => t.status === 'done');
  const counts = { total: tasks.length, yes: done.filter((t) => t.decision !== 'reject').length, no: done.filter((t) => t.decision === 'reject').length };
  const outcome = forced ?? outcomeOf(String(round.kind) as RoundKind, parseQuorum(String(round.quorum)), counts);
  if (!outcome) return false;
  await tx.table('rounds').where({ id: roundId }).update({ outcome, decided_at: now });
  await closeOpenTasks(ctx, tx, (q) => q.where({ round_id: roundId }), { status: 'cancelled', completed_at: now });
  // Only a round with a deadline has a timer (its open tasks carry the deadline).
  if (tasks.some((t) => t.deadline_at !== null && t.deadline_at !== undefined)) await tx.table('timers').where({ round_id: roundId, status: 'pending' }).update({ status: 'cancelled' });
  await tx.table('instances').where({ id: Number(round.instance_id) }).update({ needs_run: true });
  await writeLog(tx, Number(round.instance_id), null, String(round.activity), 'round.decided', outcome);
  return true;
}

function checkValues(task: Task, given: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of task.fields) {
    const raw = Object.hasOwn(given, f.name) ? given[f.name] : undefined;
    const empty = raw === undefined || raw === null || raw === '';
    if (empty) {
      if (f.required) throw wfErrors.WORKFLOW_FORM_INVALID(`Field "${f.label}" is required`, { field: f.name });
      out[f.name] = f.type === 'boolean' ? false : null;
      continue;
    }
    if (f.type === 'number') {
      const n = Number(raw);
      if (!Number.isFinite(n)) throw wfErrors.WORKFLOW_FORM_INVALID(`Field "${f.label}" must be a number`, { field: f.name });
      out[f.name] = n;
    } else if (f.type === 'boolean') out[f.name] = raw === true || raw === 'Y' || raw === 'on' || raw === '1' || raw === 'true';
    else if (f.type === 'date') {
      if (typeof raw !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(raw)) throw wfErrors.WORKFLOW_FORM_INVALID(`Field "${f.label}" must be a date YYYY-MM-DD`, { field: f.name });
      out[f.name] = raw;
    } else out[f.name] = String(raw).slice(0, f.type === 'text' ? 20000 : 1000);
  }
  return out;
}

/**
 * A deadline passed: the round goes to the next escalation level that names at least one active user (a level that
 * resolves to nobody is skipped, and the log says so); those people get tasks (the open ones expire) and the level's
 * deadline. After the last level, or without levels, the round is decided by `then` (default reject).
 */
export async function expireDeadline(ctx: ModuleContext, documents: DocumentRegistry, timerId: number): Promise<number | null> {
  const { db } = ctx;
  const timer = (await db.write('timers').where({ id: timerId }).first()) as Row;
  const instanceId = Number(timer.instance_id);
  const inst = (await db.write('instances').where({ id: instanceId }).first()) as Row | undefined;
  if (!inst || inst.status !== 'running') return null;
  const activity = findActivity(parseTemplate(JSON.parse(String(inst.definition))), String(timer.activity));
  if (activity?.type !== 'approve' || !activity.deadline) return null;
  const deadline = activity.deadline;
  const round = (await db.write('rounds').where({ id: Number(timer.round_id) }).first()) as Row;
  const levels = escalationLevels(deadline);
  let level = Number(round.escalation_level ?? 0);
  const skipped: number[] = [];
  let people: number[] = [];
  if (level < levels.length) {
    const doc = await documents.load(String(inst.document_type), String(inst.document_id));
    for (; level < levels.length; level++) {
      people = await resolveAssignees(ctx.kernel, levels[level]!.to as Assignee[], doc);
      if (people.length) break;
      skipped.push(level + 1);
    }
  }
  const next = people.length ? levels[level]! : null;
  const now = Date.now();
  const mailPending = await mailPendingFlag(ctx);
  const newTasks = await db.transaction(async (tx) => {
    const locked = await tx.table('rounds').where({ id: round.id }).whereNull('outcome').update({ version: tx.knex.raw('version + 1') });
    if (!locked) return [];
    for (const n of skipped) await writeLog(tx, instanceId, null, String(timer.activity), 'deadline.level.skipped', `level ${n}: nobody`);
    if (next) {
      const open = (await tx.table('tasks').where({ round_id: round.id, status: 'open' }).first()) as Row | undefined;
      await closeOpenTasks(ctx, tx, (q) => q.where({ round_id: round.id }), { status: 'expired', completed_at: now });
      tasksChangedFor(ctx, tx, people);
      const due = now + seconds(next.after) * 1000;
      await tx.table('tasks').insert(people.map((user_id) => ({ instance_id: instanceId, round_id: round.id, kind: 'approve', title: String(open?.title ?? activity.title ?? 'Approve'), description: String(open?.description ?? ''), user_id, status: 'open', created_at: now, deadline_at: due, mail_pending: mailPending })));
      await tx.table('rounds').where({ id: round.id }).update({ escalated: true, escalation_level: level + 1 });
      await tx.table('timers').insert({ instance_id: instanceId, kind: 'deadline', round_id: round.id, activity: String(timer.activity), due_at: due, status: 'pending' });
      await writeLog(tx, instanceId, null, String(timer.activity), 'deadline.escalated', `level ${level + 1}: ${people.length} assignee(s)`);
      const ids = ((await tx.table('tasks').where({ round_id: round.id, status: 'open' }).pluck('id')) as unknown[]).map(Number);
      for (const taskId of ids) await ctx.events.emitAfter('workflow.task.created', { taskId, instanceId }, tx);
      return ids;
    }
    await closeOpenTasks(ctx, tx, (q) => q.where({ round_id: round.id }), { status: 'expired', completed_at: now });
    await writeLog(tx, instanceId, null, String(timer.activity), 'deadline.passed', deadline.then ?? 'reject');
    await settleRound(ctx, tx, Number(round.id), now, deadline.then === 'approve' ? 'approved' : 'rejected');
    return [];
  });
  await notifyAssignees(ctx, newTasks);
  return instanceId;
}

/** The activity at a path key ("a.0.onApprove.1", "s.review.0") of a template. */
export function findActivity(def: ReturnType<typeof parseTemplate>, key: string): Activity | null {
  let found: Activity | null = null;
  const lists: [Activity[], string][] = def.root.type === 'sequence' ? [[def.root.activities, 'a']] : Object.entries(def.root.states).map(([n, s]) => [s.activities, `s.${n}`]);
  for (const [list, prefix] of lists) walk(list, [prefix], (a, path) => {
    if (path.join('.') === key) found = a;
  });
  return found;
}
