import { defineModule } from '../../core/modules/types.js';
import createMap from './migrations/2026-12-04-01-create-map.js';
import { createCloudImportApi, type CloudImportApi } from './api.js';
import { cloudCli } from './cli.js';
import en from './lang/en.js';
import ru from './lang/ru.js';

/** Moving from the Bitrix24 cloud: `portal export cloud` makes a dump over REST, `portal import cloud` reads it. */
export default defineModule<CloudImportApi>({
  id: 'cloudimport',
  version: '0.1.0',
  title: { en: 'Import from Bitrix24 cloud', ru: 'Импорт из облака Битрикс24' },
  description: { en: 'Users, departments, workgroups, lists and CRM from a Bitrix24 cloud portal, idempotent and resumable', ru: 'Пользователи, подразделения, рабочие группы, списки, контакты, компании, сделки и лиды из облачного Битрикс24, повторяемо и с продолжением' },
  dependencies: { main: '^0.1.0' },
  migrations: [createMap],
  lang: { en, ru },
  cli: cloudCli,
  setup: (ctx) => createCloudImportApi(ctx),
});
