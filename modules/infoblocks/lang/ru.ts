import admin from './ru-admin.js';
import components from './ru-components.js';

export default { INFOBLOCKS: 'Инфоблоки', ELEMENTS: 'Элементы', SECTIONS: 'Разделы', PROPERTIES: 'Свойства', ...components, ...admin } as Record<string, string>;
