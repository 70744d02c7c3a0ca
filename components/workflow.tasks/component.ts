import { defineComponent } from '../../core/components/types.js';
import { readQuery } from '../../core/components/request.js';
import { datesFor } from '../../core/time/date-format.js';

/** My tasks: the open ones (or the closed ones with ?tasks=closed) with their count; `counter` shows only the count. */
export default defineComponent({
  name: 'workflow.tasks',
  title: { en: 'Workflow: my tasks', ru: 'Бизнес-процессы: мои задания' },
  params: {
    mode: { type: 'string', options: ['list', 'counter'], default: 'list', title: { en: 'Show the list, or only the count with a link', ru: 'Список или только счётчик со ссылкой' } },
    pageSize: { type: 'number', integer: true, min: 1, max: 100, default: 20, title: { en: 'Tasks per page', ru: 'Заданий на странице' } },
  },
  request: (query) => readQuery(query, { tasks: { type: 'string', options: ['open', 'closed'], default: 'open' }, page: { type: 'number', integer: true, min: 1, max: 100_000, default: 1 } }),
  async prepare({ kernel, params, state, request }) {
    const api = kernel.api('workflow').tasks;
    const count = await api.count(state.principal);
    if (params.mode === 'counter' || state.principal.userId === null) return { mode: 'counter', count, items: [], closed: false, total: count, page: 1, pages: 1 };
    const closed = request.tasks === 'closed';
    const res = await api.mine(state.principal, { status: closed ? 'closed' : 'open', page: Number(request.page), pageSize: params.pageSize });
    const dates = datesFor(state);
    return {
      mode: 'list',
      count,
      closed,
      total: res.total,
      page: Number(request.page),
      pages: Math.max(1, Math.ceil(res.total / params.pageSize)),
      items: res.items.map((t) => ({
        id: t.id, title: t.title, kind: t.kind, document: t.documentTitle, process: t.templateName, status: t.status, decision: t.decision,
        created: { iso: t.createdAt.toISOString(), text: dates.dateTime(t.createdAt) },
        deadline: t.deadlineAt ? { iso: t.deadlineAt.toISOString(), text: dates.dateTime(t.deadlineAt), overdue: t.deadlineAt.getTime() < Date.now() && t.status === 'open' } : null,
      })),
    };
  },
});
