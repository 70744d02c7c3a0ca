import type { ModuleContext } from '../../../core/modules/types.js';
import type { ModuleTx } from '../../../core/db/module-db.js';
import { toBool } from '../../../core/db/module-db.js';
import type { DocumentRegistry, WorkflowDocument } from '../documents/adapter.js';
import { children, parseTemplate, seconds, type Activity, type TemplateDefinition } from '../schema.js';
import { matchFilter } from './filter-match.js';
import { resolveAssignees } from './assignees.js';
import { quorumText } from './quorum.js';
import { interpolate } from './interpolate.js';
import type { InstanceState, NodeState, Row } from './types.js';
import { mailPendingFlag, notifyAssignees } from './notify.js';
import { closeOpenTasks, tasksChangedFor } from './task-counts.js';

type StepResult = 'done' | 'wait' | 'stop' | { setState: string };

/** Thrown when this process no longer holds the instance's lease (another node took it over). */
class LeaseLost extends Error {}

const MAX_PASSES = 20;
const MAX_TRANSITIONS = 200;

/**
 * Advances instances. Only the holder of an instance's lease (a conditional UPDATE on workflow_instances) runs it;
 * the state is saved after every step together with the rows the step created, so a process killed mid-flow leaves
 * the instance at its last saved step, and whichever node takes the lease next carries on from there.
 */
export class Runner {
  constructor(
    private readonly ctx: ModuleContext,
    private readonly documents: DocumentRegistry,
    private readonly owner: string,
  ) {}

  private async leaseMs(): Promise<number> {
    return Math.max(1, Number(await this.ctx.option<number>('lease_seconds'))) * 1000;
  }

  /** Runs the instance until it waits or ends, if no other process holds it; again while someone asked for a run. */
  async advance(id: number): Promise<void> {
    const { db } = this.ctx;
    for (let pass = 0; pass < MAX_PASSES; pass++) {
      const now = Date.now();
      const claimed = await db
        .write('instances')
        .where({ id, status: 'running' })
        .andWhere((q) => q.whereNull('lease_owner').orWhere('lease_until', '<', now))
        .update({ lease_owner: this.owner, lease_until: now + (await this.leaseMs()), needs_run: false });
      if (!claimed) return;
      let finished = false;
      try {
        finished = await this.runClaimed(id);
      } catch (err) {
        if (err instanceof LeaseLost) return;
        this.ctx.log.error({ err, instance: id }, 'workflow instance failed');
        await this.fail(id, err instanceof Error ? err.message : String(err));
      } finally {
        // A finished instance gave its lease up in the same UPDATE that finished it.
        if (!finished) await db.write('instances').where({ id, lease_owner: this.owner }).update({ lease_owner: null, lease_until: null });
      }
      if (finished) return;
      const row = (await db.write('instances').where({ id }).first('status', 'needs_run')) as Row | undefined;
      if (!row || row.status !== 'running' || !toBool(row.needs_run)) return;
    }
  }

  private async fail(id: number, message: string): Promise<void> {
    const { db, events } = this.ctx;
    await db.transaction(async (tx) => {
      const n = await tx.table('instances').where({ id, status: 'running' }).update({ status: 'failed', error: message.slice(0, 2000), finished_at: Date.now() });
      if (!n) return;
      await closeOpenWork(this.ctx, tx, id);
      await writeLog(tx, id, null, null, 'failed', message);
      await events.emitAfter('workflow.instance.finished', { instanceId: id, status: 'failed' }, tx);
    });
  }

  /** Runs a claimed instance until it waits (false) or ends (true). */
  private async runClaimed(id: number): Promise<boolean> {
    const row = (await this.ctx.db.write('instances').where({ id }).first()) as Row;
    const def = parseTemplate(JSON.parse(String(row.definition)));
    const state = JSON.parse(String(row.state)) as InstanceState;
    const doc = await this.documents.load(String(row.document_type), String(row.document_id));
    const run = new Execution(this.ctx, this.documents, this.owner, await this.leaseMs(), id, def, state, doc, Number(row.version));
    const result = await run.root();
    if (result === 'wait') {
      await run.flush();
      return false;
    }
    await run.finish(result === 'stop' ? 'terminated' : 'completed');
    return true;
  }
}

/**
 * One pass over an instance's activities with its saved state; steps that finished before are skipped.
 *
 * Steps without side effects outside the instance (setVariable, a condition's branch, a round's outcome, the end of
 * an activity) do not write at once: their log rows wait in `pending` and go out with the next save, which comes
 * before the next step that writes elsewhere (a round's tasks, a timer, setField, setStatus), when the run waits, and
 * in the instance's last transaction. A process that dies in between leaves the state as saved before those steps,
 * and the run that takes over repeats them, which changes nothing outside; `sendMail` repeats with the same
 * idempotency key (the saved version did not change), so the queue keeps one copy.
 */
class Execution {
  /** Log rows of steps done since the last save. */
  private pending: { activity: string | null; action: string; note: string }[] = [];
  /** The state as last saved (JSON), to tell whether a save has anything to write. */
  private saved: string;

  constructor(
    private readonly ctx: ModuleContext,
    private readonly documents: DocumentRegistry,
    private readonly owner: string,
    private readonly leaseMs: number,
    private readonly id: number,
    private readonly def: TemplateDefinition,
    private readonly state: InstanceState,
    private doc: WorkflowDocument,
    /** The instance's saved-state version (each save adds one): names a step's side effects across re-runs. */
    private version: number,
  ) {
    this.saved = JSON.stringify(state);
  }

  async root(): Promise<'done' | 'wait' | 'stop'> {
    const root = this.def.root;
    if (root.type === 'sequence') {
      const r = await this.list(root.activities, 'a');
      return typeof r === 'object' ? 'done' : r;
    }
    this.state.current ??= root.initial;
    for (let i = 0; i < MAX_TRANSITIONS; i++) {
      const name = this.state.current;
      const st = root.states[name]!;
      const r = await this.list(st.activities, `s.${name}`);
      if (typeof r !== 'object') return r;
      this.reset(`s.${name}`);
      this.state.current = r.setState;
      await this.log(null, 'state', `${name} → ${r.setState}`);
      await this.save();
    }
    throw new Error(`more than ${MAX_TRANSITIONS} state changes in one run`);
  }

  private async list(list: Activity[], prefix: string): Promise<StepResult> {
    for (let i = 0; i < list.length; i++) {
      const r = await this.step(list[i]!, `${prefix}.${i}`);
      if (r !== 'done') return r;
    }
    return 'done';
  }

  private node(key: string): NodeState {
    return (this.state.nodes[key] ??= {});
  }

  /** Forgets the state of every activity below `prefix` (a loop's next turn, a state entered again). */
  private reset(prefix: string): void {
    for (const k of Object.keys(this.state.nodes)) if (k.startsWith(`${prefix}.`)) delete this.state.nodes[k];
  }

  private async step(a: Activity, key: string): Promise<StepResult> {
    const st = this.node(key);
    if (st.done) return 'done';
    switch (a.type) {
      case 'approve':
      case 'review':
      case 'request':
        return this.round(a, key, st);
      case 'setField': {
        await this.flush();
        const fields: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(a.fields)) fields[k] = typeof v === 'string' ? this.text(v) : v;
        await this.documents.get(this.doc.type).setFields(this.doc.id, fields);
        this.doc = await this.documents.load(this.doc.type, this.doc.id);
        return this.complete(st, key, 'setField', Object.keys(fields).join(', '));
      }
      case 'setStatus': {
        await this.flush();
        const adapter = this.documents.get(this.doc.type);
        if (!adapter.setStatus) throw new Error(`documents of type ${this.doc.type} have no statuses`);
        await adapter.setStatus(this.doc.id, a.status, null);
        this.doc = await this.documents.load(this.doc.type, this.doc.id);
        return this.complete(st, key, 'setStatus', a.status);
      }
      case 'sendMail':
        await this.sendMail(a, key);
        return this.complete(st, key, 'sendMail', a.subject);
      case 'setVariable':
        this.state.vars[a.name] = typeof a.value === 'string' ? this.text(a.value) : a.value;
        return this.complete(st, key, 'setVariable', a.name);
      case 'if': {
        if (!st.branch) {
          st.branch = (await this.matches(a.condition)) ? 'then' : 'else';
          await this.log(key, 'condition', st.branch);
        }
        const r = await this.list(a[st.branch], `${key}.${st.branch}`);
        if (r === 'done') st.done = true;
        return r;
      }
      case 'parallel': {
        const results = [];
        for (let b = 0; b < a.branches.length; b++) results.push(await this.list(a.branches[b]!, `${key}.branches.${b}`));
        const jump = results.find((r) => r === 'stop' || typeof r === 'object');
        if (jump) return jump;
        if (results.every((r) => r === 'done')) return this.complete(st, key, 'parallel', '');
        return 'wait';
      }
      case 'delay':
        return this.delay(a.for, key, st);
      case 'while':
        for (;;) {
          if (!st.inBody) {
            st.iter ??= 0;
            if (st.iter >= a.maxIterations || !(await this.matches(a.condition))) return this.complete(st, key, 'loop', `${st.iter} turns`);
            st.inBody = true;
          }
          const r = await this.list(a.body, `${key}.body`);
          if (r !== 'done') return r;
          this.reset(`${key}.body`);
          st.iter = (st.iter ?? 0) + 1;
          st.inBody = false;
          await this.save();
        }
      case 'setState':
        return { setState: a.state };
      case 'terminate':
        await this.log(key, 'terminate', '');
        return 'stop';
    }
  }

  private async complete(st: NodeState, key: string, action: string, note: string): Promise<'done'> {
    st.done = true;
    await this.log(key, action, note);
    return 'done';
  }

  /** Approve, review and request: open a round with a task per assignee, then wait for its outcome. */
  private async round(a: Extract<Activity, { type: 'approve' | 'review' | 'request' }>, key: string, st: NodeState): Promise<StepResult> {
    const { db } = this.ctx;
    if (!st.round) {
      const users = await resolveAssignees(this.ctx.kernel, a.assignees, this.doc);
      if (!users.length) throw new Error(`${key} (${a.type}): the assignees name no active user`);
      const now = Date.now();
      const quorum = a.type === 'request' ? 'any' : a.quorum;
      const deadlineAt = a.type === 'approve' && a.deadline ? now + seconds(a.deadline.after) * 1000 : null;
      const title = this.text(a.title ?? this.ctx.t(a.type === 'approve' ? 'WF_TASK_APPROVE' : a.type === 'review' ? 'WF_TASK_REVIEW' : 'WF_TASK_REQUEST', undefined, { DOCUMENT: this.doc.title }));
      const mailPending = await mailPendingFlag(this.ctx);
      const taskIds = await db.transaction(async (tx) => {
        const [roundId] = await tx.table('rounds').insert({ instance_id: this.id, activity: key, kind: a.type, quorum: quorumText(quorum), created_at: now });
        st.round = Number(roundId);
        const rows = users.map((user_id) => ({
          instance_id: this.id, round_id: st.round, kind: a.type, title: title.slice(0, 300), description: this.text(a.description ?? ''),
          fields: a.type === 'request' ? JSON.stringify(a.fields) : null, user_id, status: 'open', created_at: now, deadline_at: deadlineAt, mail_pending: mailPending,
        }));
        await tx.table('tasks').insert(rows);
        tasksChangedFor(this.ctx, tx, users);
        if (deadlineAt !== null) await tx.table('timers').insert({ instance_id: this.id, kind: 'deadline', round_id: st.round, activity: key, due_at: deadlineAt, status: 'pending' });
        await writeLog(tx, this.id, null, key, `${a.type}.started`, `${users.length} assignee(s), quorum ${quorumText(quorum)}`);
        await this.save(tx);
        const ids = ((await tx.table('tasks').where({ round_id: st.round }).pluck('id')) as unknown[]).map(Number);
        for (const taskId of ids) await this.ctx.events.emitAfter('workflow.task.created', { taskId, instanceId: this.id }, tx);
        return ids;
      });
      await notifyAssignees(this.ctx, taskIds);
      return 'wait';
    }
    if (!st.outcome) {
      const round = (await db.write('rounds').where({ id: st.round }).first('outcome')) as Row | undefined;
      if (!round?.outcome) return 'wait';
      st.outcome = String(round.outcome) as NodeState['outcome'];
      if (a.id) this.state.vars[a.id] = st.outcome;
      if (a.type === 'request') await this.copyAnswers(st.round);
    }
    if (a.type !== 'approve') return this.complete(st, key, `${a.type}.finished`, st.outcome!);
    const branch = st.outcome === 'approved' ? 'onApprove' : 'onReject';
    const r = await this.list(a[branch], `${key}.${branch}`);
    if (r === 'done') return this.complete(st, key, 'approve.finished', st.outcome!);
    return r;
  }

  private async copyAnswers(roundId: number): Promise<void> {
    const row = (await this.ctx.db.write('tasks').where({ round_id: roundId, status: 'done' }).orderBy('completed_at').first('values')) as Row | undefined;
    const values = row?.values ? (JSON.parse(String(row.values)) as Record<string, unknown>) : {};
    for (const [k, v] of Object.entries(values)) this.state.vars[k] = v;
  }

  private async delay(d: number | string, key: string, st: NodeState): Promise<StepResult> {
    if (!st.timer) {
      await this.ctx.db.transaction(async (tx) => {
        const [timerId] = await tx.table('timers').insert({ instance_id: this.id, kind: 'delay', activity: key, due_at: Date.now() + seconds(d) * 1000, status: 'pending' });
        st.timer = Number(timerId);
        await writeLog(tx, this.id, null, key, 'delay.started', `${seconds(d)} s`);
        await this.save(tx);
      });
      return 'wait';
    }
    const timer = (await this.ctx.db.write('timers').where({ id: st.timer }).first('status')) as Row | undefined;
    if (timer?.status !== 'fired') return 'wait';
    return this.complete(st, key, 'delay.finished', '');
  }

  private async matches(condition: Record<string, unknown>): Promise<boolean> {
    const usesVars = JSON.stringify(condition).includes('VAR_');
    const adapter = this.documents.get(this.doc.type);
    if (!usesVars && adapter.matches) return adapter.matches(this.doc, condition);
    const fields: Record<string, unknown> = { ...this.doc.fields };
    for (const [k, v] of Object.entries(this.state.vars)) fields[`VAR_${k}`] = v;
    return matchFilter(fields, condition);
  }

  private text(template: string): string {
    return interpolate(template, this.doc, this.state.vars);
  }

  /**
   * Queues the mails with an idempotency key of the instance, the step and the saved-state version. A run that died
   * after queueing and before saving the step left that version as it was, so the run that takes over repeats the
   * same keys and the mail queue keeps the first copy; a later turn of a loop has a newer version and sends again.
   */
  private async sendMail(a: Extract<Activity, { type: 'sendMail' }>, key: string): Promise<void> {
    const { kernel } = this.ctx;
    let to: string[];
    if (typeof a.to === 'string') to = [this.text(a.to)];
    else to = (await Promise.all((await resolveAssignees(kernel, a.to, this.doc)).map(async (id) => (await kernel.users.find(id))?.email ?? ''))).filter(Boolean);
    const site = (await kernel.sites.list()).find((s) => s.isDefault) ?? (await kernel.sites.list())[0];
    for (const [i, email] of to.entries()) {
      await kernel.mail.send(
        'WORKFLOW_MAIL',
        { EMAIL_TO: email, SUBJECT: this.text(a.subject), BODY: this.text(a.body), DOCUMENT_TITLE: this.doc.title, URL: this.doc.url },
        { siteId: site?.id ?? 's1', language: site?.language ?? 'en', key: `workflow:${this.id}:${this.version}:${key}:${i}` },
      );
    }
  }

  /** A log row, written with the next save. */
  private async log(activity: string | null, action: string, note: string): Promise<void> {
    this.pending.push({ activity, action, note });
  }

  /** Writes the pending log rows (and `last`, if given) in one INSERT. */
  private async writePending(tx: ModuleTx, last?: { activity: string | null; action: string; note: string }): Promise<void> {
    const rows = last ? [...this.pending, last] : this.pending;
    this.pending = [];
    if (!rows.length) return;
    const at = Date.now();
    await tx.table('log').insert(rows.map((l) => ({ instance_id: this.id, at, user_id: null, activity: l.activity, action: l.action, note: l.note.slice(0, 2000) })));
  }

  /** Saves what changed since the last save, if anything did. */
  async flush(): Promise<void> {
    if (this.pending.length || JSON.stringify(this.state) !== this.saved) await this.save();
  }

  /**
   * Saves the state and the pending log rows if this process still holds the lease (and extends it); else stops this
   * run. Without `tx`, one statement when no log rows wait, else a transaction of its own.
   */
  async save(tx?: ModuleTx): Promise<void> {
    if (!tx && this.pending.length) return this.ctx.db.transaction((t) => this.save(t));
    if (tx) await this.writePending(tx);
    const q = tx ? tx.table('instances') : this.ctx.db.write('instances');
    const state = JSON.stringify(this.state);
    const n = await q
      .where({ id: this.id, lease_owner: this.owner })
      .update({ state, version: (tx ? tx.knex : this.ctx.db).raw('version + 1'), lease_until: Date.now() + this.leaseMs });
    if (!n) throw new LeaseLost();
    this.version++;
    this.saved = state;
  }

  /** Ends the instance with its pending log rows, and gives its lease up, in one transaction. */
  async finish(status: 'completed' | 'terminated'): Promise<void> {
    await this.ctx.db.transaction(async (tx) => {
      const n = await tx.table('instances').where({ id: this.id, lease_owner: this.owner, status: 'running' }).update({ status, state: JSON.stringify(this.state), finished_at: Date.now(), lease_owner: null, lease_until: null });
      if (!n) throw new LeaseLost();
      await closeOpenWork(this.ctx, tx, this.id);
      await this.writePending(tx, { activity: null, action: status, note: '' });
      await this.ctx.events.emitAfter('workflow.instance.finished', { instanceId: this.id, status }, tx);
    });
  }
}

/** Cancels the open tasks and pending timers of an instance that ended. */
export async function closeOpenWork(ctx: ModuleContext, tx: ModuleTx, instanceId: number): Promise<void> {
  await closeOpenTasks(ctx, tx, (q) => q.where({ instance_id: instanceId }), { status: 'cancelled', completed_at: Date.now() });
  await tx.table('rounds').where({ instance_id: instanceId }).whereNull('outcome').update({ outcome: 'cancelled', decided_at: Date.now() });
  await tx.table('timers').where({ instance_id: instanceId, status: 'pending' }).update({ status: 'cancelled' });
}

export async function writeLog(tx: ModuleTx, instanceId: number, userId: number | null, activity: string | null, action: string, note: string): Promise<void> {
  await tx.table('log').insert({ instance_id: instanceId, at: Date.now(), user_id: userId, activity, action, note: note.slice(0, 2000) });
}

export { children };
