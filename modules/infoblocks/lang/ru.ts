export default { INFOBLOCKS: 'Инфоблоки', ELEMENTS: 'Элементы', SECTIONS: 'Разделы', PROPERTIES: 'Свойства' } as Record<string, string>;
