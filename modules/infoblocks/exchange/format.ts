import type { Element, Section } from '../types.js';

/** Version of the exchange format written in <infoblock-export version="…">. */
export const FORMAT_VERSION = '1';

/** How a section is referred to inside one file: its xml_id, else its code path. */
export function sectionKey(s: Pick<Section, 'xmlId' | 'codePath'>): string {
  return s.xmlId ? `xml:${s.xmlId}` : `path:${s.codePath}`;
}

/** How an element is referred to: its xml_id, else its code, else nothing (always created). */
export function elementKey(e: Pick<Element, 'xmlId' | 'code'>): string | null {
  return e.xmlId ? `xml:${e.xmlId}` : e.code ? `code:${e.code}` : null;
}

export const isoOrNull = (d: Date | null): string | null => (d ? d.toISOString() : null);
