/** Fills an infoblock URL template: #SITE_DIR#, #IBLOCK_CODE#, #SECTION_CODE_PATH#, #SECTION_ID#, #ELEMENT_CODE#, #ELEMENT_ID#/#ID#. */
export function fillUrl(template: string, values: { siteDir?: string; iblockCode?: string; sectionCodePath?: string; sectionId?: number | null; elementCode?: string; id?: number }): string {
  if (!template) return '';
  const map: Record<string, string> = {
    SITE_DIR: values.siteDir ?? '/',
    IBLOCK_CODE: values.iblockCode ?? '',
    SECTION_CODE_PATH: values.sectionCodePath ?? '',
    SECTION_ID: values.sectionId ? String(values.sectionId) : '',
    ELEMENT_CODE: values.elementCode || (values.id ? String(values.id) : ''),
    ELEMENT_ID: values.id ? String(values.id) : '',
    ID: values.id ? String(values.id) : '',
  };
  // Each value is one path segment (a code with "/", "?" or "#" stays inside it); a code path is encoded per segment.
  const encode = (k: string, v: string) => (k === 'SITE_DIR' ? encodeURI(v) : k === 'SECTION_CODE_PATH' ? v.split('/').map(encodeURIComponent).join('/') : encodeURIComponent(v));
  const filled = template.replace(/#([A-Z_]+)#/g, (m, k: string) => (k in map ? encode(k, map[k]!) : m));
  return filled.replace(/\/{2,}/g, '/');
}
