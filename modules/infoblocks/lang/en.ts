import components from './en-components.js';

export default { INFOBLOCKS: 'Infoblocks', ELEMENTS: 'Elements', SECTIONS: 'Sections', PROPERTIES: 'Properties', ...components } as Record<string, string>;
