import type { Decision, Task } from './engine/types.js';

/**
 * The workflow module's typed events. docs/events.md is generated from these declarations.
 */
declare module '../../core/events/types.js' {
  interface BeforeEvents {
    /**
     * Before a person's decision on a task is applied; listeners may change the comment or veto.
     * @firedBy `api.tasks.decide(principal, taskId, input)`: the task form, `POST /api/v1/workflow/tasks/<id>/decision`
     */
    'workflow.task.decide': { task: Task; decision: Decision; comment: string; userId: number };
    /**
     * Before a document moves into another status (classic workflow); a veto keeps the status.
     * @firedBy `api.statuses.move(principal, id, status)`: the status panel, the setStatus activity
     */
    'workflow.document.status': { documentType: string; documentId: string; from: string; to: string; userId: number | null };
  }
  interface AfterEvents {
    /**
     * A business process started on a document.
     * @firedBy `api.instances.start(principal, templateRef, documentType, documentId)`: by hand, `portal workflow start`
     * @firedBy `api.instances.startAsSystem(templateRef, documentType, documentId, startedBy)`: auto-start on a document's create or edit
     */
    'workflow.instance.started': { instanceId: number; templateId: number; documentType: string; documentId: string };
    /**
     * An instance ended: completed, terminated (by an admin or a terminate activity) or failed.
     * @firedBy `api.tasks.decide(principal, taskId, input)`: the decision that lets the instance run to its end
     * @firedBy `api.instances.terminate(principal, id)`: the admin's instance page, `portal workflow terminate`
     */
    'workflow.instance.finished': { instanceId: number; status: 'completed' | 'terminated' | 'failed' };
    /**
     * A task was given to a person (approve, review or request; also on escalation).
     * @firedBy `api.instances.start(principal, templateRef, documentType, documentId)`: when the process reaches an approve, review or request
     * @firedBy `api.instances.startAsSystem(templateRef, documentType, documentId, startedBy)`: the same, for auto-started processes
     * @firedBy `api.runTimers(now?)`: the agent `workflow.timers`, when a deadline escalates
     * @firedBy `api.tasks.decide(principal, taskId, input)`: when the decision lets the process reach its next approve, review or request
     */
    'workflow.task.created': { taskId: number; instanceId: number };
    /**
     * A person decided on their task.
     * @firedBy `api.tasks.decide(principal, taskId, input)`
     */
    'workflow.task.completed': { taskId: number; instanceId: number; decision: Decision; userId: number };
    /**
     * A document moved into another status; `published` is true when the live copy was published by this move.
     * @firedBy `api.statuses.move(principal, id, status)`
     */
    'workflow.document.statusChanged': { documentType: string; documentId: string; from: string; to: string; published: boolean; userId: number | null };
  }
}
export {};
