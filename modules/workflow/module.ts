import { defineModule } from '../../core/modules/types.js';
import createEngine from './migrations/2026-12-03-01-create-engine.js';
import createStatuses from './migrations/2026-12-03-02-create-document-statuses.js';
import escalationLevels from './migrations/2026-12-06-03-escalation-levels.js';
import taskMailOutbox from './migrations/2026-12-07-04-task-mail-outbox.js';
import { createWorkflowApi, type WorkflowApi } from './api.js';
import { installWorkflow } from './install.js';
import { mailEvents } from './mail-events.js';
import { workflowRoutes } from './routes.js';
import { workflowAdminRoutes } from './admin/routes.js';
import { workflowCli } from './cli.js';
import en from './lang/en.js';
import ru from './lang/ru.js';

/** Workflow: document statuses for infoblock elements and business processes (approvals, reviews, requests). */
export default defineModule<WorkflowApi>({
  id: 'workflow',
  version: '0.1.0',
  title: { en: 'Workflow and business processes', ru: 'Документооборот и бизнес-процессы' },
  dependencies: { main: '^0.1.0', infoblocks: '^0.1.0' },
  migrations: [createEngine, createStatuses, escalationLevels, taskMailOutbox],
  options: {
    lease_seconds: { type: 'number', default: 60, title: { en: 'Seconds a node holds a running instance before another may take it over', ru: 'Сколько секунд узел удерживает выполняемый процесс, прежде чем его может подхватить другой' } },
    lock_minutes: { type: 'number', default: 15, title: { en: 'Minutes an edit lock lasts', ru: 'Сколько минут действует блокировка редактирования' } },
    notify_assignees: { type: 'boolean', default: true, title: { en: 'Mail people their new tasks', ru: 'Отправлять исполнителям письма о новых заданиях' } },
    reject_needs_comment: { type: 'boolean', default: false, title: { en: 'A rejection needs a comment', ru: 'При отклонении обязателен комментарий' } },
  },
  rights: {
    levels: {
      D: { title: { en: 'Tasks only', ru: 'Только задания' }, operations: [] },
      S: { title: { en: 'Start processes', ru: 'Запуск процессов' }, operations: ['workflow.start'] },
      X: { title: { en: 'Manage templates and instances', ru: 'Управление шаблонами и процессами' }, operations: ['workflow.start', 'workflow.manage'] },
    },
    defaultLevel: 'D',
    defaults: { registered: 'S' },
    operations: {
      'workflow.start': { en: 'Start business processes by hand', ru: 'Запуск бизнес-процессов вручную' },
      'workflow.manage': { en: 'Manage templates, statuses and running processes', ru: 'Управление шаблонами, статусами и процессами' },
    },
  },
  lang: { en, ru },
  mailEvents,
  setup: (ctx) => createWorkflowApi(ctx),
  install: installWorkflow,
  routes: (router, ctx) => {
    workflowRoutes(router, ctx);
    workflowAdminRoutes(router, ctx);
  },
  admin: {
    menu: [
      { href: '/admin/workflow/', title: { en: 'Business processes', ru: 'Бизнес-процессы' }, section: 'content', operation: 'workflow.manage' },
      { href: '/admin/workflow/instances/', title: { en: 'Running processes', ru: 'Запущенные процессы' }, section: 'content', operation: 'workflow.manage' },
    ],
  },
  pages: [
    { path: '/workflow/tasks/', title: { en: 'My tasks', ru: 'Мои задания' }, access: 'main.portal.view', placements: [{ component: 'workflow.tasks' }] },
    { path: '/workflow/task/', title: { en: 'Task', ru: 'Задание' }, access: 'main.portal.view', placements: [{ component: 'workflow.task' }] },
    { path: '/workflow/element/', title: { en: 'Document status', ru: 'Статус документа' }, access: 'main.portal.view', placements: [{ component: 'workflow.document.status' }] },
  ],
  agents: (ctx) => [{ name: 'timers', interval: 10, run: async () => void (await ctx.kernel.api('workflow').runTimers()) }],
  cli: workflowCli,
});
