export default { INFOBLOCKS: 'Infoblocks', ELEMENTS: 'Elements', SECTIONS: 'Sections', PROPERTIES: 'Properties' } as Record<string, string>;
