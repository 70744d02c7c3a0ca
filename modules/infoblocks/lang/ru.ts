import admin from './ru-admin.js';
export default { INFOBLOCKS: 'Инфоблоки', ELEMENTS: 'Элементы', SECTIONS: 'Разделы', PROPERTIES: 'Свойства', ...admin } as Record<string, string>;
