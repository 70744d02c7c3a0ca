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
  title: { en: '__TITLE__', ru: '__TITLE__' },
  description: { en: 'Items of __TITLE__', ru: 'Элементы модуля __TITLE__' },
  dependencies: { main: '^0.1.0' },
  migrations,
  rights,
  lang: { en, ru },
  routes,
  setup: (ctx) => createApi(ctx),
});
