import { defineComponent } from '../../core/components/types.js';
import { readQuery } from '../../core/components/request.js';
import { datesFor } from '../../core/time/date-format.js';

/** One task (?id=N): what is asked, the document, the form (approve/reject, acknowledge, or the requested fields). */
export default defineComponent({
  name: 'workflow.task',
  title: { en: 'Workflow: task form', ru: 'Бизнес-процессы: форма задания' },
  params: {},
  request: (query) => readQuery(query, { id: { type: 'number', integer: true, min: 1, max: 2 ** 40 } }),
  async prepare({ kernel, state, request }) {
    const wf = kernel.api('workflow');
    const task = await wf.tasks.get(state.principal, Number(request.id) || 0);
    const dates = datesFor(state);
    const doc = await wf.documents.get(task.documentType).load(task.documentId).catch(() => null);
    const history = (await wf.instances.tasks(state.principal, task.instanceId)).filter((t) => t.status === 'done' && t.id !== task.id);
    const names = await kernel.users.loginsOf([...new Set(history.map((h) => h.userId))]);
    return {
      id: task.id, kind: task.kind, title: task.title, description: task.description, status: task.status, decision: task.decision, comment: task.comment,
      open: task.status === 'open' && task.instanceStatus === 'running' && task.userId === state.principal.userId,
      fields: task.fields, values: task.values ?? {},
      document: { title: task.documentTitle, url: doc?.url ?? '' }, process: task.templateName,
      deadline: task.deadlineAt ? { iso: task.deadlineAt.toISOString(), text: dates.dateTime(task.deadlineAt) } : null,
      others: history.map((h) => ({ login: names.get(h.userId) ?? String(h.userId), decision: h.decision, comment: h.comment, at: h.completedAt ? dates.dateTime(h.completedAt) : '' })),
    };
  },
});
