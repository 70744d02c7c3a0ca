import { defineModule } from '../../core/modules/types.js';
import { createApi, type __NAME__Api } from './api.js';
import { migrations } from './migrations/index.js';
import { rights } from './rights.js';
import { routes } from './routes.js';
import en from './lang/en.js';
import ru from './lang/ru.js';

/** Module __ID__: the manifest only wires its parts together. */
export default defineModule<__NAME__Api>({
  id: '__ID__',
  version: '0.1.0',
  title: { en: '__TITLE__', ru: '__TITLE_RU__' },
  description: { en: '__TITLE__: items and the page /__ID__/', ru: '__TITLE_RU__: элементы и страница /__ID__/' },
  dependencies: { main: '^0.1.0' },
  migrations,
  rights,
  lang: { en, ru },
  routes,
  // The module's page, in the site layout: the component components/__ID__.items lists the items and adds them.
  pages: [{ path: '/__ID__/', title: { en: '__TITLE__', ru: '__TITLE_RU__' }, access: '__ID__.items.view', placements: [{ component: '__ID__.items' }] }],
  setup: (ctx) => createApi(ctx),
});
