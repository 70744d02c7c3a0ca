import { defineModule } from '../../../core/modules/types.js';
import createBoard from './migrations/2026-12-01-01-create-board.js';
import { createBoardApi, type BoardApi } from './api.js';

/**
 * The worked example of docs/components.md and docs/pages.md: a forum whose URLs
 * (/board/, /board/<section>/, /board/topic/<id>/) belong to one complex component,
 * placed on a file page the module declares.
 */
export default defineModule<BoardApi>({
  id: 'board',
  version: '1.0.0',
  title: { en: 'Forum', ru: 'Форум' },
  dependencies: { main: '^0.1.0' },
  migrations: [createBoard],
  rights: {
    levels: {
      D: { title: { en: 'Denied', ru: 'Нет доступа' }, operations: [] },
      R: { title: { en: 'Read', ru: 'Чтение' }, operations: ['board.read'] },
    },
    defaultLevel: 'D',
    defaults: { registered: 'R' },
    operations: { 'board.read': { en: 'Read the forum', ru: 'Чтение форума' } },
  },
  lang: {
    en: { SECTIONS: 'Sections', TOPICS: 'Topics', NO_TOPICS: 'No topics yet.', VIEWS: 'Views', POSTED: 'Posted' },
    ru: { SECTIONS: 'Разделы', TOPICS: 'Темы', NO_TOPICS: 'Тем пока нет.', VIEWS: 'Просмотры', POSTED: 'Опубликовано' },
  },
  pages: [
    {
      path: '/board/',
      title: { en: 'Forum', ru: 'Форум' },
      access: 'board.read',
      placements: [{ component: 'board.main', params: { topicsPerPage: 20 } }],
    },
  ],
  setup: (ctx) => createBoardApi(ctx),
});
