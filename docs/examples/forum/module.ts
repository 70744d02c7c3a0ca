import { defineModule } from '../../../core/modules/types.js';
import createForum from './migrations/2026-12-01-01-create-forum.js';
import { createForumApi, type ForumApi } from './api.js';

/**
 * The worked example of docs/components.md and docs/pages.md: a forum whose URLs
 * (/forum/, /forum/<section>/, /forum/topic/<id>/) belong to one complex component,
 * placed on a file page the module declares.
 */
export default defineModule<ForumApi>({
  id: 'forum',
  version: '1.0.0',
  title: { en: 'Forum', ru: 'Форум' },
  dependencies: { main: '^0.1.0' },
  migrations: [createForum],
  rights: {
    levels: {
      D: { title: { en: 'Denied', ru: 'Нет доступа' }, operations: [] },
      R: { title: { en: 'Read', ru: 'Чтение' }, operations: ['forum.read'] },
    },
    defaultLevel: 'D',
    defaults: { registered: 'R' },
    operations: { 'forum.read': { en: 'Read the forum', ru: 'Чтение форума' } },
  },
  lang: {
    en: { SECTIONS: 'Sections', TOPICS: 'Topics', NO_TOPICS: 'No topics yet.', VIEWS: 'Views', POSTED: 'Posted' },
    ru: { SECTIONS: 'Разделы', TOPICS: 'Темы', NO_TOPICS: 'Тем пока нет.', VIEWS: 'Просмотры', POSTED: 'Опубликовано' },
  },
  pages: [
    {
      path: '/forum/',
      title: { en: 'Forum', ru: 'Форум' },
      access: 'forum.read',
      placements: [{ component: 'forum.main', params: { topicsPerPage: 20 } }],
    },
  ],
  setup: (ctx) => createForumApi(ctx),
});
