import type { MailEventDefinition } from '../../core/services.js';

export const mailEvents: MailEventDefinition[] = [
  {
    type: 'WORKFLOW_TASK',
    title: { en: 'Workflow: a new task', ru: 'Бизнес-процессы: новое задание' },
    fields: ['EMAIL_TO', 'NAME', 'TASK_TITLE', 'DOCUMENT_TITLE', 'URL'],
    templates: [
      { language: 'en', subject: 'New task: #TASK_TITLE#', body: 'Hello #NAME#,\n\nyou have a new task: #TASK_TITLE#\nDocument: #DOCUMENT_TITLE#\nOpen it at #URL#\n' },
      { language: 'ru', subject: 'Новое задание: #TASK_TITLE#', body: 'Здравствуйте, #NAME#!\n\nДля вас новое задание: #TASK_TITLE#\nДокумент: #DOCUMENT_TITLE#\nОткрыть: #URL#\n' },
    ],
  },
  {
    type: 'WORKFLOW_MAIL',
    title: { en: 'Workflow: a message from a process', ru: 'Бизнес-процессы: письмо процесса' },
    fields: ['EMAIL_TO', 'SUBJECT', 'BODY', 'DOCUMENT_TITLE', 'URL'],
    templates: [
      { language: 'en', subject: '#SUBJECT#', body: '#BODY#\n' },
      { language: 'ru', subject: '#SUBJECT#', body: '#BODY#\n' },
    ],
  },
];
