import { defineMigration, defineModule, type ModuleDefinition } from '../../core/modules/types.js';

/** Runs of the fixture's "tick" agent, to prove "run now" ran the code. */
export const agentRuns = { tick: 0 };

/** A small module for the admin screens: a table, options of every type, rights, two agents. */
export const adminTestModule: ModuleDefinition = defineModule({
  id: 'admintest',
  version: '1.0.0',
  title: { en: 'Admin test module', ru: 'Тестовый модуль админки' },
  description: { en: 'Used by the admin tests', ru: 'Для тестов админки' },
  dependencies: { main: '^0.1.0' },
  migrations: [
    defineMigration({
      name: '2026-01-01-01-create-items',
      async up(db) {
        await db.schema.createTable(db.table('items'), (t) => {
          t.increments('id');
          t.string('title', 100).notNullable();
        });
      },
      async down(db) {
        await db.schema.dropTableIfExists(db.table('items'));
      },
    }),
  ],
  options: {
    motto: { type: 'string', default: 'hello', title: { en: 'Motto', ru: 'Девиз' } },
    limit: { type: 'number', default: 10, title: { en: 'Limit', ru: 'Лимит' } },
    enabled: { type: 'boolean', default: true, title: { en: 'Enabled', ru: 'Включено' } },
    extra: { type: 'json', default: { a: 1 }, title: { en: 'Extra', ru: 'Дополнительно' } },
  },
  rights: {
    levels: {
      D: { title: { en: 'Denied', ru: 'Закрыто' }, operations: [] },
      R: { title: { en: 'Read', ru: 'Чтение' }, operations: ['admintest.read'] },
      W: { title: { en: 'Write', ru: 'Запись' }, operations: ['admintest.read', 'admintest.write'] },
    },
    defaultLevel: 'D',
    defaults: { registered: 'R' },
    operations: { 'admintest.read': { en: 'Read items', ru: 'Чтение' }, 'admintest.write': { en: 'Write items', ru: 'Запись' } },
  },
  agents: () => [
    { name: 'tick', interval: 3600, run: async () => void agentRuns.tick++ },
    { name: 'boom', interval: 3600, maxAttempts: 3, run: async () => { throw new Error('the boom agent always fails'); } },
  ],
  lang: { en: {}, ru: {} },
});

/** Depends on admintest: installing it first fails, and it keeps admintest from being uninstalled. */
export const adminDepModule: ModuleDefinition = defineModule({
  id: 'admindep',
  version: '0.2.0',
  title: { en: 'Admin dependant', ru: 'Зависимый модуль' },
  dependencies: { admintest: '^1.0.0' },
  lang: { en: {}, ru: {} },
});
