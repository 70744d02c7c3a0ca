import type { PropertyType } from '../types.js';

/** Which typed column of the multiple-value table holds a property type. */
export type MultiColumn = 'value_str' | 'value_num' | 'value_int' | 'value_text';

export function multiColumn(type: PropertyType): MultiColumn {
  switch (type) {
    case 'string':
    case 'date':
      return 'value_str';
    case 'number':
      return 'value_num';
    case 'html':
      return 'value_text';
    default:
      return 'value_int';
  }
}

/** Column of a single-value property in the per-infoblock single-value table. */
export const singleColumn = (propertyId: number): string => `p${propertyId}`;

/** Whether values of the type can sit in a B-tree index (long HTML cannot). */
export const indexable = (type: PropertyType): boolean => type !== 'html';

export const singleTable = (iblockId: number): string => `p${iblockId}_s`;
export const multiTable = (iblockId: number): string => `p${iblockId}_m`;
