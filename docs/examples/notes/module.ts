import { defineModule } from '../../../core/modules/types.js';
import createNotes from './migrations/2026-11-26-01-create-notes.js';
import { createNotesApi, type NotesApi } from './api.js';
import { routes } from './routes.js';
import en from './lang/en.js';
import ru from './lang/ru.js';

/** The worked example of docs/modules.md: a notes module. The manifest only wires. */
export default defineModule<NotesApi>({
  id: 'notes',
  version: '1.0.0',
  title: { en: 'Notes', ru: 'Заметки' },
  dependencies: { main: '^0.1.0' },
  migrations: [createNotes],
  options: { page_size: { type: 'number', default: 20, title: { en: 'Notes per page', ru: 'Заметок на странице' } } },
  rights: {
    levels: {
      D: { title: { en: 'Denied', ru: 'Нет доступа' }, operations: [] },
      R: { title: { en: 'Read', ru: 'Чтение' }, operations: ['notes.read'] },
      W: { title: { en: 'Write', ru: 'Запись' }, operations: ['notes.read', 'notes.write'] },
    },
    defaultLevel: 'D',
    defaults: { registered: 'R' },
    operations: {
      'notes.read': { en: 'Read notes', ru: 'Чтение заметок' },
      'notes.write': { en: 'Write notes', ru: 'Создание заметок' },
    },
  },
  lang: { en, ru },
  routes,
  // The board (components/notes.board) on a page of the site layout; its form posts to the route POST /notes/.
  pages: [{ path: '/notes/', title: { en: 'Notes', ru: 'Заметки' }, access: 'notes.read', placements: [{ component: 'notes.board' }] }],
  setup: (ctx) => createNotesApi(ctx),
});
