/** Cache tags of the module; components may use them for their result cache. */
export const ibTags = {
  /** Every infoblock and type (lists of them). */
  all: 'infoblocks:all',
  /** Everything inside one infoblock: elements, sections, lists. */
  iblock: (id: number) => `infoblocks:iblock:${id}`,
  /** Settings, properties and rights of one infoblock. */
  meta: (id: number) => `infoblocks:meta:${id}`,
  element: (id: number) => `infoblocks:element:${id}`,
  section: (id: number) => `infoblocks:section:${id}`,
};
