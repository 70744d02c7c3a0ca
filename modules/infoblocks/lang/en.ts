import admin from './en-admin.js';
import components from './en-components.js';

export default { INFOBLOCKS: 'Infoblocks', ELEMENTS: 'Elements', SECTIONS: 'Sections', PROPERTIES: 'Properties', ...components, ...admin } as Record<string, string>;
