import type { RightsDefinition } from '../../core/modules/types.js';

/** D deny < R view the items < W add items < X full control. */
export const rights: RightsDefinition = {
  levels: {
    D: { title: { en: 'Denied', ru: 'Доступ закрыт' }, operations: [] },
    R: { title: { en: 'View', ru: 'Просмотр' }, operations: ['__ID__.items.view'] },
    W: { title: { en: 'Add items', ru: 'Добавление' }, operations: ['__ID__.items.view', '__ID__.items.add'] },
    X: { title: { en: 'Full control', ru: 'Полный доступ' }, operations: ['*'] },
  },
  defaultLevel: 'D',
  defaults: { registered: 'R' },
  operations: {
    '__ID__.items.view': { en: 'View the items', ru: 'Просмотр элементов' },
    '__ID__.items.add': { en: 'Add items', ru: 'Добавление элементов' },
  },
};
