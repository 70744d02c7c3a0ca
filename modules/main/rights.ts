import type { RightsDefinition } from '../../core/modules/types.js';

/**
 * Rights of the main module: D deny < V view pages and files < R use the portal < A view the admin area < X full
 * control. V is what opening the portal to anonymous visitors gives the group "everyone" (public-access.ts).
 */
export const rights: RightsDefinition = {
  levels: {
    D: { title: { en: 'Denied', ru: 'Доступ закрыт' }, operations: [] },
    V: { title: { en: 'View pages and files', ru: 'Просмотр страниц и файлов' }, operations: ['main.portal.view'] },
    R: { title: { en: 'Use the portal', ru: 'Работа с порталом' }, operations: ['main.portal.view', 'main.users.view'] },
    A: {
      title: { en: 'View the admin area', ru: 'Просмотр администраторской части' },
      operations: ['main.portal.view', 'main.users.view', 'main.admin.view'],
    },
    X: { title: { en: 'Full control', ru: 'Полный доступ' }, operations: ['*'] },
  },
  defaultLevel: 'D',
  defaults: { registered: 'R' },
  operations: {
    'main.portal.view': { en: 'View the portal\'s pages and files', ru: 'Просмотр страниц и файлов портала' },
    'main.users.view': { en: 'View the employee directory', ru: 'Просмотр списка сотрудников' },
    'main.users.edit': { en: 'Create and edit users and groups', ru: 'Создание и изменение пользователей и групп' },
    'main.admin.view': { en: 'Open the admin area', ru: 'Вход в администраторскую часть' },
    'main.settings.edit': { en: 'Change settings and rights', ru: 'Изменение настроек и прав' },
    'main.modules.manage': { en: 'Install and uninstall modules', ru: 'Установка и удаление модулей' },
    'main.cache.clear': { en: 'Clear the cache', ru: 'Очистка кеша' },
    'main.agents.run': { en: 'Run agents', ru: 'Запуск агентов' },
    'main.mail.manage': { en: 'Manage mail templates and the queue', ru: 'Почтовые шаблоны и очередь' },
  },
};
