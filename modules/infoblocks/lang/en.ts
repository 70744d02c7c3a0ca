import admin from './en-admin.js';
export default { INFOBLOCKS: 'Infoblocks', ELEMENTS: 'Elements', SECTIONS: 'Sections', PROPERTIES: 'Properties', ...admin } as Record<string, string>;
