import components from './ru-components.js';

export default { INFOBLOCKS: 'Инфоблоки', ELEMENTS: 'Элементы', SECTIONS: 'Разделы', PROPERTIES: 'Свойства', ...components } as Record<string, string>;
